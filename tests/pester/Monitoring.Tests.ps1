# The guide's last steps as an admin runs them: the stats APIs, and watching the cluster from a runbook.
BeforeAll {
    Import-Module $env:ESUPGRADE_MODULE
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    # A node takes 3 seconds from start to joining: the cluster goes from yellow to green while the watch runs.
    $script:es = Start-EsEmulator -Name watched -Nodes 2 -Version 8.19.0 -BootSeconds 3 -Index 'logs:2:1:4000'
    $script:conn = Connect-EsCluster -Uri $es.Uris -Name watched -PassThru
}

AfterAll {
    Get-EsConnection | Disconnect-EsCluster
    $es | Stop-EsEmulator
}

Describe 'Stats' {
    It 'Get-EsClusterStats sums the cluster up, Get-EsNodeStats shows each node and narrows to piped nodes' {
        $stats = Get-EsClusterStats
        ($stats.Nodes, $stats.Indices, $stats.Documents, $stats.Versions) | Should -Be @(2, 1, 4000, '8.19.0')
        (Get-EsNodeStats).Name | Should -Be @('es-01', 'es-02')
        (Get-EsNode es-02 | Get-EsNodeStats).Name | Should -Be 'es-02'
        ((Get-EsNodeStats).Documents | Measure-Object -Sum).Sum | Should -Be 8000 -Because 'each node holds a full copy of the 4,000 documents'
        Get-EsNodeStats nope -ErrorVariable missing -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-EsNodeStats no-* | Should -BeNullOrEmpty
    }
}

Describe 'Watch-EsCluster outside a console' {
    It 'emits a status per interval and stops when health is reached' {
        Invoke-EsEmulatorControl -Emulator $es -NodeName es-02 -Action stop | Out-Null    # yellow: its replicas have nowhere to go
        Invoke-EsEmulatorControl -Emulator $es -NodeName es-02 -Action start | Out-Null   # back in 3 seconds, then its copies recover
        $statuses = @(Watch-EsCluster -Until Green -Interval 1 -Timeout 60)
        $statuses.Count | Should -BeGreaterThan 1
        $statuses[0].Status | Should -Be 'Yellow'
        $statuses[-1].Status | Should -Be 'Green'
        ($statuses | Select-Object -SkipLast 1).Status | Sort-Object -Unique | Should -Be 'Yellow'
        $statuses[-1].Nodes.Name | Should -Be @('es-01', 'es-02')
    }
    It 'ends in a WatchTimeout error when health never comes' {
        Invoke-EsRequest -Method PUT /logs/_settings -Body @{ index = @{ number_of_replicas = 2 } } | Out-Null
        $err = { Watch-EsCluster -Until Green -Interval 1 -Timeout 2 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'WatchTimeout,*'
        $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
        Invoke-EsRequest -Method PUT /logs/_settings -Body @{ index = @{ number_of_replicas = 1 } } | Out-Null
    }
}

Describe 'Export-EsDiagnostic' {
    It 'writes a zip with a manifest, and refuses to overwrite without -Force' {
        $zip = Join-Path $es.Directory 'diag.zip'
        $bundle = Export-EsDiagnostic $zip
        $bundle.Collected | Should -BeGreaterThan 15
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [IO.Compression.ZipFile]::OpenRead($zip)
        try { $archive.Entries.FullName | Should -Contain 'manifest.json'; $archive.Entries.FullName | Should -Contain 'nodes_stats.json' } finally { $archive.Dispose() }
        Export-EsDiagnostic $zip -ErrorVariable exists -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $exists[0].FullyQualifiedErrorId | Should -BeLike 'DestinationExists,*'
    }
}
