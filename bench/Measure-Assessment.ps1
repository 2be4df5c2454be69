# Test-EsDeprecation plus Test-EsUpgradeReadiness on emulated clusters of 2,000 and 20,000 indices (2.5 deprecation
# items per index: 5,000 and 50,000): wall time of the two commands and peak memory of the pwsh process that ran them.
# Targets (issue 9): at most 2 s and 300 MB at 20,000 indices; ten times the indices at most eleven times the time.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int[]] $Indices = @(2000, 20000),
    [double] $ItemsPerIndex = 2.5,
    [int] $Runs = 3
)
$ErrorActionPreference = 'Stop'
Import-Module "$PSScriptRoot/../tests/pester/EsEmulator.psm1"
$dotnetHosted = (Get-Process -Id $PID).Path -match 'dotnet(\.exe)?$'
$exe = (Get-Process -Id $PID).Path
[string[]] $prefix = if ($dotnetHosted) { "$PSHOME/pwsh.dll" } else { @() }

# What runs in a fresh pwsh: import and connect first (not timed), then the two commands (timed), then the peak.
$probe = @'
param($ModulePath, $Uris)
Import-Module $ModulePath
Connect-EsCluster -Uri ($Uris -split ',') -Name bench
$watch = [Diagnostics.Stopwatch]::StartNew()
$findings = @(Test-EsDeprecation)
$checks = @(Test-EsUpgradeReadiness 8.19.0)
$watch.Stop()
$self = [Diagnostics.Process]::GetCurrentProcess()
$self.Refresh()
[pscustomobject]@{ Seconds = $watch.Elapsed.TotalSeconds; PeakMB = $self.PeakWorkingSet64 / 1MB; Findings = $findings.Count; Checks = $checks.Count } | ConvertTo-Json -Compress
'@
$probeFile = Join-Path ([IO.Path]::GetTempPath()) "esupgrade-assess-probe-$PID.ps1"
Set-Content -Path $probeFile -Value $probe

$results = foreach ($count in $Indices) {
    $es = Start-EsEmulator -Name "bench-$count" -Nodes 3 -Version 7.17.29 -Index @() -BootSeconds 0 -StartTimeout '00:05:00' `
        -ExtraArguments @('--many-indices', "bench:$($count):$ItemsPerIndex", '--snapshot', 'nightly:all:1')
    try {
        $samples = foreach ($i in 1..$Runs) {
            $line = & $exe @prefix -NoProfile -NonInteractive -File $probeFile -ModulePath $ModulePath -Uris ($es.Uris -join ',') | Select-Object -Last 1
            $line | ConvertFrom-Json
        }
        $best = $samples | Sort-Object Seconds | Select-Object -First 1
        [pscustomobject]@{
            Indices  = $count
            Findings = $best.Findings
            Checks   = $best.Checks
            Seconds  = [math]::Round(($samples.Seconds | Sort-Object)[[int][math]::Floor(@($samples).Count / 2)], 2)
            PeakMB   = [math]::Round(($samples.PeakMB | Measure-Object -Maximum).Maximum)
        }
    } finally { $es | Stop-EsEmulator }
}
Remove-Item $probeFile
$results | Format-Table | Out-String | Write-Host
if ($results.Count -ge 2) {
    $scale = $results[-1].Indices / $results[0].Indices
    $ratio = $results[-1].Seconds / $results[0].Seconds
    Write-Host ('{0}x the indices cost {1:0.0}x the time (target at most {2:0.0}x)' -f $scale, $ratio, (1.1 * $scale))
}
