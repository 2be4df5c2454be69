# How good New-EsUpgradePlan's duration estimate is: a rehearsal upgrade of an emulated 9-node cluster (3 masters; hot,
# warm, frozen) is run with -StatePath; then, on a fresh cluster of the same shape, the plan is estimated from the
# table alone and calibrated with the rehearsal's state file, and the upgrade is run and timed.
#   error = (estimate - actual) / actual.  Target: calibrated within ±25 %; the table's error is reported as it is.
# Times are real seconds of this machine (the state file records real time), at the emulator's time scale.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [double] $TimeScale = 4,
    [int] $BootSeconds = 20,
    [string] $TargetVersion = '8.19.0'
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path $ModulePath).Path
Import-Module "$PSScriptRoot/../tests/pester/EsEmulator.psm1"
Import-Module "$PSScriptRoot/BenchClusters.psm1"

function New-BenchCluster { New-NineNodeBenchCluster -Name estimate -TimeScale $TimeScale -BootSeconds $BootSeconds }

$nodeAction = {
    param($Node, $TargetVersion)
    Invoke-EsEmulatorControl -Emulator $script:current -NodeName $Node.Name -Action stop | Out-Null
    Invoke-EsEmulatorControl -Emulator $script:current -NodeName $Node.Name -Action start -Version $TargetVersion | Out-Null
}
$work = Join-Path ([IO.Path]::GetTempPath()) "esupgrade-estimate-$PID"
New-Item -ItemType Directory $work | Out-Null
try {
    Write-Host 'Rehearsal...'
    $script:current = New-BenchCluster
    try {
        $connection = Connect-EsCluster -Uri $current.Uris -Name rehearsal -PassThru
        Invoke-EsRollingUpgrade -TargetVersion $TargetVersion -NodeAction $nodeAction -StatePath "$work/rehearsal.json" -Confirm:$false -Connection $connection | Out-Null
    } finally { Disconnect-EsCluster -Name rehearsal; $current | Stop-EsEmulator }

    Write-Host 'The upgrade, estimated then timed...'
    $script:current = New-BenchCluster
    try {
        $connection = Connect-EsCluster -Uri $current.Uris -Name real -PassThru
        $table = New-EsUpgradePlan $TargetVersion -Connection $connection -WarningAction SilentlyContinue
        # The table told the restart time the emulator takes (its boot, in real seconds): what is left is the recovery model.
        $told = New-EsUpgradePlan $TargetVersion -NodeRestartTime ($BootSeconds / $TimeScale) -Connection $connection -WarningAction SilentlyContinue
        $calibrated = New-EsUpgradePlan $TargetVersion -Calibration "$work/rehearsal.json" -Connection $connection -WarningAction SilentlyContinue
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $calibrated | Invoke-EsRollingUpgrade -NodeAction $nodeAction -Confirm:$false | Out-Null
        $actual = $watch.Elapsed.TotalSeconds
    } finally { Disconnect-EsCluster -Name real; $current | Stop-EsEmulator }

    [pscustomobject]@{
        Nodes                    = $calibrated.Nodes.Count
        TimeScale                = $TimeScale
        NodeBootSeconds          = $BootSeconds
        ActualSeconds            = [math]::Round($actual, 1)
        CalibratedEstimate       = [math]::Round($calibrated.EstimatedDuration.TotalSeconds, 1)
        CalibratedError          = '{0:+0.0;-0.0}%' -f (100 * ($calibrated.EstimatedDuration.TotalSeconds - $actual) / $actual)
        TableEstimate            = [math]::Round($table.EstimatedDuration.TotalSeconds, 1)
        TableError               = '{0:+0.0;-0.0}%' -f (100 * ($table.EstimatedDuration.TotalSeconds - $actual) / $actual)
        TableToldRestartEstimate = [math]::Round($told.EstimatedDuration.TotalSeconds, 1)
        TableToldRestartError    = '{0:+0.0;-0.0}%' -f (100 * ($told.EstimatedDuration.TotalSeconds - $actual) / $actual)
        Target                   = 'CalibratedError within ±25 %'
    }
} finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
