<#
.SYNOPSIS
Registers the nightly readiness check as a Windows scheduled task (run once, elevated, on the machine that checks).

.DESCRIPTION
Windows only (ScheduledTasks module); not run on the machines that build EsUpgrade. The task runs
Invoke-NightlyReadiness.ps1 at 02:00 as -User, whether logged on or not; the credential file is written here for that
account (run this script as that account, or re-export the file under it: DPAPI ties it to the account and machine).

.EXAMPLE
.\Register-NightlyReadiness.ps1 -Uri https://es01:9200 -User CONTOSO\svc-esupgrade -ReportFolder C:\EsUpgrade\Reports
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string[]] $Uri,
    [Parameter(Mandatory)] [string] $User,
    [Parameter(Mandatory)] [string] $ReportFolder,
    [string] $CertificateFingerprint,
    [string] $TaskName = 'EsUpgrade nightly readiness',
    [string] $CredentialPath = 'C:\EsUpgrade\es-readiness.cred.xml'
)
$ErrorActionPreference = 'Stop'
New-Item -ItemType Directory -Path (Split-Path $CredentialPath) -Force | Out-Null
Get-Credential -Message 'The Elasticsearch user the nightly check signs in as (monitor privileges are enough)' | Export-Clixml $CredentialPath
$arguments = @('-NoProfile', '-NonInteractive', '-File', "`"$PSScriptRoot\Invoke-NightlyReadiness.ps1`"",
    '-Uri', ($Uri -join ','), '-CredentialPath', "`"$CredentialPath`"", '-ReportFolder', "`"$ReportFolder`"")
if ($CertificateFingerprint) { $arguments += @('-CertificateFingerprint', $CertificateFingerprint) }
$action = New-ScheduledTaskAction -Execute 'pwsh.exe' -Argument ($arguments -join ' ')
$trigger = New-ScheduledTaskTrigger -Daily -At 02:00
$settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit (New-TimeSpan -Hours 1) -StartWhenAvailable
if ($PSCmdlet.ShouldProcess($TaskName, 'Register the scheduled task')) {
    Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $trigger -Settings $settings -User $User -Password (Read-Host "Password of $User" -AsSecureString | ConvertFrom-SecureString -AsPlainText) -RunLevel Limited
}
