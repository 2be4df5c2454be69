# The rolling upgrade and its building blocks, as a user runs them.
BeforeAll {
    Import-Module $env:ESUPGRADE_MODULE
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    $script:target = '8.19.0'
    # What an admin's -NodeAction does to a machine; here, through the emulator's control API.
    $script:upgradeNode = {
        param($Node, $TargetVersion)
        Invoke-EsEmulatorControl -Emulator $es -NodeName $Node.Name -Action stop | Out-Null
        Invoke-EsEmulatorControl -Emulator $es -NodeName $Node.Name -Action start -Version $TargetVersion | Out-Null
    }
    function Start-NineNodeCluster {
        Start-EsEmulator -Name nine -TimeScale 60 -Index 'logs-hot:2:1:200000::data_hot', 'logs-warm:2:1:500000::data_warm,data_hot', 'logs-frozen:1:1:900000::data_frozen', 'orders:1:1:12345' -Node @(
            'master-1=7.17.27:master', 'master-2=7.17.27:master', 'master-3=7.17.27:master',
            'hot-1=7.17.27:data_hot,data_content,ingest', 'hot-2=7.17.27:data_hot,data_content,ingest',
            'warm-1=7.17.27:data_warm', 'warm-2=7.17.27:data_warm', 'frozen-1=7.17.27:data_frozen', 'frozen-2=7.17.27:data_frozen')
    }
    function Get-Restarts { (Invoke-RestMethod "$($es.control)/nodes").nodes | ForEach-Object { $_.restarts } }
}

Describe 'Building blocks' {
    AfterEach {
        Get-EsConnection | Disconnect-EsCluster
        if ($es) { $es | Stop-EsEmulator; $script:es = $null }
    }
    BeforeEach {
        $script:es = Start-EsEmulator -Nodes 3 -TimeScale 60 -Index 'logs:2:1:5000', 'old-logs:1:1:10:6.8.23'
        Connect-EsCluster -Uri $es.Uris
    }

    It 'Get-EsIndex shows the version that created each index' {
        $old = Get-EsIndex old-logs
        $old.CreatedVersion | Should -Be ([version]'6.8.23')
        (Get-EsIndex | Where-Object { $_.CreatedVersion -lt [version]'7.0' }).Name | Should -Be 'old-logs'
        (Get-EsIndex logs).DocsCount | Should -Be 5000
    }

    It 'Get-EsShard lists copies and filters by state' {
        (Get-EsShard logs).Count | Should -Be 4
        Get-EsShard -State UNASSIGNED | Should -BeNullOrEmpty
    }

    It 'Disable-EsShardAllocation remembers the value; Enable-EsShardAllocation puts it back' {
        Invoke-EsRequest -Method PUT /_cluster/settings -Body @{ persistent = @{ 'cluster.routing.allocation.enable' = 'all' } } | Out-Null
        $change = Disable-EsShardAllocation
        $change.Applied | Should -Be 'primaries'
        $change.Previous.Persistent | Should -Be 'all'
        (Get-EsClusterSetting cluster.routing.allocation.enable).Value | Should -Be 'primaries'
        (Enable-EsShardAllocation).Persistent | Should -Be 'all'
        Disable-EsShardAllocation -Mode None -WhatIf
        (Get-EsClusterSetting cluster.routing.allocation.enable).Value | Should -Be 'all'
    }

    It 'Invoke-EsFlush flushes; -Synced works on 7.17' {
        (Invoke-EsFlush).Failed | Should -Be 0
        (Invoke-EsFlush -Synced).Synced | Should -BeTrue
    }

    It 'Set-EsMlUpgradeMode turns the mode on and off' {
        Set-EsMlUpgradeMode -Enabled $true | Should -BeTrue
        Set-EsMlUpgradeMode -Enabled $false | Should -BeFalse
    }

    It 'Wait-EsNode returns when the node is back at the version, and fails fast on another version' {
        Invoke-EsEmulatorControl -Emulator $es -NodeName es-03 -Action stop | Out-Null
        Invoke-EsEmulatorControl -Emulator $es -NodeName es-03 -Action start | Out-Null
        (Wait-EsNode es-03 -Version 7.17.27 -Timeout 30).VersionNumber | Should -Be '7.17.27'
        { Wait-EsNode es-03 -Version 8.19.0 -Timeout 30 } | Should -Throw -ErrorId 'NodeVersionMismatch,EsUpgrade.Commands.WaitEsNodeCommand'
    }

    It 'New-EsUpgradePlan refuses a target that is not 8.x, and a 6.x index is caught before any node restarts' {
        { New-EsUpgradePlan 9.0.0 -ErrorAction Stop } | Should -Throw -ErrorId 'UnsupportedTargetVersion,EsUpgrade.Commands.NewEsUpgradePlanCommand'
        New-EsUpgradePlan $target -WarningVariable warned -WarningAction SilentlyContinue | Out-Null
        $warned | Where-Object { $_ -like '*old-logs (6.8.23)*Invoke-EsRollingUpgrade refuses to start*' } | Should -Not -BeNullOrEmpty
        { Invoke-EsRollingUpgrade -TargetVersion $target -NodeAction $upgradeNode -Confirm:$false } |
            Should -Throw -ErrorId 'IncompatibleIndices,EsUpgrade.Commands.InvokeEsRollingUpgradeCommand'
        $Error[0].Exception.Message | Should -BeLike '*old-logs (6.8.23)*'
        Get-Restarts | Should -Be @(0, 0, 0)
        (Get-EsClusterSetting cluster.routing.allocation.enable -IncludeDefaults -Scope Persistent) | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-EsRollingUpgrade, told what it cannot do' {
    BeforeAll {
        $script:es = Start-EsEmulator -Nodes 3 -TimeScale 60 -Index 'logs:1:1:100'
        Connect-EsCluster -Uri $es.Uris
    }
    AfterAll {
        Get-EsConnection | Disconnect-EsCluster
        $es | Stop-EsEmulator; $script:es = $null
    }
    It 'a -StatePath that is a folder: InvalidStateFile, nothing restarted' {
        { Invoke-EsRollingUpgrade $target -NodeAction $upgradeNode -StatePath $TestDrive -Confirm:$false } |
            Should -Throw -ErrorId 'InvalidStateFile,EsUpgrade.Commands.InvokeEsRollingUpgradeCommand'
        Get-Restarts | Should -Be @(0, 0, 0)
    }
    It 'a session that cannot ask for confirmation is told to pass -Confirm:$false' -Skip:(-not ([Environment]::GetCommandLineArgs() -contains '-NonInteractive')) {
        $failure = try { Invoke-EsRollingUpgrade $target -NodeAction $upgradeNode | Out-Null } catch { $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'RollingUpgradeFailed,*'
        $failure.Exception.InnerException.ErrorId | Should -Be 'ConfirmationUnavailable'
        $failure.Exception.Message | Should -BeLike '*Pass -Confirm:$false*'
        Get-Restarts | Should -Be @(0, 0, 0)
        Get-EsClusterSetting cluster.routing.allocation.enable -IncludeDefaults -Scope Persistent | Should -BeNullOrEmpty
    }
    It 'what -NodeAction writes goes to the verbose stream; the errors it writes are kept' {
        $action = {
            param($Node, $TargetVersion)
            $ErrorActionPreference = 'Continue'    # the suite runs with Stop, which would make Write-Error end the action
            "stopping $($Node.Name)"
            Write-Error "service warning on $($Node.Name)"
            & $upgradeNode $Node $TargetVersion
        }
        $results = Invoke-EsRollingUpgrade $target -NodeAction $action -Confirm:$false -Verbose -ErrorVariable actionErrors -ErrorAction SilentlyContinue 4>&1
        $verbose = $results | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose | Where-Object Message -Like '*-NodeAction: stopping es-02*') | Should -Not -BeNullOrEmpty
        ($results | Where-Object { $_ -is [EsUpgrade.Upgrade.NodeUpgradeResult] }).Status | Sort-Object -Unique | Should -Be 'Upgraded'
        ($actionErrors | ForEach-Object { "$_" }) | Should -Contain 'service warning on es-03'
    }
}

Describe 'Invoke-EsRollingUpgrade' {
    AfterEach {
        Get-EsConnection | Disconnect-EsCluster
        if ($es) { $es | Stop-EsEmulator; $script:es = $null }
    }
    It 'takes a 3-node cluster to 8.x and keeps every document' {
        $script:es = Start-EsEmulator -Nodes 3 -TimeScale 60 -Index 'logs:3:1:30000', 'metrics:1:2:5000'
        Connect-EsCluster -Uri $es.Uris
        $before = (Invoke-EsRequest /_count).count
        $results = Invoke-EsRollingUpgrade -TargetVersion $target -NodeAction $upgradeNode -Confirm:$false
        $results.Count | Should -Be 3
        $results.Status | Sort-Object -Unique | Should -Be 'Upgraded'
        $results[-1].Node | Should -Be 'es-01' -Because 'the elected master goes last'
        (Get-EsNode).VersionNumber | Sort-Object -Unique | Should -Be $target
        (Invoke-EsRequest /_count).count | Should -Be $before
        Get-EsClusterSetting cluster.routing.allocation.enable -IncludeDefaults -Scope Persistent | Should -BeNullOrEmpty
        Get-Restarts | Should -Be @(1, 1, 1)
    }

    It 'takes 3 masters and 6 data nodes (hot, warm, frozen) to 8.x in tier order, with progress and the ML upgrade mode' {
        $script:es = Start-NineNodeCluster
        Connect-EsCluster -Uri $es.Uris
        $before = (Invoke-EsRequest /_count).count
        $baseline = Export-EsClusterBaseline (Join-Path $es.Directory 'before.json')
        $baseline.TotalDocuments | Should -Be $before
        $plan = New-EsUpgradePlan $target
        $plan.Nodes.Name | Should -Be @('frozen-1', 'frozen-2', 'warm-1', 'warm-2', 'hot-1', 'hot-2', 'master-2', 'master-3', 'master-1')
        (Get-EsShard logs-frozen).Node | Sort-Object | Should -Be @('frozen-1', 'frozen-2') -Because 'the tiers hold data, so their restarts matter'
        (Get-EsShard logs-warm).Node | Sort-Object -Unique | Should -Be @('warm-1', 'warm-2')
        $results = $plan | Invoke-EsRollingUpgrade -NodeAction $upgradeNode -MlUpgradeMode -Confirm:$false -InformationAction SilentlyContinue
        $results.Node | Should -Be $plan.Nodes.Name
        (Get-EsCluster).Versions | Should -Be "$target (9)"
        (Invoke-EsRequest /_count).count | Should -Be $before
        (Invoke-EsRequest /_ml/info).upgrade_mode | Should -BeFalse
        (Get-EsClusterHealth).Status | Should -Be 'green'
        $checks = Test-EsUpgradeResult $target -Baseline (Join-Path $es.Directory 'before.json')
        $checks | Where-Object Status -EQ Fail | Should -BeNullOrEmpty
        ($checks | Where-Object Name -EQ DocumentCounts).Status | Should -Be 'Pass'
        Test-EsUpgradeResult $target -Baseline $baseline -Quiet | Should -BeTrue
        Invoke-EsRequest -Method DELETE /orders | Out-Null
        (Test-EsUpgradeResult $target -Baseline $baseline | Where-Object Status -EQ Fail).Name | Should -Be 'IndicesPresent'
    }

    It '-WhatIf shows the plan and changes nothing' {
        $script:es = Start-EsEmulator -Nodes 3 -TimeScale 60 -Index 'logs:1:1:100'
        Connect-EsCluster -Uri $es.Uris
        $out = Invoke-EsRollingUpgrade -TargetVersion $target -NodeAction $upgradeNode -WhatIf
        $out | Should -BeOfType 'EsUpgrade.Upgrade.UpgradePlan'
        Get-Restarts | Should -Be @(0, 0, 0)
        (Get-EsNode).VersionNumber | Sort-Object -Unique | Should -Be '7.17.27'
        Get-EsClusterSetting cluster.routing.allocation.enable -IncludeDefaults -Scope Persistent | Should -BeNullOrEmpty
    }

    It 'a node that refuses to start stops the run with allocation restored; after the fix, the same state file resumes' {
        $script:es = Start-EsEmulator -Nodes 3 -TimeScale 60 -Index 'logs:2:1:1000'
        Connect-EsCluster -Uri $es.Uris
        $state = Join-Path $es.Directory 'upgrade.json'
        $script:broken = 'es-03'
        $action = {
            param($Node, $TargetVersion)
            Invoke-EsEmulatorControl -Emulator $es -NodeName $Node.Name -Action stop | Out-Null
            $config = if ($Node.Name -eq $broken) { "discovery.zen.minimum_master_nodes: 2`n" } else { "node.roles: [ master, data ]`nxpack.security.enabled: false`n" }
            # Like Start-Service, the start succeeds; a refusal is only in the node's log, whose last lines the action returns.
            Invoke-EsEmulatorControl -Emulator $es -NodeName $Node.Name -Action start -Version $TargetVersion -Config $config | Out-Null
            Get-EsEmulatorNodeLog -Emulator $es -NodeName $Node.Name | Select-Object -Last 2
        }
        $failure = try { Invoke-EsRollingUpgrade -TargetVersion $target -NodeAction $action -StatePath $state -NodeTimeout 5 -Confirm:$false -OutVariable first | Out-Null } catch { $_ }
        $failure = @($failure)
        $failure[0].FullyQualifiedErrorId | Should -Be 'RollingUpgradeFailed,EsUpgrade.Commands.InvokeEsRollingUpgradeCommand'
        $failure[0].TargetObject | Should -Be 'es-03'
        $failure[0].Exception.InnerException.ErrorId | Should -Be 'NodeRejoinTimeout'
        $failure[0].Exception.Message | Should -BeLike '*The node action said:*unknown setting `[discovery.zen.minimum_master_nodes`]*'
        $failure[0].Exception.Message | Should -BeLike "*-StatePath '$state': it resumes at es-03, SafetyCheck*"
        ($first | Where-Object Status -EQ 'Failed').Node | Should -Be 'es-03'
        Get-EsClusterSetting cluster.routing.allocation.enable -IncludeDefaults -Scope Persistent | Should -BeNullOrEmpty

        $script:broken = 'none'   # the admin fixes elasticsearch.yml
        $second = Invoke-EsRollingUpgrade -TargetVersion $target -NodeAction $action -StatePath $state -Confirm:$false
        ($second | Where-Object Status -EQ 'AlreadyUpgraded').Count | Should -Be 1
        ($second | Where-Object Status -EQ 'Upgraded').Node | Should -Be @('es-03', 'es-01')
        Get-Restarts | Should -Be @(1, 1, 1)
        (Get-Content -Raw $state | ConvertFrom-Json).CompletedAt | Should -Not -BeNullOrEmpty
    }

    It 'a run killed mid-upgrade resumes from <Kept> in a new process without restarting a node twice' -ForEach @(
        @{ Kept = 'its state file' }
        @{ Kept = 'the cluster' }   # a runbook whose sandbox was lost: the restarted job waits for the dead run's lock to go stale (60 s)
    ) {
        $script:es = Start-EsEmulator -Nodes 3 -TimeScale 60 -BootSeconds 20 -Index 'logs:2:1:1000'
        $state = if ($Kept -eq 'the cluster') { 'cluster:killed-run' } else { Join-Path $es.Directory 'killed.json' }
        $baseline = if ($Kept -eq 'the cluster') { $state } else { $state -replace '\.json$', '.baseline.json' }
        # The runbook: a separate pwsh, killed once the second node's action has started.
        $run = Start-EsUpgradeRunbook -Emulator $es -ModulePath $env:ESUPGRADE_MODULE -StatePath $state -TargetVersion $target `
            -AfterAction ('if ($Node.Position -eq 2) {{ Set-Content ''{0}/killme'' now; Start-Sleep -Seconds 600 }}' -f $es.Directory)
        $watcher = [IO.FileSystemWatcher]::new($es.Directory, 'killme')
        try { while (-not (Test-Path "$($es.Directory)/killme") -and -not $run.HasExited) { $null = $watcher.WaitForChanged('Created', 500) } } finally { $watcher.Dispose() }
        $run.Kill($true); $run.WaitForExit()

        Connect-EsCluster -Uri $es.Uris
        $results = Invoke-EsRollingUpgrade -TargetVersion $target -NodeAction $upgradeNode -StatePath $state -Confirm:$false -WarningVariable held
        if ($Kept -eq 'the cluster') { "$held" | Should -Match 'is held by .* process \d+.*Waiting up to 60 s' }
        (Get-EsNode).VersionNumber | Sort-Object -Unique | Should -Be $target
        Get-Restarts | Should -Be @(1, 1, 1)
        $results.Count | Should -Be 3
        Get-EsClusterSetting cluster.routing.allocation.enable -IncludeDefaults -Scope Persistent | Should -BeNullOrEmpty
        # The run's story: the result checks against the baseline taken beside the state file, each node's timeline.
        $page = Join-Path $es.Directory 'after.html'
        Test-EsUpgradeResult $target -Baseline $baseline | Export-EsUpgradeReport $page -StatePath $state | Out-Null
        $html = Get-Content -Raw $page
        $html | Should -Match '<svg width='
        foreach ($node in 'es-01', 'es-02', 'es-03') { $html | Should -Match "<title>$node`: restart" }
        $html | Should -Match 'DocumentCounts'
        $html | Should -Match '<title>health (green|yellow)</title>' -Because 'the health the run saw is drawn under the nodes'
        $html | Should -Not -Match ' src=|<link|<script'
    }
}
