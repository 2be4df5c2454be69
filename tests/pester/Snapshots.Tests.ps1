# Back up as an admin does it: a repository inside path.repo, a snapshot that is a backup only when it succeeded.
BeforeAll {
    Import-Module $env:ESUPGRADE_MODULE
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    $script:repoRoot = Join-Path ([IO.Path]::GetTempPath()) "esupgrade-backup-$PID"
    New-Item -ItemType Directory -Path $repoRoot | Out-Null
    $script:es = Start-EsEmulator -Name backup -Nodes 3 -Version 7.17.29 -Index 'logs:2:0:1000', 'metrics:1:0:100' -BootSeconds 0 -ExtraArguments '--path-repo', $repoRoot
    $script:conn = Connect-EsCluster -Uri $es.Uris -Name backup -PassThru
}

AfterAll {
    Get-EsConnection | Disconnect-EsCluster
    $es | Stop-EsEmulator
    Remove-Item -Recurse -Force $repoRoot -ErrorAction SilentlyContinue
}

Describe 'Snapshot repositories and snapshots' {
    It 'refuses a folder outside path.repo, saying why and what to do' {
        Register-EsSnapshotRepository elsewhere -Location ([IO.Path]::GetTempPath()) -ErrorVariable err -ErrorAction SilentlyContinue -Confirm:$false | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RepositoryRejected*'
        $err[0].Exception.Message | Should -Match 'path\.repo'
    }
    It 'takes a snapshot, waits for it and lists it' {
        $repo = Register-EsSnapshotRepository nightly -Location nightly -Verify -Confirm:$false
        $repo.Location | Should -Be (Join-Path $repoRoot nightly)
        $snapshot = New-EsSnapshot nightly before-8 -Wait -Confirm:$false
        $snapshot.State | Should -Be 'SUCCESS'
        ($snapshot.Indices | Sort-Object) | Should -Be @('logs', 'metrics')
        (Get-EsSnapshot -Repository nightly).Name | Should -Be 'before-8'
        Get-EsSnapshot -Repository nightly -Name nope -ErrorVariable missing -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
    It 'never reports a partial snapshot as a backup' {
        $holder = (Get-EsShard logs | Where-Object Primary | Select-Object -First 1).Node
        if ($holder -eq (Get-EsCluster).ElectedMaster) { $holder = (Get-EsShard logs | Where-Object Primary | Select-Object -Last 1).Node }
        Invoke-EsEmulatorControl -Emulator $es -NodeName $holder -Action stop | Out-Null
        New-EsSnapshot nightly part -Partial -Wait -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SnapshotFailed*'
        $failed[0].Exception.Message | Should -Match 'PARTIAL'
        (Get-EsSnapshot nightly part).State | Should -Be 'PARTIAL'
    }
    It 'deletes a snapshot found by name alone' {
        Remove-EsSnapshot before-8 -Confirm:$false
        Get-EsSnapshot -Repository nightly before-8 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
