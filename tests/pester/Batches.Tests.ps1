# Zone-by-zone and N-at-a-time upgrades as an admin runs them: 3 zones of 2 data nodes (node.attr.zone), 3 masters,
# shard allocation awareness on zone.
BeforeAll {
    Import-Module $env:ESUPGRADE_MODULE
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    $script:target = '8.19.0'
    function Start-ZonedCluster([string[]] $Index = @('logs:6:1:6000', 'metrics:2:2:500')) {
        $nodes = 'master-1=7.17.27:master', 'master-2=7.17.27:master', 'master-3=7.17.27:master'
        foreach ($zone in 'a', 'b', 'c') { foreach ($i in 1, 2) { $nodes += "data-$zone$i=7.17.27:data,data_content,data_hot,ingest@zone=$zone" } }
        Start-EsEmulator -Name zoned -TimeScale 60 -BootSeconds 5 -Node $nodes -Index $Index -ExtraArguments '--setting', 'cluster.routing.allocation.awareness.attributes=zone', '--setting', 'cluster.routing.allocation.awareness.force.zone.values=a,b,c'
    }
    function Get-Restarts { (Invoke-RestMethod "$($es.control)/nodes").nodes | ForEach-Object { $_.restarts } }
}

Describe 'Batches' {
    AfterEach {
        Get-EsConnection | Disconnect-EsCluster
        if ($es) { $es | Stop-EsEmulator; $script:es = $null }
    }

    It 'New-EsUpgradePlan -ByZone shows each zone as a batch, with why, and the masters one at a time' {
        $script:es = Start-ZonedCluster
        Connect-EsCluster -Uri $es.Uris | Out-Null
        $plan = New-EsUpgradePlan $target -ByZone
        ($plan.Batches | Select-Object -First 3).Zone | Should -Be @('a', 'b', 'c')
        ($plan.Batches | Select-Object -First 3 | ForEach-Object { $_.Nodes.Count }) | Should -Be @(2, 2, 2)
        ($plan.Batches | Select-Object -Skip 3 | ForEach-Object { $_.Nodes.Count }) | Should -Be @(1, 1, 1)
        $plan.Batches[0].Why | Should -Match 'every shard on these nodes has a started copy in another zone'
        ($plan | Out-String -Width 200) | Should -Match '\(data-a1 data-a2\) > \(data-b1 data-b2\) > \(data-c1 data-c2\) > master-'
        ($plan.Nodes | Where-Object Name -EQ 'data-b2').Batch | Should -Be 2
    }

    It 'Invoke-EsRollingUpgrade -ByZone upgrades every node once, zone by zone' {
        $script:es = Start-ZonedCluster
        Connect-EsCluster -Uri $es.Uris | Out-Null
        $state = Join-Path $es.Directory 'zones.json'
        $results = Invoke-EsRollingUpgrade $target -ByZone -NodeAction (New-EsEmulatorNodeAction $es) -StatePath $state -Confirm:$false
        ($results | Where-Object Status -EQ 'Upgraded').Count | Should -Be 9
        (Get-EsNode).VersionNumber | Sort-Object -Unique | Should -Be $target
        Get-Restarts | Should -Be @(1, 1, 1, 1, 1, 1, 1, 1, 1)
        (Get-Content -Raw $state | ConvertFrom-Json).Nodes | Where-Object Name -Like 'data-a*' | ForEach-Object Batch | Should -Be @(1, 1)
        Get-EsClusterSetting cluster.routing.allocation.enable -IncludeDefaults -Scope Persistent | Should -BeNullOrEmpty
    }

    It 'runs the actions of a batch side by side, each in a runspace of its own, its output under its name; -ThrottleLimit 1 in this session' {
        $script:es = Start-ZonedCluster
        Connect-EsCluster -Uri $es.Uris | Out-Null
        $seen = [Collections.Concurrent.ConcurrentQueue[object]]::new()
        # The two data nodes of a zone meet at the barrier: only actions running side by side can (the masters go alone).
        $barrier = [Threading.Barrier]::new(2)
        # What an action leans on in the session: a function defined here, a script block held in a variable (a closure
        # made by a module), the current location.
        function Get-Where { (Get-Location).Path }
        $upgrade = New-EsEmulatorNodeAction $es
        Push-Location $es.Directory
        $action = {
            param($Node, $TargetVersion)
            $seen.Enqueue([pscustomobject]@{ Node = $Node.Name; Runspace = [runspace]::DefaultRunspace.InstanceId; Location = Get-Where })
            if ($Node.Name -like 'data-*' -and -not $barrier.SignalAndWait([TimeSpan]::FromSeconds(30))) { throw "$($Node.Name) waited alone at the barrier" }
            Write-Verbose "upgrading $($Node.Name) in my runspace"
            Write-Warning "a warning from $($Node.Name)"
            & $upgrade $Node $TargetVersion
        }
        # The actions see this scope's preferences, as an action run in the session does.
        $VerbosePreference = 'Continue'
        $results = Invoke-EsRollingUpgrade $target -ByZone -NodeAction $action -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue 4>&1
        $VerbosePreference = 'SilentlyContinue'
        Pop-Location
        ($results | Where-Object { $_ -is [EsUpgrade.Upgrade.NodeUpgradeResult] -and $_.Status -eq 'Upgraded' }).Count | Should -Be 9
        $here = [runspace]::DefaultRunspace.InstanceId
        $data = @($seen.ToArray() | Where-Object Node -Like 'data-*')
        $data.Count | Should -Be 6
        ($data.Runspace | Sort-Object -Unique).Count | Should -Be 6
        $data.Runspace | Should -Not -Contain $here
        @($seen.ToArray() | Where-Object Node -Like 'master-*').Runspace | Sort-Object -Unique | Should -Be $here
        $seen.ToArray().Location | Sort-Object -Unique | Should -Be (Resolve-Path $es.Directory).ProviderPath
        ($results | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain '[data-b2] -NodeAction: upgrading data-b2 in my runspace'
        $warned.Message | Should -Contain '[data-c1] -NodeAction: a warning from data-c1'
        Get-Restarts | Should -Be @(1, 1, 1, 1, 1, 1, 1, 1, 1)

        # One after the other in this session: a batch's two actions cannot meet at a barrier, and the run stops safely.
        $es | Stop-EsEmulator
        Get-EsConnection | Disconnect-EsCluster
        $script:es = Start-ZonedCluster
        Connect-EsCluster -Uri $es.Uris | Out-Null
        $barrier = [Threading.Barrier]::new(2)
        $action = {
            param($Node, $TargetVersion)
            if (-not $barrier.SignalAndWait([TimeSpan]::FromMilliseconds(200))) { throw "$($Node.Name) waited alone at the barrier" }
        }
        $failed = { Invoke-EsRollingUpgrade $target -ByZone -ThrottleLimit 1 -NodeAction $action -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $failed.Exception.Message | Should -Match 'data-a\d waited alone at the barrier'
        Get-EsClusterSetting cluster.routing.allocation.enable -IncludeDefaults -Scope Persistent | Should -BeNullOrEmpty
    }

    It 'refuses a zone holding an index without replicas, naming it, unless -FallbackToSerial; and conflicting options' {
        $script:es = Start-ZonedCluster -Index 'logs:6:1:6000', 'scratch:1:0:10'
        Connect-EsCluster -Uri $es.Uris | Out-Null
        $refused = { New-EsUpgradePlan $target -ByZone -ErrorAction Stop } | Should -Throw -PassThru
        $refused.FullyQualifiedErrorId | Should -Be 'BatchUnsafe,EsUpgrade.Commands.NewEsUpgradePlanCommand'
        $refused.Exception.Message | Should -Match 'scratch \[0\].*\(scratch has no replicas\)'
        $plan = New-EsUpgradePlan $target -ByZone -FallbackToSerial
        ($plan.Batches | Where-Object { $_.Nodes.Count -eq 2 }).Count | Should -Be 2
        ($plan.Batches | Where-Object Why -Match 'one at a time' | Where-Object Zone).Count | Should -Be 2
        { New-EsUpgradePlan $target -ByZone -MaxUnavailable 2 -ErrorAction Stop } | Should -Throw -ErrorId 'ConflictingBatchOptions,EsUpgrade.Commands.NewEsUpgradePlanCommand'
        { $plan | Invoke-EsRollingUpgrade -NodeAction (New-EsEmulatorNodeAction $es) -MaxUnavailable 2 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ConflictingBatchOptions,EsUpgrade.Commands.InvokeEsRollingUpgradeCommand'
    }

    It '-MaxUnavailable 2 restarts up to two data nodes together' {
        $script:es = Start-ZonedCluster
        Connect-EsCluster -Uri $es.Uris | Out-Null
        $plan = New-EsUpgradePlan $target -MaxUnavailable 2
        $plan.Batches | ForEach-Object { $_.Nodes.Count } | Should -Not -Contain 3
        ($plan.Batches | Where-Object { $_.Nodes.Count -eq 2 }).Count | Should -BeGreaterThan 0
        $results = $plan | Invoke-EsRollingUpgrade -NodeAction (New-EsEmulatorNodeAction $es) -Confirm:$false
        ($results | Where-Object Status -EQ 'Upgraded').Count | Should -Be 9
        Get-Restarts | Should -Be @(1, 1, 1, 1, 1, 1, 1, 1, 1)
    }
}
