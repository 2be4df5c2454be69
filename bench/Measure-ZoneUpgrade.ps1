# P6: the same 3-zone cluster (3 masters; 3 zones × 4 data nodes; awareness on zone with forced values) upgraded one
# node at a time and zone by zone (-ByZone), in one run of the bench:
#   ratio = wall time by zone ÷ wall time one at a time          (target ≤ 0.40)
#   moments with a shard without a started copy, each run        (target 0; the emulator counts them)
#   overhead = wall time ÷ the emulator's ideal schedule (the boots and recoveries it imposed) for the batched run.
# Times are in emulated seconds (real seconds × time scale).
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

function Measure-Run([hashtable] $Batching) {
    $current = New-ZonedBenchCluster -TimeScale $TimeScale -BootSeconds $BootSeconds
    try {
        $connection = Connect-EsCluster -Uri $current.Uris -Name zoned -PassThru
        $before = (Invoke-EsRequest /_count -Connection $connection).count
        Invoke-RestMethod -Method Post "$($current.control)/stats/reset" | Out-Null
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Invoke-EsRollingUpgrade -TargetVersion $TargetVersion -NodeAction (New-EsEmulatorNodeAction $current) -Confirm:$false -Connection $connection @Batching | Out-Null
        $wall = $watch.Elapsed.TotalSeconds * $TimeScale
        $stats = Invoke-RestMethod "$($current.control)/stats"
        $versions = (Get-EsNode -Connection $connection).VersionNumber | Sort-Object -Unique
        if ($versions -ne $TargetVersion -or (Invoke-EsRequest /_count -Connection $connection).count -ne $before) { throw "The upgrade did not complete: versions $versions." }
        [pscustomobject]@{ WallSeconds = [math]::Round($wall, 1); ImposedSeconds = [math]::Round($stats.imposedWaitSeconds, 1); Exposed = $stats.momentsWithoutStartedCopy }
    } finally {
        Disconnect-EsCluster -Name zoned -ErrorAction SilentlyContinue
        $current | Stop-EsEmulator
    }
}

Write-Host 'One node at a time...'
$serial = Measure-Run @{}
Write-Host "One at a time: $($serial.WallSeconds) s. By zone..."
$zoned = Measure-Run @{ ByZone = $true }
[pscustomobject]@{
    TimeScale                 = $TimeScale
    NodeBootSeconds           = $BootSeconds
    SerialSeconds             = $serial.WallSeconds
    ByZoneSeconds             = $zoned.WallSeconds
    Ratio                     = [math]::Round($zoned.WallSeconds / $serial.WallSeconds, 3)
    ExposedMomentsSerial      = $serial.Exposed
    ExposedMomentsByZone      = $zoned.Exposed
    ByZoneIdealSeconds        = $zoned.ImposedSeconds
    ByZoneOverheadRatio       = [math]::Round($zoned.WallSeconds / $zoned.ImposedSeconds, 3)
    Targets                   = 'Ratio <= 0.40; ExposedMoments 0'
} | Format-List | Out-String | Write-Host
