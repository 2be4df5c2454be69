# What admins meet between them and the cluster, through the commands as they call them: transient faults retried
# (each retry on the verbose stream), and hostile answers turned into InvalidResult errors, never a stack trace.
BeforeAll {
    Import-Module $env:ESUPGRADE_MODULE
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    $script:repoRoot = Join-Path ([IO.Path]::GetTempPath()) "esupgrade-faults-$PID"
    New-Item -ItemType Directory -Path $repoRoot -Force | Out-Null
    $script:es = Start-EsEmulator -Name hostile -Nodes 2 -Version 7.17.27 -Index 'logs:2:1:1000' -Snapshot 'backups:snap-1:2' -ExtraArguments '--path-repo', $repoRoot
    $script:conn = Connect-EsCluster -Uri $es.Uris -Name hostile -PassThru -RetryTimeout '00:00:05'
}

AfterAll {
    Get-EsConnection | Disconnect-EsCluster
    $es | Stop-EsEmulator
    Remove-Item -Recurse -Force $repoRoot -ErrorAction SilentlyContinue
}

Describe 'Transient faults' {
    AfterEach { Clear-EsEmulatorFault -Emulator $es }

    It 'a 429 burst with Retry-After is waited out, each retry said with -Verbose' {
        $fault = Add-EsEmulatorFault -Emulator $es -Kind Rejected -Path '^/_cluster/health' -Count 2 -RetryAfter 1
        $said = Get-EsClusterHealth -Verbose 4>&1
        ($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'es_rejected_execution_exception.*Retry \d in 1 s' }).Count | Should -Be 2
        ($said | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Status | Should -Be 'Green'
        (Get-EsEmulatorFault -Emulator $es) | Should -BeNullOrEmpty -Because "the fault $($fault.id) was counted out"
    }

    It 'a fault that outlasts -RetryTimeout ends as the error it is' {
        Add-EsEmulatorFault -Emulator $es -Kind BadGateway | Out-Null
        $said = Get-EsNode -ErrorAction SilentlyContinue -ErrorVariable failed -Verbose 4>&1
        $failed[0].FullyQualifiedErrorId | Should -Be 'EsServerError,EsUpgrade.Commands.GetEsNodeCommand'
        $failed[0].Exception.Message | Should -Match 'HTTP 502'
        # Each call: 0.5 + 1 + 2 s within the 5 s, then the next wait (4 s) would pass them.
        $retries = @($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'HTTP 502.*Retry (\d) in' } | ForEach-Object { [int]$Matches[1] })
        ($retries | Sort-Object -Unique) | Should -Be @(1, 2, 3)
    }
}

Describe 'Long-running commands under transient faults' {
    AfterEach { Clear-EsEmulatorFault -Emulator $es }

    It 'a snapshot is taken and waited for through 503s and dropped connections' {
        Register-EsSnapshotRepository faulty -Location faulty -Confirm:$false | Out-Null
        $unavailable = Add-EsEmulatorFault -Emulator $es -Kind Unavailable -Path '^/_snapshot/faulty/' -Count 2
        $reset = Add-EsEmulatorFault -Emulator $es -Kind Reset -Method GET -Path '^/_snapshot/faulty/' -Count 2
        $said = New-EsSnapshot faulty through-faults -Wait -Confirm:$false -Verbose 4>&1
        ($said | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).State | Should -Be 'SUCCESS'
        @($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'Retry \d' }).Count | Should -Be 4
        (Get-EsEmulatorFault -Emulator $es) | Should -BeNullOrEmpty -Because "both faults ($($unavailable.id), $($reset.id)) were counted out"
    }

    It 'a reindex refused with 429s is started once it is accepted, and followed to its end' {
        # A latency of 0 on POST /_reindex counts the requests that reached a node.
        $sent = Add-EsEmulatorFault -Emulator $es -Kind Latency -LatencyMs 0 -Method POST -Path '^/_reindex'
        Add-EsEmulatorFault -Emulator $es -Kind Rejected -Path '^/_(reindex|tasks)' -Count 3 | Out-Null
        $result = Invoke-EsReindex logs logs-copy -Confirm:$false
        ($result.SourceDocuments, $result.DestinationDocuments, $result.CountsMatch) | Should -Be @(1000, 1000, $true)
        $refused = @(Get-EsEmulatorFault -Emulator $es | Where-Object id -EQ $sent.id)[0].hits
        $refused | Should -Be 4 -Because 'three refusals were asked again, and the accepted start was sent once'
    }

    It 'a call that starts work is never sent twice after its answer was cut off, not even to the other node' {
        $sent = Add-EsEmulatorFault -Emulator $es -Kind Latency -LatencyMs 0 -Method PUT -Path '^/_snapshot/faulty/lost'
        Add-EsEmulatorFault -Emulator $es -Kind Truncated -Method PUT -Path '^/_snapshot/faulty/lost' -Count 1 | Out-Null
        New-EsSnapshot faulty lost -Wait -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].CategoryInfo.Category | Should -Be 'ConnectionError' -Because $failed[0].Exception.Message
        @(Get-EsEmulatorFault -Emulator $es | Where-Object id -EQ $sent.id)[0].hits | Should -Be 1 -Because 'the transport must not fail over a PUT that creates a snapshot'
    }
}

Describe 'Hostile answers' {
    AfterEach { Clear-EsEmulatorFault -Emulator $es }

    It '<Command>: every mangled answer is an ErrorRecord (InvalidResult when unreadable), never an unexpected exception' -ForEach @(
        @{ Command = 'Get-EsCluster' }, @{ Command = 'Get-EsNode' }, @{ Command = 'Get-EsIndex' }, @{ Command = 'Get-EsShard' },
        @{ Command = 'Get-EsClusterHealth' }, @{ Command = 'Get-EsClusterSetting' }, @{ Command = 'Get-EsClusterStats' },
        @{ Command = 'Get-EsNodeStats' }, @{ Command = 'Test-EsDeprecation' }, @{ Command = 'Test-EsUpgradeReadiness' },
        @{ Command = 'Get-EsSnapshotRepository' }, @{ Command = 'Get-EsSnapshot' }, @{ Command = 'Get-EsSystemFeature' },
        @{ Command = 'Get-EsClient' }, @{ Command = 'New-EsUpgradePlan' }
    ) {
        $parameters = @{}
        if ($Command -in 'New-EsUpgradePlan', 'Test-EsUpgradeReadiness') { $parameters.TargetVersion = '8.19.0' }
        $invalid = 0
        foreach ($seed in 0..7) {
            Add-EsEmulatorFault -Emulator $es -Kind Garbage -Seed $seed | Out-Null
            $errors = @()
            try {
                & $Command @parameters -ErrorAction SilentlyContinue -ErrorVariable +errors | Out-Null
            } catch {
                $errors += $_
            }
            Clear-EsEmulatorFault -Emulator $es
            foreach ($e in $errors) {
                $e | Should -BeOfType [System.Management.Automation.ErrorRecord]
                $e.FullyQualifiedErrorId | Should -Not -Match '^UnexpectedError' -Because "seed $seed of $Command gave: $($e.Exception.Message)"
                $e.Exception.GetType().FullName | Should -BeLike 'EsUpgrade.*' -Because "seed $seed of $Command gave $($e.Exception.GetType().Name)"
                $e.Exception.Message | Should -Not -Match '\bat EsUpgrade\.|NullReferenceException'
                if ($e.CategoryInfo.Category -eq 'InvalidResult') { $invalid++ }
            }
        }
        $invalid | Should -BeGreaterThan 0 -Because 'a body cut off or in HTML is unreadable'
    }
}
