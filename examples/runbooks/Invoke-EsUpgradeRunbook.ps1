<#
.SYNOPSIS
An Azure Automation runbook that upgrades a cluster of Windows service nodes to 8.x and proves the result: readiness,
a snapshot, the rolling upgrade, the result check. Restarted (Azure restarts a job after 3 hours, on another worker
with an empty disk), it goes on where it stopped.

.DESCRIPTION
Everything it must remember lives in the cluster: the rolling upgrade's state, its lock and the baseline taken before
the first node (-StatePath cluster:NAME, index esupgrade-state), and the snapshot by its name. A restarted job
therefore skips the readiness check and the snapshot once the upgrade has begun, waits up to a minute for the killed
job's lock to go stale, and resumes at the first unfinished step without restarting a node twice.

Credentials come from Automation credential assets: -CredentialName for Elasticsearch, -NodeCredentialName for
PowerShell remoting to the nodes. Run it on a Hybrid Runbook Worker in the nodes' network: the cloud sandbox cannot
reach WinRM on your servers (see the README, "Runbooks").

.EXAMPLE
Start-AzAutomationRunbook -AutomationAccountName ops -ResourceGroupName rg-ops -Name Invoke-EsUpgradeRunbook -RunOn hybrid-es -Parameters @{ ClusterUri = 'https://es01:9200,https://es02:9200'; TargetVersion = '8.19.0'; Repository = 'backups'; PackageFolder = '\\fileserver\elastic' }
#>
param(
    [Parameter(Mandatory = $true)] [string] $ClusterUri,
    [Parameter(Mandatory = $true)] [string] $TargetVersion,
    [Parameter(Mandatory = $true)] [string] $Repository,
    [string] $CredentialName = 'es-admin',
    [string] $NodeCredentialName = 'es-nodes',
    [string] $CertificateFingerprint,
    # Where elasticsearch-<version>-windows-x86_64.zip and its .sha512 are; Elastic's download site by default.
    [string] $PackageFolder = 'https://artifacts.elastic.co/downloads/elasticsearch',
    [string] $InstallRoot = 'C:\Elastic',
    [string] $StateName = "upgrade-to-$TargetVersion",
    # Another node action (a script block) for nodes that are not Windows services.
    [scriptblock] $NodeAction
)
$ErrorActionPreference = 'Stop'
Import-Module EsUpgrade

$connect = @{ Uri = $ClusterUri -split ','; Credential = (Get-AutomationPSCredential -Name $CredentialName) }
if ($CertificateFingerprint) { $connect.CertificateFingerprint = $CertificateFingerprint }
Connect-EsCluster @connect | Out-Null
$state = "cluster:$StateName"

# Begun already? Then this is a restarted job: what was checked and saved before the first node stands.
$begun = Invoke-EsRequest "/esupgrade-state/_doc/$StateName" -ErrorAction SilentlyContinue
if (-not $begun) {
    # The backup first (Elastic's guide does the same): the readiness check then finds it recent.
    $snapshot = "before-$StateName"
    if (-not (Get-EsSnapshot $Repository $snapshot -ErrorAction SilentlyContinue)) {
        New-EsSnapshot $Repository $snapshot -Wait -Confirm:$false | Out-String | Write-Output
    }
    $blocking = @(Test-EsUpgradeReadiness $TargetVersion | Where-Object Status -EQ 'Fail')
    if ($blocking) {
        $blocking | Format-Table Name, Message -AutoSize | Out-String -Width 200 | Write-Output
        throw "Not ready for $($TargetVersion): $($blocking.Name -join ', '). No node was touched."
    }
}

if (-not $NodeAction) {
    $package = "$PackageFolder/elasticsearch-$TargetVersion-windows-x86_64.zip"
    $NodeAction = (New-EsWindowsNodeAction $package -InstallRoot $InstallRoot -Credential (Get-AutomationPSCredential -Name $NodeCredentialName) -ConvertConfiguration).ScriptBlock
}
Invoke-EsRollingUpgrade $TargetVersion -NodeAction $NodeAction -StatePath $state -Confirm:$false | Out-String | Write-Output

$checks = @(Test-EsUpgradeResult $TargetVersion -Baseline $state)
$checks | Format-Table Name, Status, Message -AutoSize | Out-String -Width 200 | Write-Output
$failed = @($checks | Where-Object Status -EQ 'Fail')
if ($failed) { throw "Upgraded, but the result check failed: $($failed.Name -join ', ')." }
Write-Output "$((Get-EsCluster).Name) is on $TargetVersion; every check passed."
