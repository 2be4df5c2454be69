# Tab completion as an admin meets it (TabExpansion2, what the console calls): names from the live cluster.
BeforeAll {
    Import-Module $env:ESUPGRADE_MODULE
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    $script:repoRoot = Join-Path ([IO.Path]::GetTempPath()) "esupgrade-completion-$PID"
    New-Item -ItemType Directory -Path $repoRoot -Force | Out-Null
    $script:es = Start-EsEmulator -Name completing -Nodes 2 -Version 8.19.0 -Index 'logs-a:1:0:10', 'logs-b:1:0:10', 'metrics:1:0:10' -Snapshot 'backups:snap-1:2' -ExtraArguments '--path-repo', $repoRoot
    Connect-EsCluster -Uri $es.Uris -Name completing
    function Complete([string] $line) { (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText }
}

AfterAll {
    Get-EsConnection | Disconnect-EsCluster
    $es | Stop-EsEmulator
    Remove-Item -Recurse -Force $repoRoot -ErrorAction SilentlyContinue
}

Describe 'Argument completion from the live cluster' {
    It 'indices' {
        Complete 'Get-EsIndex logs' | Should -Be @('logs-a', 'logs-b')
        Complete 'Get-EsShard -Index m' | Should -Be 'metrics'
        Complete 'New-EsSnapshot backups nightly -Index logs-' | Should -Be @('logs-a', 'logs-b')
    }
    It 'nodes' {
        Complete 'Get-EsNode es-' | Should -Be @('es-01', 'es-02')
        Complete 'Wait-EsNode -Name es-02' | Should -Be 'es-02'
    }
    It 'repositories, and the snapshots of the repository on the command line' {
        Complete 'Get-EsSnapshot -Repository b' | Should -Be 'backups'
        Complete 'Get-EsSnapshot -Repository backups -Name s' | Should -Be 'snap-1'
        Complete 'Restore-EsSnapshot -Repository backups -Name ' | Should -Be 'snap-1'
    }
    It 'settings' {
        Complete 'Get-EsClusterSetting cluster.routing.allocation.ena' | Should -Contain 'cluster.routing.allocation.enable'
    }
    It 'connections' {
        Complete 'Get-EsConnection comp' | Should -Be 'completing'
        Complete 'Disconnect-EsCluster -Name c' | Should -Be 'completing'
    }
    It 'completes nothing, silently and at once, when the cluster does not answer' {
        $gone = Start-EsEmulator -Name gone -Nodes 1
        Connect-EsCluster -Uri $gone.Uris -Name gone
        $gone | Stop-EsEmulator
        $Error.Clear()
        Complete 'Get-EsIndex l' | Should -BeNullOrEmpty
        Complete 'Get-EsNode ' | Should -BeNullOrEmpty
        $Error | Should -BeNullOrEmpty
        Get-EsConnection gone | Disconnect-EsCluster
        Get-EsConnection completing | Out-Null
    }
}
