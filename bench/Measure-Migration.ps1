# The new-cluster route on 200 indices: Invoke-EsSnapshotMigration from an emulated 7.17 cluster into an 8.x one in
# another process, through one repository folder; 195 indices restored, 5 created in 6.x reindexed from the source.
#   overhead = wall time ÷ the emulators' ideal schedule (the snapshot, restore recoveries and reindex tasks they impose);
#   HTTP calls per index = every request the module sent (its -Verbose lines) ÷ 200.
# Times in emulated seconds (real × time scale). Target: overhead ≤ 1.10.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [double] $TimeScale = 1,
    [int] $Indices = 195,
    [int] $OldIndices = 5,
    [long] $Documents = 20000
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path $ModulePath).Path
Import-Module "$PSScriptRoot/../tests/pester/EsEmulator.psm1"

$repoRoot = Join-Path ([IO.Path]::GetTempPath()) "esupgrade-bench-migration-$PID"
New-Item -ItemType Directory -Path $repoRoot | Out-Null
$old = Start-EsEmulator -Name bench-old -Nodes 3 -Version 7.17.29 -BootSeconds 0 -TimeScale $TimeScale `
    -Index (1..$OldIndices | ForEach-Object { "legacy-$_`:1:1:$Documents`:6.8.23" }) `
    -ExtraArguments '--path-repo', $repoRoot, '--many-indices', "logs:$Indices`:0:$Documents"
$oldUri = [uri]$old.Uris[0]
$new = Start-EsEmulator -Name bench-new -Nodes 3 -Version 8.19.0 -BootSeconds 0 -TimeScale $TimeScale `
    -ExtraArguments '--path-repo', $repoRoot, '--reindex-whitelist', "$($oldUri.Host):$($oldUri.Port)"
try {
    $source = Connect-EsCluster -Uri $old.Uris -Name old -PassThru
    $destination = Connect-EsCluster -Uri $new.Uris -Name new -PassThru
    Register-EsSnapshotRepository move -Location move -Connection $source -Confirm:$false | Out-Null
    foreach ($es in $old, $new) { Invoke-RestMethod -Method Post "$($es.control)/stats/reset" | Out-Null }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $all = Invoke-EsSnapshotMigration $source $destination move -StatePath (Join-Path $repoRoot 'state.json') -Confirm:$false -Verbose 4>&1
    $wall = $watch.Elapsed.TotalSeconds * $TimeScale
    $results = @($all | Where-Object { $_ -is [EsUpgrade.Migration.EsMigratedIndex] })
    $requests = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '^\[[^\]]+\] (GET|POST|PUT|DELETE|HEAD) ' }).Count
    $ideal = ($old, $new | ForEach-Object { (Invoke-RestMethod "$($_.control)/stats").imposedWaitSeconds } | Measure-Object -Sum).Sum
    if (@($results | Where-Object Status -NE 'Complete').Count -gt 0 -or $results.Count -ne ($Indices + $OldIndices)) { throw "The migration did not complete: $($results | Where-Object Status -NE 'Complete' | Out-String)" }
    [pscustomobject]@{
        Indices              = $results.Count
        Restored             = @($results | Where-Object Route -EQ Restored).Count
        Reindexed            = @($results | Where-Object Route -EQ Reindexed).Count
        TimeScale            = $TimeScale
        IdealScheduleSeconds = [math]::Round($ideal, 1)
        WallSeconds          = [math]::Round($wall, 1)
        OverheadRatio        = [math]::Round($wall / $ideal, 3)
        HttpCallsPerIndex    = [math]::Round($requests / $results.Count, 2)
        Target               = 'OverheadRatio <= 1.10'
    }
} finally {
    Get-EsConnection | Disconnect-EsCluster
    $old, $new | Stop-EsEmulator
    Remove-Item -Recurse -Force $repoRoot -ErrorAction SilentlyContinue
}
