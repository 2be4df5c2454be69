# Orchestration overhead of Invoke-EsRollingUpgrade on an emulated 9-node cluster:
#   overhead = wall time of the upgrade ÷ the emulator's ideal schedule (the boots and recoveries it imposes),
# and the same upgrade driven by a script that follows Elastic's docs with fixed 10-second polls.
# Times are in emulated seconds (real seconds × time scale). Targets: overhead ≤ 1.05; ≤ 0.5× the fixed-poll script.
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

function New-BenchCluster { New-NineNodeBenchCluster -Name bench -TimeScale $TimeScale -BootSeconds $BootSeconds }

function Measure-Run([scriptblock] $Upgrade) {
    $es = New-BenchCluster
    try {
        $connection = Connect-EsCluster -Uri $es.Uris -Name bench -PassThru
        $before = (Invoke-EsRequest /_count).count
        Invoke-RestMethod -Method Post "$($es.control)/stats/reset" | Out-Null
        $watch = [Diagnostics.Stopwatch]::StartNew()
        & $Upgrade $es $connection
        $wall = $watch.Elapsed.TotalSeconds * $TimeScale
        $imposed = (Invoke-RestMethod "$($es.control)/stats").imposedWaitSeconds
        $versions = (Get-EsNode).VersionNumber | Sort-Object -Unique
        if ($versions -ne $TargetVersion -or (Invoke-EsRequest /_count).count -ne $before) { throw "The upgrade did not complete: versions $versions." }
        [pscustomobject]@{ WallSeconds = [math]::Round($wall, 1); ImposedSeconds = [math]::Round($imposed, 1) }
    } finally {
        Disconnect-EsCluster -Name bench -ErrorAction SilentlyContinue
        $es | Stop-EsEmulator
    }
}

$nodeAction = {
    param($Node, $TargetVersion)
    Invoke-EsEmulatorControl -Emulator $script:current -NodeName $Node.Name -Action stop | Out-Null
    Invoke-EsEmulatorControl -Emulator $script:current -NodeName $Node.Name -Action start -Version $TargetVersion | Out-Null
}

Write-Host 'Invoke-EsRollingUpgrade...'
$esupgrade = Measure-Run {
    param($es, $connection)
    $script:current = $es
    Invoke-EsRollingUpgrade -TargetVersion $TargetVersion -NodeAction $nodeAction -Confirm:$false -Connection $connection | Out-Null
}

# Elastic's documented steps, polled every 10 seconds (of emulated time).
$poll = [int](10000 / $TimeScale)
Write-Host "EsUpgrade: $($esupgrade.WallSeconds) s for an ideal $($esupgrade.ImposedSeconds) s. The fixed-poll script..."
$fixedPoll = Measure-Run {
    param($es, $connection)
    foreach ($node in (New-EsUpgradePlan $TargetVersion).Nodes) {
        Invoke-EsRequest -Method PUT /_cluster/settings -Body '{"persistent":{"cluster.routing.allocation.enable":"primaries"}}' | Out-Null
        Invoke-EsRequest -Method POST /_flush | Out-Null
        Invoke-EsEmulatorControl -Emulator $es -NodeName $node.Name -Action stop | Out-Null
        Invoke-EsEmulatorControl -Emulator $es -NodeName $node.Name -Action start -Version $TargetVersion | Out-Null
        do { Start-Sleep -Milliseconds $poll; $row = (Invoke-EsRequest '/_cat/nodes?h=name,version') | ForEach-Object { $_ } | Where-Object name -EQ $node.Name } until ($row.version -eq $TargetVersion)
        Invoke-EsRequest -Method PUT /_cluster/settings -Body '{"persistent":{"cluster.routing.allocation.enable":null}}' | Out-Null
        do { Start-Sleep -Milliseconds $poll; $h = Get-EsClusterHealth } until ($h.Status -eq 'green' -or ($h.Status -eq 'yellow' -and $h.InitializingShards -eq 0 -and $h.RelocatingShards -eq 0))
    }
}

[pscustomobject]@{
    TimeScale                    = $TimeScale
    NodeBootSeconds              = $BootSeconds
    IdealScheduleSeconds         = $esupgrade.ImposedSeconds
    EsUpgradeSeconds             = $esupgrade.WallSeconds
    OverheadRatio                = [math]::Round($esupgrade.WallSeconds / $esupgrade.ImposedSeconds, 3)
    FixedPollScriptSeconds       = $fixedPoll.WallSeconds
    FixedPollIdealSeconds        = $fixedPoll.ImposedSeconds
    EsUpgradeVsFixedPoll         = [math]::Round($esupgrade.WallSeconds / $fixedPoll.WallSeconds, 3)
    Targets                      = 'OverheadRatio <= 1.05; EsUpgradeVsFixedPoll <= 0.5'
} | Format-List | Out-String | Write-Host
