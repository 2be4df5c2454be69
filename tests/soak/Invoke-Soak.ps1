# The soak: a runbook process killed at every checkpoint of a 3-node rolling upgrade, then resumed.
# For each checkpoint k (the k-th step recorded in the state file): a fresh emulator, a fresh pwsh running
# Invoke-EsRollingUpgrade -StatePath, killed (the whole process tree) as soon as the state file shows k steps; then
# the same command in this process resumes it. Each resume must complete with every node at the target, each node
# started once, allocation back as it was, no run marker left, and every document still there.
# Not in CI (about 25 s per checkpoint); CI keeps a sample: tests/pester/RollingUpgrade.Tests.ps1 kills a run mid-upgrade.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $TargetVersion = '8.19.0',
    # Only these checkpoints (default: every one a complete run records).
    [int[]] $Checkpoint,
    [string] $ReportPath
)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
Import-Module $ModulePath
Import-Module "$PSScriptRoot/../pester/EsEmulator.psm1"

$nodeAction = {
    param($Node, $TargetVersion)
    Invoke-EsEmulatorControl -Emulator $es -NodeName $Node.Name -Action stop | Out-Null
    Invoke-EsEmulatorControl -Emulator $es -NodeName $Node.Name -Action start -Version $TargetVersion | Out-Null
}

# Steps recorded so far: each node's completed steps and its done mark, and the run's end.
function Get-Progress([string] $StatePath) {
    try { $state = Get-Content -Raw $StatePath -ErrorAction Stop | ConvertFrom-Json } catch { return -1 }
    $steps = 0
    foreach ($node in $state.Nodes) { $steps += @($node.Completed).Count + [int][bool]$node.Done }
    $steps + [int][bool]$state.CompletedAt
}

function Get-Where([string] $StatePath) {
    $state = Get-Content -Raw $StatePath | ConvertFrom-Json
    $node = $state.Nodes | Where-Object { -not $_.Done } | Select-Object -First 1
    if (-not $node) { return 'after the last node' }
    $last = @($node.Completed) | Select-Object -Last 1
    "$($node.Name) after $(if ($last) { $last } else { 'its start' })"
}

function New-SoakCluster { Start-EsEmulator -Name soak -Nodes 3 -TimeScale 60 -BootSeconds 20 -Index 'logs:3:1:30000', 'metrics:1:2:5000' }

# One complete run says how many checkpoints there are.
if (-not $Checkpoint) {
    $es = New-SoakCluster
    try {
        $state = Join-Path $es.Directory 'state.json'
        Connect-EsCluster -Uri $es.Uris -Name soak | Out-Null
        Invoke-EsRollingUpgrade -TargetVersion $TargetVersion -NodeAction $nodeAction -StatePath $state -MlUpgradeMode -Confirm:$false | Out-Null
        $Checkpoint = 1..(Get-Progress $state)
    } finally {
        Get-EsConnection | Disconnect-EsCluster
        $es | Stop-EsEmulator
    }
}
Write-Host "Killing at $($Checkpoint.Count) checkpoints"

$rows = foreach ($k in $Checkpoint) {
    $es = New-SoakCluster
    $row = [ordered]@{ Checkpoint = $k; Reached = -1; KilledAt = ''; Resumed = $false; Restarts = ''; Problem = '' }
    try {
        $state = Join-Path $es.Directory 'state.json'
        Connect-EsCluster -Uri $es.Uris -Name soak | Out-Null
        $documents = (Invoke-EsRequest /_count).count
        # Every call to the cluster answers half a second late (an emulator fault), so that the run cannot pass a further
        # checkpoint before the kill lands on the k-th — unless two checkpoints follow each other with no call between
        # (a node's last step and its done mark; the action's start and the step before it).
        Add-EsEmulatorFault -Emulator $es -Kind Latency -LatencyMs 500 | Out-Null
        $run = Start-EsUpgradeRunbook -Emulator $es -ModulePath $ModulePath -StatePath $state -TargetVersion $TargetVersion -MlUpgradeMode
        $watcher = [IO.FileSystemWatcher]::new($es.Directory, '*.json')
        try {
            while (-not $run.HasExited -and ($progress = Get-Progress $state) -lt $k) {
                $null = $watcher.WaitForChanged([IO.WatcherChangeTypes]::All, 20)
            }
        } finally { $watcher.Dispose() }
        if ($run.HasExited) { throw "the run ended before checkpoint $k (exit $($run.ExitCode)): $(Get-Content -Raw (Join-Path $es.Directory 'run.err'))" }
        $run.Kill($true); $run.WaitForExit()
        Clear-EsEmulatorFault -Emulator $es
        $row.Reached = Get-Progress $state
        $row.KilledAt = Get-Where $state

        # The resume: the same command, as the runbook's restart runs it (a short grace for a node the dead run left down).
        Invoke-EsRollingUpgrade -TargetVersion $TargetVersion -NodeAction $nodeAction -StatePath $state -MlUpgradeMode -NodeTimeout '00:00:30' -Confirm:$false | Out-Null
        $nodes = (Invoke-RestMethod "$($es.control)/nodes").nodes
        $row.Restarts = ($nodes.restarts -join ',')
        $settings = Invoke-EsRequest '/_cluster/settings?flat_settings=true'
        $left = @($settings.persistent.PSObject.Properties.Name) + @($settings.transient.PSObject.Properties.Name) | Where-Object { $_ }
        $problems = @()
        if (($nodes.version | Sort-Object -Unique) -ne $TargetVersion) { $problems += "versions $($nodes.version -join ',')" }
        if ($nodes.restarts | Where-Object { $_ -ne 1 }) { $problems += "restarts $($row.Restarts)" }
        if ($left) { $problems += "settings left: $($left -join ', ')" }
        if ((Invoke-EsRequest /_count).count -ne $documents) { $problems += 'documents lost' }
        if (-not (Get-Content -Raw $state | ConvertFrom-Json).CompletedAt) { $problems += 'the state file does not say completed' }
        if ((Invoke-EsRequest /_ml/info).upgrade_mode) { $problems += 'ML upgrade mode left on' }
        $row.Resumed = $problems.Count -eq 0
        $row.Problem = $problems -join '; '
    } catch {
        $row.Problem = $_.Exception.Message
    } finally {
        Get-EsConnection | Disconnect-EsCluster
        $es | Stop-EsEmulator
    }
    $line = [pscustomobject]$row
    Write-Host ("{0,3} {1,3}  {2,-40} {3,-6} {4}" -f $line.Checkpoint, $line.Reached, $line.KilledAt, $line.Resumed, $line.Problem)
    $line
}

$completed = @($rows | Where-Object Resumed).Count
$exact = @($rows | Where-Object { $_.Reached -eq $_.Checkpoint }).Count
$summary = "$($rows.Count) kills ($exact exactly at their checkpoint, the others at a later one), $completed resumes completed, $($rows.Count - $completed) failed"
Write-Host $summary
if ($ReportPath) {
    $lines = @('| checkpoint | reached | killed at | resume completed | restarts per node | problem |', '|---|---|---|---|---|---|')
    $lines += $rows | ForEach-Object { "| $($_.Checkpoint) | $($_.Reached) | $($_.KilledAt) | $(if ($_.Resumed) { 'yes' } else { '**no**' }) | $($_.Restarts) | $($_.Problem) |" }
    $lines += '', $summary
    Set-Content $ReportPath $lines
}
if ($completed -ne $rows.Count) { exit 1 }
