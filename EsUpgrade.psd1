@{
    RootModule           = 'EsUpgrade.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c2b7e-1d4a-4c35-9a5e-8b8d2f6a7c31'
    Author               = 'EsUpgrade contributors'
    CompanyName          = 'EsUpgrade'
    Copyright            = '(c) EsUpgrade contributors. Apache-2.0.'
    Description          = 'Takes Elasticsearch clusters from 7.17 to 8.x safely and proves the result: assess, back up, rolling upgrade, verify.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    # Loaded before the root module: the core and its libraries (lib/) go into a load context of their own.
    NestedModules        = @('EsUpgrade.Loader.dll')
    FormatsToProcess     = @('EsUpgrade.Format.ps1xml')
    CmdletsToExport      = @(
        'Compare-EsCluster'
        'Connect-EsCluster'
        'Convert-EsNodeConfiguration'
        'Disable-EsShardAllocation'
        'Disconnect-EsCluster'
        'Enable-EsShardAllocation'
        'Export-EsClusterBaseline'
        'Export-EsDiagnostic'
        'Export-EsUpgradeReport'
        'Get-EsClient'
        'Get-EsCluster'
        'Get-EsClusterHealth'
        'Get-EsClusterSetting'
        'Get-EsClusterStats'
        'Get-EsConnection'
        'Get-EsDeprecationLog'
        'Get-EsIndex'
        'Get-EsNode'
        'Get-EsNodeStats'
        'Get-EsShard'
        'Get-EsSnapshot'
        'Get-EsSnapshotRepository'
        'Get-EsSystemFeature'
        'Invoke-EsFlush'
        'Invoke-EsIndexUpgrade'
        'Invoke-EsReindex'
        'Invoke-EsRequest'
        'Invoke-EsRollingUpgrade'
        'Invoke-EsSnapshotMigration'
        'New-EsSnapshot'
        'New-EsUpgradePlan'
        'New-EsWindowsNodeAction'
        'Register-EsSnapshotRepository'
        'Remove-EsMlModelSnapshot'
        'Remove-EsSnapshot'
        'Repair-EsDeprecation'
        'Restore-EsSnapshot'
        'Set-EsDeprecationLogging'
        'Set-EsMlUpgradeMode'
        'Start-EsSystemFeatureMigration'
        'Test-EsDeprecation'
        'Test-EsNodeConfiguration'
        'Test-EsSnapshotRepository'
        'Test-EsUpgradeReadiness'
        'Test-EsUpgradeResult'
        'Unregister-EsSnapshotRepository'
        'Update-EsMlModelSnapshot'
        'Wait-EsClusterHealth'
        'Wait-EsNode'
        'Wait-EsSnapshot'
        'Watch-EsCluster'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Elasticsearch', 'Upgrade', 'RollingUpgrade', 'Snapshot', 'Elastic', 'Windows', 'PSEdition_Desktop', 'PSEdition_Core')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ProjectUri   = 'https://github.com/esupgrade/EsUpgrade'
            ReleaseNotes = '0.1.0: assessment (Test-EsUpgradeReadiness, Test-EsDeprecation, offline Test-EsNodeConfiguration and Convert-EsNodeConfiguration for elasticsearch.yml and jvm.options, Get-EsClient, Get-EsDeprecationLog, Set-EsDeprecationLogging, Export-EsUpgradeReport as HTML or JSON); fixes (Repair-EsDeprecation, Invoke-EsIndexUpgrade, system features, ML model snapshots); rolling upgrade to 8.x (New-EsUpgradePlan, Invoke-EsRollingUpgrade: resumable, safety checks, restores allocation on failure), indices and shards, allocation, flush, ML upgrade mode, Wait-EsNode; connections (URI list, Cloud ID, basic auth, API key, fingerprint or CA pinning), cluster, node, health and settings inventory, Wait-EsClusterHealth, Invoke-EsRequest; backups and the new-cluster route (snapshot repositories, New-EsSnapshot, Restore-EsSnapshot into any cluster, Invoke-EsReindex from remote, Invoke-EsSnapshotMigration, Compare-EsCluster); proof (Export-EsClusterBaseline, Test-EsUpgradeResult, stats, Watch-EsCluster, Export-EsDiagnostic); reliability (every call retries transient faults with backoff and Retry-After, -RetryTimeout; safe stops that put allocation and ML upgrade mode back; unreadable answers as InvalidResult errors; dependencies isolated from other modules).'
        }
    }
}
