# The assessment as an admin runs it: readiness, deprecations, node configuration, clients, the report.
BeforeAll {
    Import-Module $env:ESUPGRADE_MODULE
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "esupgrade-assess-$PID"
    New-Item -ItemType Directory -Path $work | Out-Null
    Set-Content "$work/legacy.yml" "node.master: true`nnode.data: true`ndiscovery.zen.minimum_master_nodes: 2`nxpack.security.enabled: false"
    # A cluster that is ready but for nothing, and one that is not.
    $script:ready = Start-EsEmulator -Name ready -Nodes 3 -Version 7.17.29 -Index 'logs:2:1:100' -Snapshot 'nightly:before-upgrade:2' -BootSeconds 0
    $script:troubled = Start-EsEmulator -Name troubled -Nodes 2 -Version 7.17.27 -Index 'logs:1:1:100', 'old-logs:1:0:10:6.8.23', '.kibana_1:1:0:5:6.8.23::hidden' -Yml "es-01:$work/legacy.yml" -BootSeconds 0 -TimeScale 20 -ExtraArguments '--ml-snapshot', 'fraud:old:6.4.0', '--ml-snapshot', 'fraud:current:7.17.0'
    $script:readyConn = Connect-EsCluster -Uri $ready.Uris -Name ready -PassThru
    $script:troubledConn = Connect-EsCluster -Uri $troubled.Uris -Name troubled -PassThru
}

AfterAll {
    Get-EsConnection | Disconnect-EsCluster
    $ready, $troubled | Stop-EsEmulator
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

Describe 'Test-EsUpgradeReadiness' {
    It 'says a ready cluster is ready, as objects and as $true' {
        $checks = Test-EsUpgradeReadiness 8.19.0 -Connection $readyConn
        $checks | Where-Object Status -NE Pass | ForEach-Object { "$($_.Name): $($_.Detail)" } | Should -BeNullOrEmpty
        $checks.Name | Should -Contain 'RecentSnapshot'
        Test-EsUpgradeReadiness 8.19.0 -Connection $readyConn -Quiet | Should -BeTrue
    }
    It 'says what stops a troubled cluster, failures first, each with a remedy and a link' {
        $checks = Test-EsUpgradeReadiness 8.19.0 -Connection $troubledConn
        $checks[0].Status | Should -Be 'Fail'
        ($checks | Where-Object Name -EQ IndicesCreatedBefore7).Affected | Should -Contain '.kibana_1 (6.8.23)'
        ($checks | Where-Object Name -EQ RecentSnapshot).Status | Should -Be 'Fail'
        ($checks | Where-Object Name -EQ NewestPatch).Status | Should -Be 'Warning'
        $checks | Where-Object Status -EQ Fail | ForEach-Object { $_.Remedy | Should -Not -BeNullOrEmpty -Because $_.Name }
        Test-EsUpgradeReadiness 8.19.0 -Connection $troubledConn -Quiet | Should -BeFalse
    }
    It 'refuses a target that is not an 8.x release in full' {
        Test-EsUpgradeReadiness 7.17.29 -Connection $readyConn -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnsupportedTargetVersion*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'Test-EsDeprecation' {
    It 'gives the API''s findings and the hidden 6.x index it misses' {
        $findings = Test-EsDeprecation -Connection $troubledConn -Level Critical
        ($findings | Where-Object Resource -EQ old-logs).Message | Should -Be 'Index created before 7.0'
        $hidden = $findings | Where-Object Resource -EQ .kibana_1
        $hidden.Source | Should -Be 'EsUpgrade'
        ($findings | Where-Object Category -EQ Node).Nodes | Should -Contain 'es-01'
    }
    It 'narrows to the indices piped in' {
        $findings = Get-EsIndex old-logs -Connection $troubledConn | Test-EsDeprecation
        $findings.Resource | Sort-Object -Unique | Should -Be 'old-logs'
    }
}

Describe 'Node configuration' {
    It 'finds each removed setting on its line' {
        $findings = Test-EsNodeConfiguration "$work/legacy.yml"
        ($findings | Where-Object Setting -EQ node.master).Line | Should -Be 1
        ($findings | Where-Object Setting -EQ discovery.zen.minimum_master_nodes).Level | Should -Be 'Critical'
    }
    It 'writes a copy with nothing critical left, and never overwrites without -Force' {
        $result = Convert-EsNodeConfiguration "$work/legacy.yml" -Destination "$work/es8.yml"
        $result.Fixed.Count | Should -BeGreaterThan 0
        Get-Content "$work/es8.yml" | Should -Contain 'node.roles: [ master, data, ingest, ml, remote_cluster_client, transform ]'
        Test-EsNodeConfiguration "$work/es8.yml" -Level Critical | Should -BeNullOrEmpty
        Convert-EsNodeConfiguration "$work/legacy.yml" -Destination "$work/legacy.yml" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DestinationExists*'
        Convert-EsNodeConfiguration "$work/legacy.yml" -Destination "$work/whatif.yml" -WhatIf | Should -BeNullOrEmpty
        Test-Path "$work/whatif.yml" | Should -BeFalse
    }
    It 'names line and column of invalid YAML, and says plainly what is missing' {
        Set-Content "$work/bad.yml" "node:`n  master: true`n   data: false"
        Test-EsNodeConfiguration "$work/bad.yml" -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidNodeConfiguration*'
        $err[0].Exception.Message | Should -Match 'line 3, column \d+'
        Test-EsNodeConfiguration "$work/none.yml" -ErrorVariable err2 -ErrorAction SilentlyContinue
        $err2[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Clients, the deprecation log and the report' {
    It 'lists this session as a client that works with 8.x' {
        $me = Get-EsClient -Connection $readyConn | Where-Object Product -EQ EsUpgrade
        $me | Should -Not -BeNullOrEmpty
        $me[0].Compatibility | Should -Be 'Compatible'
    }
    It 'groups deprecated calls by client, and logging can be turned off' {
        Invoke-EsRequest -Connection $troubledConn -Method PUT /logs/doc/1 -Body @{ a = 1 } -WarningAction SilentlyContinue | Out-Null
        $groups = Get-EsDeprecationLog -Connection $troubledConn
        $groups[0].Message | Should -BeLike '*types removal*'
        (Set-EsDeprecationLogging -Enabled $false -Connection $troubledConn -Confirm:$false).IndexingEnabled | Should -BeFalse
    }
    It 'writes a self-contained page of the checks, worst first' {
        $page = Test-EsUpgradeReadiness 8.19.0 -Connection $troubledConn | Export-EsUpgradeReport "$work/report.html"
        $page.Name | Should -Be 'report.html'
        $html = Get-Content -Raw "$work/report.html"
        $html | Should -Not -Match '<script|<link|src='
        $html.IndexOf('Fail') | Should -BeLessThan $html.IndexOf('>Pass<')
        Export-EsUpgradeReport "$work/report.json" -TargetVersion 8.19.0 -Connection $readyConn | Should -Not -BeNullOrEmpty
        (Get-Content -Raw "$work/report.json" | ConvertFrom-Json).verdict | Should -Be 'Ready.'
    }
}

Describe 'Repair-EsDeprecation' {
    It 'changes nothing under -WhatIf' {
        $before = @(Test-EsDeprecation -Connection $troubledConn)
        $planned = Test-EsDeprecation -Connection $troubledConn | Repair-EsDeprecation -WhatIf
        ($planned | Where-Object Status -EQ Skipped) | Should -Not -BeNullOrEmpty
        ($planned | Where-Object Status -EQ Fixed) | Should -BeNullOrEmpty
        @(Test-EsDeprecation -Connection $troubledConn).Count | Should -Be $before.Count
    }
    It 'fixes what it can; a second look shows only what needs a person' {
        $results = Test-EsDeprecation -Connection $troubledConn | Repair-EsDeprecation -Confirm:$false -Force
        $results | Where-Object Status -EQ Failed | ForEach-Object { "$($_.Resource): $($_.Reason)" } | Should -BeNullOrEmpty
        ($results | Where-Object Resource -EQ .kibana_1).Status | Should -Be 'Fixed'
        ($results | Where-Object Category -EQ MachineLearning).Status | Should -Be 'Fixed'
        ($results | Where-Object Resource -EQ old-logs).Status | Should -Be 'Fixed'
        (Invoke-EsRequest -Connection $troubledConn /old-logs/_count).count | Should -Be 10
        $manual = $results | Where-Object Status -EQ NeedsManualAction | ForEach-Object { "$($_.Category)|$($_.Resource)|$($_.Message)" } | Sort-Object
        $left = Test-EsDeprecation -Connection $troubledConn | ForEach-Object { "$($_.Category)|$($_.Resource)|$($_.Message)" } | Sort-Object
        $left | Should -Be $manual
        (Get-EsSystemFeature kibana -Connection $troubledConn).Status | Should -Be 'NO_MIGRATION_NEEDED'
    }
}
