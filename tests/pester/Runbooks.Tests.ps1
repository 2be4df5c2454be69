# examples/runbooks/Invoke-EsUpgradeRunbook.ps1 as Azure Automation runs it: its credential from a credential asset
# (Get-AutomationPSCredential, stood in for here), no console, and run again from the start after a restart.
BeforeAll {
    Import-Module $env:ESUPGRADE_MODULE
    # Installed as Azure Automation installs a module: found by name.
    $script:modulePath = $env:PSModulePath
    $env:PSModulePath = (Split-Path (Split-Path $env:ESUPGRADE_MODULE)) + [IO.Path]::PathSeparator + $env:PSModulePath
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    $script:runbook = Join-Path $PSScriptRoot '../../examples/runbooks/Invoke-EsUpgradeRunbook.ps1'
    $script:repoRoot = Join-Path $TestDrive 'repo'
    New-Item -ItemType Directory $repoRoot | Out-Null
    $script:es = Start-EsEmulator -Nodes 3 -TimeScale 60 -BootSeconds 5 -Index 'logs:2:1:1000' -User 'elastic:runbook-Pa55' -ExtraArguments '--path-repo', $repoRoot
    # Azure Automation's cmdlet, as a runbook sees it: the asset by name.
    function global:Get-AutomationPSCredential {
        param([string] $Name)
        if ($Name -ne 'es-admin') { throw "There is no credential asset '$Name'." }
        [pscredential]::new('elastic', (ConvertTo-SecureString 'runbook-Pa55' -AsPlainText -Force))
    }
    $script:upgradeNode = New-EsEmulatorNodeAction $es
    function Get-Restarts { (Invoke-RestMethod "$($es.control)/nodes").nodes | ForEach-Object { $_.restarts } }
    Connect-EsCluster -Uri $es.Uris -Credential (Get-AutomationPSCredential es-admin) | Out-Null
    Register-EsSnapshotRepository backups -Location (Join-Path $repoRoot 'backups') -Confirm:$false | Out-Null
}

AfterAll {
    $env:PSModulePath = $modulePath
    Get-EsConnection | Disconnect-EsCluster
    if ($es) { $es | Stop-EsEmulator }
    Remove-Item function:Get-AutomationPSCredential -ErrorAction SilentlyContinue
}

Describe 'The upgrade runbook' {
    It 'backs up, checks, upgrades and proves the result, its state in the cluster' {
        $out = & $runbook -ClusterUri ($es.Uris -join ',') -TargetVersion 8.19.0 -Repository backups -NodeAction $upgradeNode
        $out[-1] | Should -Be 'emulated is on 8.19.0; every check passed.'
        (Get-EsSnapshot backups before-upgrade-to-8.19.0).State | Should -Be 'SUCCESS'
        (Get-EsNode).VersionNumber | Sort-Object -Unique | Should -Be '8.19.0'
        (Invoke-EsRequest /esupgrade-state/_doc/upgrade-to-8.19.0)._source.state.CompletedAt | Should -Not -BeNullOrEmpty
        Get-Restarts | Should -Be @(1, 1, 1)
    }

    It 'run again from the start (a restarted job), skips what was done and restarts no node' {
        # Readiness would fail now (the cluster is on 8.x): the restarted job does not ask again.
        $all = & $runbook -ClusterUri ($es.Uris -join ',') -TargetVersion 8.19.0 -Repository backups -NodeAction $upgradeNode 3>&1
        $out = @($all | Where-Object { $_ -is [string] })
        $out[-1] | Should -Be 'emulated is on 8.19.0; every check passed.'
        "$($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })" | Should -Match 'already completed'
        Get-Restarts | Should -Be @(1, 1, 1)
        @(Get-EsSnapshot backups).Count | Should -Be 1
    }
}
