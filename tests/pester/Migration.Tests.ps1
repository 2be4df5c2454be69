# The new-cluster route as an admin runs it: two clusters in two processes sharing a repository folder, a 7.17 one
# with an index created in 6.x, an 8.x one that must read the snapshot and reindex the old index from the first.
BeforeAll {
    Import-Module $env:ESUPGRADE_MODULE
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    $script:repoRoot = Join-Path ([IO.Path]::GetTempPath()) "esupgrade-migration-$PID"
    New-Item -ItemType Directory -Path $repoRoot | Out-Null
    $script:password = 'Old-S3cret-Pa55'
    # 2,000,000 documents (2 GB at 1 KiB each): the snapshot and the restore take a few seconds at time scale 4.
    $script:old = Start-EsEmulator -Name old -Nodes 2 -Version 7.17.29 -BootSeconds 0 -TimeScale 4 -User "elastic:$password" `
        -Index 'logs-2024:2:1:2000000', 'orders:1:1:3000:6.8.23' `
        -ExtraArguments '--path-repo', $repoRoot, '--alias', 'logs-2024:logs', '--alias', 'orders:sales', '--template', 'composable:logs:logs-*', '--ilm-policy', 'logs-policy'
    $oldUri = [uri]$old.Uris[0]
    $script:new = Start-EsEmulator -Name new -Nodes 2 -Version 8.19.0 -BootSeconds 0 -TimeScale 4 `
        -ExtraArguments '--path-repo', $repoRoot, '--reindex-whitelist', "$($oldUri.Host):$($oldUri.Port)"
    $script:stranger = Start-EsEmulator -Name stranger -Nodes 1 -Version 8.19.0 -BootSeconds 0 -ExtraArguments '--path-repo', $repoRoot
    $script:cred = [pscredential]::new('elastic', (ConvertTo-SecureString $password -AsPlainText -Force))
    $script:source = Connect-EsCluster -Uri $old.Uris -Credential $cred -Name old -PassThru
    $script:destination = Connect-EsCluster -Uri $new.Uris -Name new -PassThru
    $script:other = Connect-EsCluster -Uri $stranger.Uris -Name stranger -PassThru
    Register-EsSnapshotRepository move -Location move -Connection $source -Confirm:$false | Out-Null
}

AfterAll {
    Get-EsConnection | Disconnect-EsCluster
    $old, $new, $stranger | Stop-EsEmulator
    Remove-Item -Recurse -Force $repoRoot -ErrorAction SilentlyContinue
}

Describe 'Restore into another cluster' {
    It 'chains New-EsSnapshot -Wait | Restore-EsSnapshot -Connection into the other cluster, the repository read-only there' {
        $restored = New-EsSnapshot move logs-only -Index logs-* -Wait -Connection $source -Confirm:$false |
            Restore-EsSnapshot -Connection $other -Wait -Confirm:$false
        $restored.State | Should -Be 'Restored'
        $restored.Indices | Should -Be 'logs-2024'
        (Get-EsIndex logs-2024 -Connection $other).DocsCount | Should -Be 2000000
        (Get-EsSnapshotRepository move -Connection $other).ReadOnly | Should -BeTrue
        (Invoke-EsRequest /_alias/logs -Connection $other).'logs-2024' | Should -Not -BeNullOrEmpty
    }
    It 'refuses an index created in 6.x before sending anything, and -WhatIf says so per index' {
        New-EsSnapshot move everything -Wait -Connection $source -Confirm:$false | Out-Null
        $file = New-TemporaryFile
        Start-Transcript -Path $file -UseMinimalHeader | Out-Null
        try { Get-EsSnapshot move everything -Connection $source | Restore-EsSnapshot -Connection $other -RenamePattern '(.+)' -RenameReplacement 'copy-$1' -WhatIf }
        finally { Stop-Transcript | Out-Null }
        $said = Get-Content -Raw $file
        $said | Should -Match 'REFUSED: \[orders\] was created by 6\.8\.23.*on target "stranger: orders as copy-orders"'
        $said | Should -Match 'on target "stranger: logs-2024 as copy-logs-2024"'
        $out = Get-EsSnapshot move everything -Connection $source | Restore-EsSnapshot -Connection $other -RenamePattern '(.+)' -RenameReplacement 'copy-$1' -Confirm:$false -ErrorVariable refused -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'RestoreRefused,*'
        $refused[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $refused[0].Exception.Message | Should -Match 'Nothing was sent'
        Get-EsIndex copy-* -Connection $other | Should -BeNullOrEmpty
    }
    It 'refuses a restore over an open index unless renamed' {
        Restore-EsSnapshot logs-only -Repository move -Connection $other -Confirm:$false -ErrorVariable refused -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $refused[0].Exception.Message | Should -Match 'has an open index \[logs-2024\]'
        (Restore-EsSnapshot logs-only -Repository move -Connection $other -RenamePattern 'logs' -RenameReplacement 'old-logs' -Wait -Confirm:$false).Indices | Should -Be 'old-logs-2024'
    }
    It 'reindexes from the other cluster with its connection''s credentials, never printing them' {
        $all = Invoke-EsReindex orders orders-copy -SourceConnection $source -Connection $destination -Confirm:$false -Verbose 4>&1 *>&1
        $result = $all | Where-Object { $_ -is [EsUpgrade.Migration.EsReindexResult] }
        ($result.SourceDocuments, $result.DestinationDocuments, $result.CountsMatch) | Should -Be @(3000, 3000, $true)
        ($all | Out-String) | Should -Not -Match ([regex]::Escape($password))
        Invoke-EsRequest -Method DELETE /orders-copy -Connection $destination | Out-Null
    }
    It 'says which whitelist line is missing' {
        Invoke-EsReindex orders orders -SourceConnection $source -Connection $other -Confirm:$false -ErrorVariable denied -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $denied[0].FullyQualifiedErrorId | Should -BeLike 'RemoteNotWhitelisted,*'
        $denied[0].Exception.Message | Should -Match 'reindex\.remote\.whitelist: "127\.0\.0\.1:\d+"'
    }
}

Describe 'Invoke-EsSnapshotMigration' {
    It '-WhatIf prints how each index would move and does nothing' {
        $file = New-TemporaryFile
        Start-Transcript -Path $file -UseMinimalHeader | Out-Null
        try { Invoke-EsSnapshotMigration $source $destination move -StatePath (Join-Path $repoRoot 'whatif.json') -WhatIf }
        finally { Stop-Transcript | Out-Null }
        $said = Get-Content -Raw $file
        $said | Should -Match 'Migrate 2 indices through a snapshot in move: about [\d.]+ min \(defaults: snapshot and restore at 40 MB/s'
        $said | Should -Match 'Restore from a snapshot in move \(2000000 documents, ~\d+ s\)" on target "old -> new: logs-2024"'
        $said | Should -Match 'Reindex from old \(created by 6\.8\.23.*3000 documents, ~1 s\)" on target "old -> new: orders"'
        Test-Path (Join-Path $repoRoot 'whatif.json') | Should -BeFalse
        Get-EsIndex -Connection $destination | Should -BeNullOrEmpty
    }
    It 'killed mid-restore in a runbook, resumes in a new process and proves every index, alias, template and document arrived' {
        $state = Join-Path $repoRoot 'migration.json'
        $runner = Join-Path $old.Directory 'migrate.ps1'
        Set-Content $runner @"
Import-Module '$env:ESUPGRADE_MODULE'
`$cred = [pscredential]::new('elastic', (ConvertTo-SecureString '$password' -AsPlainText -Force))
`$s = Connect-EsCluster -Uri '$($old.Uris[0])' -Credential `$cred -Name old -PassThru
`$d = Connect-EsCluster -Uri '$($new.Uris[0])' -Name new -PassThru
Invoke-EsSnapshotMigration `$s `$d move -SnapshotName runbook -StatePath '$state' -Confirm:`$false
"@
        $run = Start-PwshScript $runner
        # Killed once the restore was sent: the snapshot is taken, the destination is filling.
        $watcher = [IO.FileSystemWatcher]::new($repoRoot, 'migration.json*')
        try {
            while (-not ((Test-Path $state) -and (Get-Content -Raw $state -ErrorAction SilentlyContinue) -match '"RestoreSent": true') -and -not $run.HasExited) {
                $null = $watcher.WaitForChanged([IO.WatcherChangeTypes]::All, 250)
            }
        } finally { $watcher.Dispose() }
        $run.HasExited | Should -BeFalse -Because "the run must still be restoring when it is killed: $(Get-Content -Raw ([IO.Path]::ChangeExtension($runner, '.err')))"
        $run.Kill($true); $run.WaitForExit()
        (Get-EsIndex orders -Connection $destination -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty -Because 'the reindex had not started'

        $all = Invoke-EsSnapshotMigration $source $destination move -StatePath $state -Confirm:$false -Verbose 4>&1
        $results = @($all | Where-Object { $_ -is [EsUpgrade.Migration.EsMigratedIndex] })
        $results | ForEach-Object { "$($_.Index) $($_.Route) $($_.SourceDocuments) $($_.DestinationDocuments) $($_.Status)" } |
            Should -Be @('logs-2024 Restored 2000000 2000000 Complete', 'orders Reindexed 3000 3000 Complete')
        ($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain '[old -> new] resuming'
        ($all | Out-String) | Should -Not -Match ([regex]::Escape($password))
        @(Get-EsSnapshot move runbook -Connection $source).Count | Should -Be 1 -Because 'the resumed run takes no second snapshot'
        Compare-EsCluster -Reference $source -Difference $destination | Should -BeNullOrEmpty
        (Get-EsIndex orders -Connection $destination).CreatedVersion.Major | Should -Be 8
    }
    It 'refuses a destination that is not 8.x, or the source itself' {
        { Invoke-EsSnapshotMigration $source $source move -Confirm:$false } | Should -Throw -ErrorId 'ClusterVersionMismatch,*'
        $wrong = { Invoke-EsSnapshotMigration $destination $other move -Confirm:$false } | Should -Throw -PassThru
        $wrong.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $wrong.Exception.Message | Should -Match 'moves a 7\.x cluster into an 8\.x one; new runs 8\.19\.0 and stranger 8\.19\.0'
    }
}
