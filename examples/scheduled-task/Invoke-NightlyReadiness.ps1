<#
.SYNOPSIS
The nightly readiness check a scheduled task runs: Test-EsUpgradeReadiness and Test-EsDeprecation into an HTML report
named by date, and an exit code a monitoring system can read (0 ready, 1 not ready, 2 the check itself failed).

.DESCRIPTION
Runs without a console. The credential comes from a file that only the task's account can read (Export-Clixml on
Windows protects it with DPAPI for that account on that machine); the API key the same way. Keeps -Days reports.

.EXAMPLE
.\Invoke-NightlyReadiness.ps1 -Uri https://es01:9200, https://es02:9200 -CredentialPath C:\EsUpgrade\es-readiness.cred.xml -CertificateFingerprint 3c1f...e9 -ReportFolder C:\EsUpgrade\Reports
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string[]] $Uri,
    [Parameter(Mandatory)] [string] $CredentialPath,
    [string] $CertificateFingerprint,
    [string] $TargetVersion = '8.19.0',
    [Parameter(Mandatory)] [string] $ReportFolder,
    [int] $Days = 30
)
$ErrorActionPreference = 'Stop'
try {
    Import-Module EsUpgrade
    $connect = @{ Uri = $Uri; Credential = (Import-Clixml $CredentialPath); Name = 'nightly' }
    if ($CertificateFingerprint) { $connect.CertificateFingerprint = $CertificateFingerprint }
    Connect-EsCluster @connect
    New-Item -ItemType Directory -Path $ReportFolder -Force | Out-Null
    $report = Join-Path $ReportFolder ("readiness-{0:yyyy-MM-dd}.html" -f (Get-Date))
    $checks = @(Test-EsUpgradeReadiness $TargetVersion)
    $deprecations = @(Test-EsDeprecation)
    $checks + $deprecations | Export-EsUpgradeReport $report -Title "Nightly readiness for $TargetVersion" -Force | Out-Null
    Get-ChildItem $ReportFolder -Filter 'readiness-*.html' | Where-Object LastWriteTime -lt (Get-Date).AddDays(-$Days) | Remove-Item
    $failed = @($checks | Where-Object Status -EQ 'Fail')
    Write-Output ("{0}: {1} of {2} readiness checks failed; {3} deprecation findings; report {4}" -f (Get-Date -Format s), $failed.Count, $checks.Count, $deprecations.Count, $report)
    exit ([int]($failed.Count -gt 0))
} catch {
    Write-Error $_
    exit 2
}
