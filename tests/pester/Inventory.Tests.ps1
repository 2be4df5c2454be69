# Get-EsCluster, Get-EsNode, Get-EsClusterHealth, Wait-EsClusterHealth, Get-EsClusterSetting, Invoke-EsRequest.
BeforeAll {
    Import-Module $env:ESUPGRADE_MODULE
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    $script:es = Start-EsEmulator -Name tiers -Index 'logs:2:1:20000', 'metrics:1:1:500' -Node @(
        'master-1=7.17.27:master', 'master-2=7.17.27:master', 'master-3=7.17.27:master',
        'hot-1=7.17.27:data_hot,data_content,ingest', 'hot-2=7.17.27:data_hot,data_content,ingest', 'warm-1=7.17.27:data_warm')
    $script:eight = Start-EsEmulator -Nodes 2 -Version 8.19.0 -Name eight
    $script:c8 = Connect-EsCluster -Uri $eight.Uris -PassThru
    $script:c = Connect-EsCluster -Uri $es.Uris -PassThru
}

AfterAll {
    Get-EsConnection | Disconnect-EsCluster
    $es, $eight | Stop-EsEmulator
}

Describe 'Get-EsCluster' {
    It 'summarises the cluster' {
        $cluster = Get-EsCluster
        $cluster | Should -BeOfType 'EsUpgrade.Inventory.EsCluster'
        $cluster.Name | Should -Be 'tiers'
        $cluster.Status | Should -Be 'green'
        $cluster.NumberOfNodes | Should -Be 6
        $cluster.NumberOfDataNodes | Should -Be 3
        $cluster.NumberOfMasterEligibleNodes | Should -Be 3
        $cluster.Versions | Should -Be '7.17.27 (6)'
        $cluster.ElectedMaster | Should -Be 'master-1'
    }
    It 'reads an 8.x cluster too' {
        ($c8 | Get-EsCluster).MaximumVersion | Should -Be ([version]'8.19.0')
    }
}

Describe 'Get-EsNode' {
    It 'lists nodes with roles and tiers' {
        $nodes = Get-EsNode
        $nodes.Name | Should -Be @('hot-1', 'hot-2', 'master-1', 'master-2', 'master-3', 'warm-1')
        ($nodes | Where-Object Name -EQ 'warm-1').DataTiers | Should -Be 'warm'
        ($nodes | Where-Object IsElectedMaster).Name | Should -Be 'master-1'
        $nodes[0].HttpAddress | Should -Match '^127\.0\.0\.1:\d+$'
    }
    It 'filters by role and by name pattern' {
        (Get-EsNode -Role master).Name | Should -Be @('master-1', 'master-2', 'master-3')
        (Get-EsNode -Role data_warm, data_hot).Count | Should -Be 3
        (Get-EsNode 'hot-*').Name | Should -Be @('hot-1', 'hot-2')
    }
    It 'rejects an unknown role before calling the cluster' {
        { Get-EsNode -Role chef } | Should -Throw -ErrorId 'ParameterArgumentValidationError,EsUpgrade.Commands.GetEsNodeCommand'
    }
}

Describe 'Get-EsClusterHealth' {
    It 'reads health, with indices on request' {
        $health = Get-EsClusterHealth -Level Indices
        $health.Status | Should -Be 'green'
        $health.ActiveShards | Should -Be 6
        $health.Indices.Index | Sort-Object | Should -Be @('logs', 'metrics')
    }
}

Describe 'Wait-EsClusterHealth' {
    It 'waits for the recovery that follows a node restart' {
        Invoke-EsEmulatorControl -Emulator $es -NodeName hot-2 -Action stop | Out-Null
        Invoke-EsEmulatorControl -Emulator $es -NodeName hot-2 -Action start | Out-Null
        $before = Get-EsClusterHealth
        $before.Status | Should -Not -Be 'green' -Because 'the restarted node''s copies are still recovering'
        $after = Wait-EsClusterHealth -Status Green -NoInitializingShards -NodeCount 6 -Timeout 60
        $after.Status | Should -Be 'green'
        $after.InitializingShards | Should -Be 0
        $after.TimedOut | Should -BeFalse
    }
    It 'stops with ClusterHealthTimeout when the condition never holds' {
        { Wait-EsClusterHealth -NodeCount 7 -Timeout 1 } | Should -Throw -ErrorId 'ClusterHealthTimeout,EsUpgrade.Commands.WaitEsClusterHealthCommand'
        $Error[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $Error[0].TargetObject.NumberOfNodes | Should -Be 6
    }
    It 'takes the timeout as seconds, a TimeSpan or text' {
        (Wait-EsClusterHealth -Status Yellow -Timeout 5).Status | Should -Be 'green'
        (Wait-EsClusterHealth -Status Yellow -Timeout (New-TimeSpan -Seconds 5)).Status | Should -Be 'green'
        (Wait-EsClusterHealth -Status Yellow -Timeout '00:00:05').Status | Should -Be 'green'
    }
    It 'refuses a malformed node count' {
        { Wait-EsClusterHealth -NodeCount 'six' -Timeout 1 } | Should -Throw -ErrorId 'InvalidNodeCount,EsUpgrade.Commands.WaitEsClusterHealthCommand'
    }
}

Describe 'Get-EsClusterSetting and Invoke-EsRequest' {
    It 'changes nothing with -WhatIf' {
        Invoke-EsRequest -Method PUT -Path /_cluster/settings -Body @{ persistent = @{ 'cluster.routing.allocation.enable' = 'primaries' } } -WhatIf
        Get-EsClusterSetting cluster.routing.allocation.enable -IncludeDefaults -Scope Persistent | Should -BeNullOrEmpty
    }
    It 'sets, reads and resets a setting' {
        $answer = Invoke-EsRequest -Method PUT -Path /_cluster/settings -Body @{ persistent = @{ 'cluster.routing.allocation.enable' = 'primaries' } }
        $answer.acknowledged | Should -BeTrue
        $setting = Get-EsClusterSetting 'cluster.routing.*'
        $setting.Value | Should -Be 'primaries'
        $setting.Scope | Should -Be 'Persistent'
        Invoke-EsRequest -Method PUT -Path /_cluster/settings -Body '{"persistent":{"cluster.routing.allocation.enable":null}}' | Out-Null
        Get-EsClusterSetting 'cluster.routing.allocation.enable' -IncludeDefaults -Scope Persistent | Should -BeNullOrEmpty
        (Get-EsClusterSetting 'cluster.routing.allocation.enable' -IncludeDefaults).Scope | Should -Be 'Default'
    }
    It 'returns objects for JSON answers, text when a _cat API is asked for text' {
        (Invoke-EsRequest '/_cat/master?h=node').node | Should -Be 'master-1'
        Invoke-EsRequest '/_cat/master?h=node&format=txt' | Should -Be "master-1`n"
        (Invoke-EsRequest '/').version.number | Should -Be '7.17.27'
    }
    It 'reports an Elasticsearch error with its category' {
        { Invoke-EsRequest -Method PUT -Path /_cluster/settings -Body '{"persistent":{"discovery.zen.minimum_master_nodes":2}}' -ErrorAction Stop } |
            Should -Throw -ErrorId 'EsServerError,EsUpgrade.Commands.InvokeEsRequestCommand'
        $Error[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $Error[0].Exception.ErrorType | Should -Be 'illegal_argument_exception'
        $Error[0].Exception.StatusCode | Should -Be 400
    }
}
