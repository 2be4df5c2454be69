# Secrets never appear anywhere: every kind of command run with -Verbose -Debug under a transcript, then the
# transcript, $Error, every file the module wrote (state files, baselines, reports, the diagnostic zip) and every
# object it returned (ConvertTo-Json, Format-List *) searched for the passwords and the API key.
BeforeAll {
    Import-Module $env:ESUPGRADE_MODULE
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "esupgrade-secrets-$PID"
    New-Item -ItemType Directory -Path $work | Out-Null
    $script:oldPassword = 'Old-Pa55-7f3c1e'
    $script:newPassword = 'New-Pa55-9a2b4d'
    $script:old = Start-EsEmulator -Name old -Nodes 2 -Version 7.17.29 -BootSeconds 0 -TimeScale 10 -User "elastic:$oldPassword" `
        -Index 'logs:1:1:2000', 'orders:1:1:300:6.8.23' -ExtraArguments '--path-repo', $work
    $oldUri = [uri]$old.Uris[0]
    $script:new = Start-EsEmulator -Name new -Nodes 2 -Version 8.19.0 -BootSeconds 0 -TimeScale 10 -User "elastic:$newPassword" `
        -ExtraArguments '--path-repo', $work, '--reindex-whitelist', "$($oldUri.Host):$($oldUri.Port)"
    $oldCred = [pscredential]::new('elastic', (ConvertTo-SecureString $oldPassword -AsPlainText -Force))
    $newCred = [pscredential]::new('elastic', (ConvertTo-SecureString $newPassword -AsPlainText -Force))
    $script:source = Connect-EsCluster -Uri $old.Uris -Credential $oldCred -Name old -PassThru
    $bootstrap = Connect-EsCluster -Uri $new.Uris -Credential $newCred -Name bootstrap -PassThru
    $script:key = Invoke-EsRequest -Connection $bootstrap -Method POST -Path /_security/api_key -Body @{ name = 'secrets' }
    $script:destination = Connect-EsCluster -Uri $new.Uris -ApiKey (ConvertTo-SecureString $key.encoded -AsPlainText -Force) -Name new -PassThru
    Disconnect-EsCluster -Name bootstrap
    $script:secrets = @($oldPassword, $newPassword, $key.encoded, $key.api_key)
}

AfterAll {
    Get-EsConnection | Disconnect-EsCluster
    $old, $new | Stop-EsEmulator
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

Describe 'Secrets' {
    It 'appear in no stream, error, file or object of any command' {
        $transcript = Join-Path $work 'transcript.txt'
        $Error.Clear()
        $outputs = [Collections.Generic.List[object]]::new()
        Start-Transcript -Path $transcript -UseMinimalHeader | Out-Null
        try {
            $run = {
                param([scriptblock] $Command)
                try { foreach ($o in (& $Command -Verbose -Debug 5>&1 4>&1 3>&1 2>&1)) { $outputs.Add($o); $o | Out-Host } }
                catch { $outputs.Add($_); $_ | Out-Host }
            }
            $DebugPreference = 'Continue'
            & $run { Get-EsCluster -Connection $source }
            & $run { Get-EsNode -Connection $destination }
            & $run { Get-EsIndex -Connection $source }
            & $run { Test-EsDeprecation -Connection $source }
            & $run { Test-EsUpgradeReadiness 8.19.0 -Connection $source }
            & $run { Register-EsSnapshotRepository move -Location move -Connection $source -Confirm:$false }
            & $run { New-EsSnapshot move s1 -Wait -Connection $source -Confirm:$false }
            & $run { Invoke-EsReindex orders orders-copy -SourceConnection $source -Connection $destination -Confirm:$false }
            & $run { Invoke-EsReindex orders x -SourceConnection $source -Connection (Get-EsConnection new) -Slices 2 -Confirm:$false }
            & $run { Invoke-EsSnapshotMigration $source $destination move -Index logs, orders -StatePath (Join-Path $work 'migration.json') -Confirm:$false }
            & $run { Export-EsClusterBaseline (Join-Path $work 'baseline.json') -Connection $destination }
            & $run { Test-EsUpgradeResult 8.19.0 -Connection $destination -Baseline (Join-Path $work 'migration.baseline.json') }
            & $run { Compare-EsCluster -Reference $source -Difference $destination }
            & $run { Test-EsUpgradeResult 8.19.0 -Connection $destination | Export-EsUpgradeReport (Join-Path $work 'report.html') }
            & $run { Test-EsUpgradeResult 8.19.0 -Connection $destination | Export-EsUpgradeReport (Join-Path $work 'report.json') }
            & $run { Export-EsDiagnostic (Join-Path $work 'diag.zip') -Connection $destination -StatePath (Join-Path $work 'migration.json') }
            & $run { Get-EsConnection }
            & $run { Invoke-EsRequest -Connection $source /_nodes/settings }
        } finally {
            $DebugPreference = 'SilentlyContinue'
            Stop-Transcript | Out-Null
        }
        $outputs.Count | Should -BeGreaterThan 20
        (Get-ChildItem $work -Filter 'report.html') | Should -Not -BeNullOrEmpty -Because 'the commands ran'

        $places = [ordered]@{
            transcript = Get-Content -Raw $transcript
            errors     = ($Error | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String }) -join "`n"
            # The stream records by their message (their InvocationInfo is PowerShell's, not ours); every EsUpgrade object in full.
            streams    = ($outputs | Where-Object { $_ -is [Management.Automation.InformationalRecord] } | ForEach-Object Message) -join "`n"
            objects    = ($outputs | Where-Object { $_.GetType().Namespace -like 'EsUpgrade*' -or $_ -is [IO.FileInfo] } | ForEach-Object {
                    $_ | Format-List * | Out-String
                    $_ | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
                }) -join "`n"
        }
        foreach ($file in Get-ChildItem $work -Recurse -File | Where-Object Extension -NE '.zip') { $places["file $($file.Name)"] = Get-Content -Raw $file.FullName }
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead((Join-Path $work 'diag.zip'))
        try { foreach ($entry in $zip.Entries) { $places["zip $($entry.FullName)"] = [IO.StreamReader]::new($entry.Open()).ReadToEnd() } } finally { $zip.Dispose() }

        $places.Count | Should -BeGreaterThan 10
        # The sweep sees what it should: the verbose requests, the reindex from the old cluster, the state file.
        $places.streams | Should -Match '\[new\] POST /_reindex'
        $places['file migration.json'] | Should -Match '"Completed": true'
        $places.objects | Should -Match 'orders-copy'
        foreach ($place in $places.GetEnumerator()) {
            foreach ($secret in $secrets) {
                $place.Value | Should -Not -Match ([regex]::Escape($secret)) -Because "a secret must not appear in $($place.Key)"
            }
        }
    }
}
