# Import-Module EsUpgrade time above a bare pwsh start: medians of repeated fresh processes.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Runs = 21
)
$ErrorActionPreference = 'Stop'
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'   # pwsh's telemetry thread adds noise to every start
$dotnetHosted = (Get-Process -Id $PID).Path -match 'dotnet(\.exe)?$'
$exe = (Get-Process -Id $PID).Path
[string[]] $prefix = if ($dotnetHosted) { "$PSHOME/pwsh.dll" } else { @() }

function Measure-Median([string] $command) {
    $times = foreach ($i in 1..$Runs) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        & $exe @prefix -NoProfile -NonInteractive -Command $command | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "'$command' failed." }
        $watch.Elapsed.TotalMilliseconds
    }
    $sorted = $times | Sort-Object
    $sorted[[int][math]::Floor($sorted.Count / 2)]
}

# For scale: what a first Import-Module of PowerShell's own Microsoft.PowerShell.Utility costs.
Measure-Median 'exit 0' | Out-Null   # warm the disk cache once
$bare = Measure-Median 'exit 0'
$utility = Measure-Median 'Import-Module Microsoft.PowerShell.Utility; exit 0'
$import = Measure-Median "Import-Module '$ModulePath'; exit 0"
[pscustomobject]@{
    Runs                       = $Runs
    BareStartMs                = [math]::Round($bare)
    EsUpgradeAboveBareMs       = [math]::Round($import - $bare)
    UtilityModuleAboveBareMs   = [math]::Round($utility - $bare)
    TargetAboveBareMs          = 200
} | Format-List | Out-String | Write-Host
