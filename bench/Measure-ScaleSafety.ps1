# P5: the planner and the safety checks on a large cluster — 3 masters and 198 data nodes in 3 zones (201 nodes), with
# 20, 2,000, 20,000 and 100,000 shard copies (indices of 10 shards and 1 replica; the emulator's scale mode). Each size
# runs in a fresh pwsh, so its peak memory is its own:
#   PlanSeconds      New-EsUpgradePlan (the inventory, the shards, the order; batches with -ByZone)
#   FirstStepSeconds Invoke-EsRollingUpgrade from its start to the first node action, less any wait the cluster
#                    imposed: the state, one safety check over every shard, allocation to primaries, the flush
#                                                                                           (target <= 1 s at 100,000)
#   StepOverhead     one whole node step (restart, rejoin, recovery, the next node's check) less the waits the
#                    cluster imposed in it: what the tool spends per node, and the emulator's own lag (each of its
#                    ticks costs tens of milliseconds at 100,000 copies); the second node's step, the code already
#                    compiled by the first                                                     (target <= 1 s at 100,000)
#   StepCpuSeconds   CPU time of the pwsh process in that step: the tool's own work, whatever the emulator's lag
#   PeakMemoryMB     the pwsh process's peak working set
#   EmulatorMB       the emulator's resident memory with the cluster loaded (Linux /proc)
# Real seconds. The run stops at the third node (its action throws): two steps run, the second is measured.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int[]] $Copies = @(20, 2000, 20000, 100000),
    [int] $DataNodes = 198,
    # 5: at 100,000 copies a tick of the emulator takes 40–90 ms and a node takes two copies at a time, so at a faster
    # scale the emulator cannot keep up with its own schedule and its lag would be counted as the tool's.
    [double] $TimeScale = 5,
    [int] $BootSeconds = 20,
    [string] $TargetVersion = '8.19.0',
    # Set by the bench itself: measure this one size in this process and print the result as JSON.
    [switch] $One
)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path

if (-not $One) {
    $rows = foreach ($size in $Copies) {
        Write-Host "$size shard copies on $($DataNodes + 3) nodes..."
        $pwsh = (Get-Process -Id $PID).Path
        $arguments = @('-NoProfile', '-NonInteractive', '-File', $PSCommandPath, '-ModulePath', $ModulePath, '-Copies', $size, '-DataNodes', $DataNodes,
            '-TimeScale', $TimeScale.ToString([Globalization.CultureInfo]::InvariantCulture), '-BootSeconds', $BootSeconds, '-TargetVersion', $TargetVersion, '-One')
        $output = if ($pwsh -match 'dotnet(\.exe)?$') { & $pwsh "$PSHOME/pwsh.dll" @arguments } else { & $pwsh @arguments }
        if ($LASTEXITCODE -ne 0) { throw "The measurement of $size copies failed: $output" }
        ($output | Select-Object -Last 1) | ConvertFrom-Json
    }
    $rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    Write-Host 'Targets: FirstStepSeconds and StepOverhead <= 1 s at 100,000 copies.'
    return
}

Import-Module $ModulePath
Import-Module "$PSScriptRoot/../tests/pester/EsEmulator.psm1"
$size = $Copies[0]
$es = Start-EsEmulator -Name scaled -TimeScale $TimeScale -BootSeconds $BootSeconds -ExtraArguments '--scale', "$($DataNodes):$($size):3" -StartTimeout '00:03:00'
try {
    $emulatorMB = [math]::Round(((Get-Content "/proc/$($es.pid)/status" | Select-String '^VmRSS:\s+(\d+)').Matches[0].Groups[1].Value / 1024))
    # Three nodes to talk to, as an admin's connection names a few: every node is served, each on its own port.
    $connection = Connect-EsCluster -Uri $es.Uris[0..2] -Name scaled -PassThru
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $plan = New-EsUpgradePlan -TargetVersion $TargetVersion -Connection $connection
    $planSeconds = $watch.Elapsed.TotalSeconds

    # The node action notes when it is called and the cluster's imposed wait then; it upgrades the first two nodes
    # and stops the run at the third.
    $marks = [Collections.Generic.List[object]]::new()
    $upgrade = New-EsEmulatorNodeAction $es
    $control = $es.control
    $action = {
        param($Node, $TargetVersion)
        $marks.Add([pscustomobject]@{ At = $watch.Elapsed.TotalSeconds; Imposed = (Invoke-RestMethod "$control/stats").imposedWaitSeconds; Cpu = [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalSeconds })
        if ($marks.Count -gt 2) { throw 'bench: node steps measured' }
        & $upgrade $Node $TargetVersion
    }.GetNewClosure()
    Invoke-RestMethod -Method Post "$control/stats/reset" | Out-Null
    $watch.Restart()
    try { $plan | Invoke-EsRollingUpgrade -NodeAction $action -Confirm:$false -Connection $connection -ErrorAction Stop | Out-Null }
    catch { if ($marks.Count -lt 3) { throw } }
    if ($marks.Count -lt 3) { throw "The run ended before its third node: $($marks.Count) node action(s)." }
    $step = $marks[2].At - $marks[1].At
    $imposed = ($marks[2].Imposed - $marks[1].Imposed) / $TimeScale
    [pscustomobject]@{
        Copies           = $size
        Nodes            = $plan.Nodes.Count
        PlanSeconds      = [math]::Round($planSeconds, 2)
        FirstStepSeconds = [math]::Round($marks[0].At - $marks[0].Imposed / $TimeScale, 2)
        StepSeconds      = [math]::Round($step, 2)
        ImposedSeconds   = [math]::Round($imposed, 2)
        StepOverhead     = [math]::Round($step - $imposed, 2)
        StepCpuSeconds   = [math]::Round($marks[2].Cpu - $marks[1].Cpu, 2)
        PeakMemoryMB     = [math]::Round((Get-Process -Id $PID).PeakWorkingSet64 / 1MB)
        EmulatorMB       = $emulatorMB
    } | ConvertTo-Json -Compress
} finally {
    Disconnect-EsCluster -Name scaled -ErrorAction SilentlyContinue
    $es | Stop-EsEmulator
}
