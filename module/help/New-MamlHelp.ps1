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
# -WhatIf and -Confirm are common parameters, but a reader of SYNTAX must see which cmdlets take them.
$shouldProcess = @{
    WhatIf  = 'Shows what would happen, changes nothing.'
    Confirm = 'Asks before each change. In a session that cannot ask (a scheduled task, a runbook), pass -Confirm:$false.'
}
# Related links: each cmdlet links to the others of its tasks, and to about_EsUpgrade.
$related = @{}
foreach ($task in $help.Tasks.GetEnumerator()) {
    foreach ($name in $task.Value) { $related[$name] = @($related[$name]) + @($task.Value | Where-Object { $_ -ne $name }) | Where-Object { $_ } | Select-Object -Unique }
}
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
    if (-not $related[$command.Name]) { $missing.Add("$($command.Name): in no task of Tasks (its RELATED LINKS)") }
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
        foreach ($p in $set.Parameters | Where-Object { ($common -notcontains $_.Name -or $shouldProcess.ContainsKey($_.Name)) -and -not $_.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }) }) {
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
    foreach ($name in $shouldProcess.Keys | Where-Object { $command.Parameters.ContainsKey($_) } | Sort-Object -Descending) {
        $null = $xml.AppendLine("<command:parameter required=`"false`" position=`"named`" pipelineInput=`"False`" globbing=`"false`"><maml:name>$name</maml:name><maml:description>$(Paras $shouldProcess[$name])</maml:description><command:parameterValue required=`"false`">SwitchParameter</command:parameterValue><dev:type><maml:name>System.Management.Automation.SwitchParameter</maml:name></dev:type></command:parameter>")
    }
    $null = $xml.AppendLine('</command:parameters>')
    # INPUTS: what binds from the pipeline, and to which parameter.
    $null = $xml.AppendLine('<command:inputTypes>')
    foreach ($p in $parameters | Where-Object { $_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) } }) {
        $attr = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
        $names = (@($p.Name) + $p.Aliases) -join ', '
        $how = @()
        if ($attr.ValueFromPipeline) { $how += "a $(TypeName $p.ParameterType) object" }
        if ($attr.ValueFromPipelineByPropertyName) { $how += "any object with a property named $names (EsUpgrade's own objects have them)" }
        $null = $xml.AppendLine("<command:inputType><dev:type><maml:name>$(Esc $p.ParameterType.FullName)</maml:name></dev:type><maml:description><maml:para>$(Esc "-$($p.Name): $($how -join '; or ')")</maml:para></maml:description></command:inputType>")
    }
    $null = $xml.AppendLine('</command:inputTypes>')
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
    $null = $xml.AppendLine('<command:relatedLinks>')
    foreach ($link in @($related[$command.Name]) + @('about_EsUpgrade')) {
        $null = $xml.AppendLine("<maml:navigationLink><maml:linkText>$link</maml:linkText><maml:uri /></maml:navigationLink>")
    }
    $null = $xml.AppendLine('</command:relatedLinks>')
    $null = $xml.AppendLine('</command:command>')
}
$null = $xml.AppendLine('</helpItems>')
foreach ($name in $help.Keys | Where-Object { $_ -ne 'Tasks' }) { if (-not (Get-Command $name -Module $module.Name -ErrorAction SilentlyContinue)) { $missing.Add("${name}: help for a cmdlet the module does not have") } }
if ($missing.Count) { Write-Error ("Help is incomplete:`n  " + ($missing -join "`n  ")); exit 1 }
foreach ($name in $help.Tasks.Values | ForEach-Object { $_ } | Sort-Object -Unique) {
    if (-not (Get-Command $name -Module $module.Name -ErrorAction SilentlyContinue)) { $missing.Add("Tasks: $name is not a cmdlet of the module") }
}
if ($missing.Count) { Write-Error ("Help is incomplete:`n  " + ($missing -join "`n  ")); exit 1 }
[System.IO.File]::WriteAllText($OutFile, $xml.ToString())
