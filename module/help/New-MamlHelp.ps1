# Writes MAML help for the built module: the words from EsUpgrade.help.psd1, the syntax and parameter
# facts from the cmdlets themselves. Run by build.ps1 in a fresh pwsh. Fails on any missing text.
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $HelpData,
    [Parameter(Mandatory)] [string] $OutFile
)
$ErrorActionPreference = 'Stop'
$module = Import-Module $ModuleManifest -PassThru
$help = Import-PowerShellDataFile $HelpData
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$missing = [System.Collections.Generic.List[string]]::new()

# Parameters marked DontShow (the piped object a cluster cmdlet keeps) are not for users: no help, no syntax.
function Shown($parameter) { -not ($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }) }
function Esc([string] $text) { [System.Security.SecurityElement]::Escape($text) }
function TypeName([type] $type) { $inner = [Nullable]::GetUnderlyingType($type); if ($inner) { $inner.Name } else { $type.Name } }
function Paras([string] $text) { ($text -split "`n" | ForEach-Object { "<maml:para>$(Esc $_)</maml:para>" }) -join '' }

$xml = [System.Text.StringBuilder]::new()
$null = $xml.AppendLine('<?xml version="1.0" encoding="utf-8"?>')
$null = $xml.AppendLine('<helpItems schema="maml" xmlns="http://msh">')
foreach ($command in Get-Command -Module $module.Name | Sort-Object Name) {
    $text = $help[$command.Name]
    if (-not $text) { $missing.Add("$($command.Name): no entry"); continue }
    if (-not $text.Examples) { $missing.Add("$($command.Name): no example") }
    $parameters = $command.Parameters.Values | Where-Object { $common -notcontains $_.Name -and (Shown $_) }
    foreach ($p in $parameters) { if (-not $text.Parameters[$p.Name]) { $missing.Add("$($command.Name) -$($p.Name): no description") } }

    $null = $xml.AppendLine('<command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">')
    $null = $xml.AppendLine("<command:details><command:name>$($command.Name)</command:name><command:verb>$($command.Verb)</command:verb><command:noun>$($command.Noun)</command:noun><maml:description>$(Paras $text.Synopsis)</maml:description></command:details>")
    $null = $xml.AppendLine("<maml:description>$(Paras $text.Description)</maml:description>")
    $null = $xml.AppendLine('<command:syntax>')
    foreach ($set in $command.ParameterSets) {
        $null = $xml.AppendLine("<command:syntaxItem><maml:name>$($command.Name)</maml:name>")
        foreach ($p in $set.Parameters | Where-Object { $common -notcontains $_.Name -and -not $_.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }) }) {
            $position = if ($p.Position -ge 0) { $p.Position } else { 'named' }
            $pipeline = if ($p.ValueFromPipeline -and $p.ValueFromPipelineByPropertyName) { 'True (ByValue, ByPropertyName)' } elseif ($p.ValueFromPipeline) { 'True (ByValue)' } elseif ($p.ValueFromPipelineByPropertyName) { 'True (ByPropertyName)' } else { 'False' }
            $isSwitch = $p.ParameterType -eq [switch]
            $null = $xml.Append("<command:parameter required=`"$($p.IsMandatory.ToString().ToLower())`" position=`"$position`" pipelineInput=`"$pipeline`" globbing=`"false`"><maml:name>$($p.Name)</maml:name>")
            if (-not $isSwitch) { $null = $xml.Append("<command:parameterValue required=`"true`">$(Esc (TypeName $p.ParameterType))</command:parameterValue>") }
            $null = $xml.AppendLine('</command:parameter>')
        }
        $null = $xml.AppendLine('</command:syntaxItem>')
    }
    $null = $xml.AppendLine('</command:syntax>')
    $null = $xml.AppendLine('<command:parameters>')
    foreach ($p in $parameters) {
        $attr = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
        $position = if ($attr.Position -ge 0) { $attr.Position } else { 'named' }
        $globbing = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        $null = $xml.AppendLine("<command:parameter required=`"$($attr.Mandatory.ToString().ToLower())`" position=`"$position`" pipelineInput=`"$($attr.ValueFromPipeline -or $attr.ValueFromPipelineByPropertyName)`" globbing=`"$($globbing.ToString().ToLower())`"><maml:name>$($p.Name)</maml:name><maml:description>$(Paras $text.Parameters[$p.Name])</maml:description><command:parameterValue required=`"true`">$(Esc (TypeName $p.ParameterType))</command:parameterValue><dev:type><maml:name>$(Esc $p.ParameterType.FullName)</maml:name></dev:type></command:parameter>")
    }
    $null = $xml.AppendLine('</command:parameters>')
    $null = $xml.AppendLine('<command:returnValues>')
    foreach ($t in $command.OutputType) { $null = $xml.AppendLine("<command:returnValue><dev:type><maml:name>$(Esc $t.Name)</maml:name></dev:type></command:returnValue>") }
    $null = $xml.AppendLine('</command:returnValues>')
    $null = $xml.AppendLine('<command:examples>')
    $n = 0
    foreach ($example in $text.Examples) {
        $n++
        $null = $xml.AppendLine("<command:example><maml:title>-------------------------- Example $n --------------------------</maml:title><dev:code>$(Esc $example.Code)</dev:code><dev:remarks>$(Paras $example.Remarks)</dev:remarks></command:example>")
    }
    $null = $xml.AppendLine('</command:examples>')
    $null = $xml.AppendLine('</command:command>')
}
$null = $xml.AppendLine('</helpItems>')
foreach ($name in $help.Keys) { if (-not (Get-Command $name -Module $module.Name -ErrorAction SilentlyContinue)) { $missing.Add("${name}: help for a cmdlet the module does not have") } }
if ($missing.Count) { Write-Error ("Help is incomplete:`n  " + ($missing -join "`n  ")); exit 1 }
[System.IO.File]::WriteAllText($OutFile, $xml.ToString())
