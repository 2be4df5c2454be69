# Piped objects narrow, never widen: every object the module emits, piped into every cmdlet whose
# parameters it binds to, acts on exactly that object. A full name that matches nothing is ObjectNotFound;
# a wildcard that matches nothing is no output and no error.
BeforeDiscovery {
    Import-Module $env:ESUPGRADE_MODULE
    # Parameters that name a thing in a cluster and bind from piped objects by property name.
    $script:narrowing = foreach ($command in Get-Command -Module EsUpgrade) {
        foreach ($p in $command.Parameters.Values) {
            $attr = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
            if ($p.Name -in 'Connection', 'InputObject' -or -not ($attr.ValueFromPipelineByPropertyName -contains $true)) { continue }
            @{ Command = $command.Name; Parameter = $p.Name; Properties = @($p.Name) + $p.Aliases }
        }
    }
    # Every property any narrowing parameter of the same cmdlet binds from.
    foreach ($entry in $narrowing) {
        $entry.CommandProperties = @($narrowing | Where-Object { $_.Command -eq $entry.Command } | ForEach-Object { $_.Properties })
    }
    $script:cmdlets = Get-Command -Module EsUpgrade | ForEach-Object { @{ Name = $_.Name; Command = $_ } }
}

BeforeAll {
    Import-Module $env:ESUPGRADE_MODULE
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    $script:es = Start-EsEmulator -Name piped -Nodes 3 -Index 'logs:2:1:2000', 'logs-old:1:1:10', 'metrics:1:1:500' -ExtraArguments '--ml-snapshot', 'fraud:old:6.4.0', '--ml-snapshot', 'fraud:current:7.17.0', '--path-repo', ([IO.Path]::GetTempPath())
    $script:upgraded = Start-EsEmulator -Name upgraded -Nodes 1 -Version 8.19.0 -ExtraArguments '--path-repo', ([IO.Path]::GetTempPath())
    $script:done = Connect-EsCluster -Uri $upgraded.Uris -Name upgraded -PassThru
    $script:conn = Connect-EsCluster -Uri $es.Uris -Name piped -PassThru    # the last one connected is the current one
    Invoke-EsRequest -Method PUT /_cluster/settings -Body @{ persistent = @{ 'cluster.routing.allocation.enable' = 'all' } } | Out-Null
    # A transient setting (an EsUpgrade finding) and a typed write (a deprecation log entry) for the assessment samples.
    Invoke-EsRequest -Method PUT /_cluster/settings -Body @{ transient = @{ 'indices.recovery.max_bytes_per_sec' = '60mb' } } | Out-Null
    Invoke-EsRequest -Method PUT /logs/doc/sample -Body @{ at = 'now' } -WarningAction SilentlyContinue | Out-Null
    $script:yml = Join-Path ([System.IO.Path]::GetTempPath()) "esupgrade-pipeline-$PID.yml"
    Set-Content -Path $yml -Value "node.master: true`nxpack.security.enabled: false"

    # One object of every type the module emits.
    $package = Join-Path (New-Item -ItemType Directory -Force (Join-Path ([IO.Path]::GetTempPath()) "esupgrade-piped-$PID")) 'elasticsearch-8.19.0-windows-x86_64.zip'
    Set-Content $package 'not opened by these tests'
    $script:samples = [ordered]@{
        EsConnection      = $conn
        EsCluster         = Get-EsCluster
        EsNode            = Get-EsNode es-02
        EsClusterHealth   = Get-EsClusterHealth
        EsIndexHealth     = (Get-EsClusterHealth -Level Indices).Indices | Where-Object Index -EQ logs
        EsClusterSetting  = Get-EsClusterSetting cluster.routing.allocation.enable
        EsIndex           = Get-EsIndex logs
        EsShard           = Get-EsShard logs | Where-Object { $_.Shard -eq 1 -and $_.Primary }
        FlushResult       = Invoke-EsFlush logs -Confirm:$false
        AllocationChange  = Disable-EsShardAllocation -Confirm:$false
        AllocationSetting = Enable-EsShardAllocation -Confirm:$false
        UpgradePlan       = New-EsUpgradePlan 8.19.0 -WarningAction SilentlyContinue
        PlannedNode       = (New-EsUpgradePlan 8.19.0 -WarningAction SilentlyContinue).Nodes | Where-Object Name -EQ es-03
        # A cluster already on the target: the run reports each node as already upgraded, restarting nothing.
        EsDeprecation     = Test-EsDeprecation | Select-Object -First 1
        ReadinessCheck    = Test-EsUpgradeReadiness 8.19.0 | Where-Object Name -EQ TransientSettings
        EsClient          = Get-EsClient | Select-Object -First 1
        DeprecationLogGroup = Get-EsDeprecationLog | Select-Object -First 1
        DeprecationLoggingState = Set-EsDeprecationLogging -Enabled $true -Confirm:$false
        RepairResult      = Test-EsDeprecation -Category Cluster | Select-Object -First 1 | Repair-EsDeprecation -Confirm:$false
        EsSystemFeature   = Get-EsSystemFeature kibana
        ModelSnapshotChange = Update-EsMlModelSnapshot fraud old -Confirm:$false
        IndexUpgradeResult = Invoke-EsIndexUpgrade logs-old -Confirm:$false
        EsSnapshotRepository = Register-EsSnapshotRepository "piped-$PID" -Location "esupgrade-piped-$PID" -Confirm:$false
        RepositoryVerification = Test-EsSnapshotRepository "piped-$PID"
        EsSnapshot        = New-EsSnapshot "piped-$PID" sample -Index logs-old -Wait -Confirm:$false
        EsRestoreResult   = Get-EsSnapshot "piped-$PID" sample | Restore-EsSnapshot -Connection $done -Wait -Confirm:$false
        EsMigratedIndex   = Invoke-EsSnapshotMigration $conn $done "piped-$PID" -Index metrics -SnapshotName migrated -StatePath (Join-Path ([IO.Path]::GetTempPath()) "esupgrade-piped-$PID.json") -Confirm:$false
        EsReindexResult   = Invoke-EsReindex metrics metrics-copy -Connection $done -Confirm:$false
        ClusterDifference = Compare-EsCluster -Reference $conn -Difference $done | Select-Object -First 1
        EsClusterBaseline = Export-EsClusterBaseline (Join-Path ([IO.Path]::GetTempPath()) "esupgrade-piped-$PID.baseline.json") -Force -Confirm:$false
        UpgradeResultCheck = Test-EsUpgradeResult 7.17.27 | Where-Object Name -EQ ShardAllocation
        EsClusterStats    = Get-EsClusterStats
        EsNodeStats       = Get-EsNodeStats es-03
        EsClusterStatus   = Watch-EsCluster -Until Yellow -Interval 1 -Timeout 30
        EsDiagnosticBundle = Export-EsDiagnostic (Join-Path ([IO.Path]::GetTempPath()) "esupgrade-piped-$PID.zip") -Force -Confirm:$false
        NodeConfigFinding = Test-EsNodeConfiguration $yml | Select-Object -First 1
        NodeConfigConversion = Convert-EsNodeConfiguration $yml -Destination "$yml.8x.yml" -Force -WarningAction SilentlyContinue
        NodeUpgradeResult = Invoke-EsRollingUpgrade 8.19.0 -Connection $done -NodeAction { throw 'not called' } -Confirm:$false -WarningAction SilentlyContinue
        EsWindowsNodeAction = New-EsWindowsNodeAction $package -InstallRoot C:\Elastic -WarningAction SilentlyContinue
    }

    # What -WhatIf says goes to the host, not to a stream: a transcript hears it.
    function Get-WhatIfText([scriptblock] $Script) {
        $file = New-TemporaryFile
        Start-Transcript -Path $file -UseMinimalHeader | Out-Null
        try { & $Script | Out-Null } finally { Stop-Transcript | Out-Null }
        Get-Content -Raw $file
        Remove-Item $file
    }

    # Runs $Object | Cmdlet with the arguments that make it safe and quick; returns its output, errors and requests.
    function Invoke-Piped($Object, [string] $Command) {
        $extra = @{}
        $parameters = (Get-Command $Command).Parameters
        if ($parameters.ContainsKey('Confirm')) { $extra.Confirm = $false }
        if ($parameters.ContainsKey('Timeout')) { $extra.Timeout = 1 }
        # A restore into the snapshot's own cluster beside what is there, hidden from the index listings of later tests.
        if ($Command -eq 'Restore-EsSnapshot') { $extra.RenamePattern = '(.+)'; $extra.RenameReplacement = "r$(Get-Random)-`$1"; $extra.IndexSetting = @{ 'index.hidden' = $true } }
        $errors = [System.Collections.Generic.List[object]]::new()
        try {
            $all = $Object | & $Command @extra -Verbose -ErrorAction SilentlyContinue -ErrorVariable +errors -WarningAction SilentlyContinue 4>&1
        } catch {
            $errors.Add($_)    # a terminating error (the Wait-* cmdlets stop on failure)
        }
        [pscustomobject]@{
            Output   = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
            Requests = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } |
                ForEach-Object { if ($_.Message -match '^\[[^\]]+\] (GET|POST|PUT|DELETE|HEAD) (\S+)') { $Matches[2] } })
            Errors   = @($errors)
        }
    }
}

AfterAll {
    Remove-Item $yml, "$yml.8x.yml", (Join-Path ([IO.Path]::GetTempPath()) "esupgrade-piped-$PID.json"), (Join-Path ([IO.Path]::GetTempPath()) "esupgrade-piped-$PID.baseline.json"), (Join-Path ([IO.Path]::GetTempPath()) "esupgrade-piped-$PID.zip") -ErrorAction SilentlyContinue
    Remove-Item -Recurse (Join-Path ([IO.Path]::GetTempPath()) "esupgrade-piped-$PID") -ErrorAction SilentlyContinue
    Get-EsConnection | Disconnect-EsCluster
    $es, $upgraded | Stop-EsEmulator
}

Describe 'The sample objects' {
    It 'cover every type the module declares as output' {
        $declared = Get-Command -Module EsUpgrade | ForEach-Object { $_.OutputType.Type } |
            Where-Object { $_.Namespace -like 'EsUpgrade*' } | ForEach-Object Name | Sort-Object -Unique
        foreach ($type in $declared) { $samples.Keys | Should -Contain $type }
        foreach ($key in $samples.Keys) { $samples[$key] | Should -Not -BeNullOrEmpty -Because "a $key sample is needed" }
    }
}

Describe '<Command> -<Parameter> narrows to the piped object' -ForEach $narrowing {
    It 'never widens: each sample either gives exactly its own thing or an ObjectNotFound' {
        foreach ($key in $samples.Keys) {
            $sample = @($samples[$key])[0]
            $property = $Properties | Where-Object { $sample.PSObject.Properties[$_] } | Select-Object -First 1
            # Objects that stand for the whole cluster narrow nothing (their Name is the cluster's or the connection's).
            if ($key -in 'EsConnection', 'EsCluster', 'EsClusterHealth', 'UpgradePlan', 'AllocationChange', 'AllocationSetting', 'DeprecationLoggingState') { continue }
            if (-not $property -and ($CommandProperties | Where-Object { $sample.PSObject.Properties[$_] })) { continue }    # another parameter narrows it
            if (-not $property) {
                # A thing of another kind names nothing here: it narrows to nothing, with an error, never to everything.
                $run = Invoke-Piped $sample $Command
                $run.Output | Should -BeNullOrEmpty -Because "a piped $key names no $Parameter for $Command"
                # PipedObjectNamesNothing, or the error of another parameter it did bind, or a missing mandatory one.
                $run.Errors | Should -Not -BeNullOrEmpty -Because "$key | $Command must say it has nothing to act on"
                continue
            }
            $value = $sample.$property
            $run = Invoke-Piped $sample $Command
            if ($null -eq $value) {
                $run.Output | Should -BeNullOrEmpty -Because "$key with no $property gives nothing to $Command"
                continue
            }
            # Nothing of that name: an honest error, not a wider answer (a wait for a node of that name times out).
            $notFound = $run.Errors | Where-Object { $_.CategoryInfo.Category -in 'ObjectNotFound', 'OperationTimeout' }
            if ($notFound) {
                $run.Output | Should -BeNullOrEmpty -Because "$key '$value' is not a thing $Command -$Parameter names"
                continue
            }
            $run.Errors | Should -BeNullOrEmpty -Because "$key | $Command"
            $identities = foreach ($o in $run.Output) {
                foreach ($name in $Properties) { if ($o.PSObject.Properties[$name]) { [string]$o.$name } }
            }
            if ($identities) {
                $identities | Sort-Object -Unique | Should -Be ([string]$value) -Because "$key '$value' | $Command must act on exactly it"
            } else {
                ($run.Requests | Where-Object { $_ -match [regex]::Escape([uri]::EscapeDataString($value)) }) |
                    Should -Not -BeNullOrEmpty -Because "$key '$value' | $Command must ask Elasticsearch about exactly it (asked: $($run.Requests -join ', '))"
            }
        }
    }
}

Describe 'Natural pipelines' {
    It 'Get-EsIndex logs | Get-EsShard lists only the copies of logs' {
        $shards = Get-EsIndex logs | Get-EsShard
        $shards.Count | Should -Be 4
        $shards.Index | Sort-Object -Unique | Should -Be 'logs'
    }
    It 'Get-EsShard | Get-EsShard returns the copies of exactly that shard' {
        $copies = $samples.EsShard | Get-EsShard
        $copies.Count | Should -Be 2
        $copies | ForEach-Object { "$($_.Index)[$($_.Shard)]" } | Sort-Object -Unique | Should -Be 'logs[1]'
    }
    It 'Get-EsIndex logs | Invoke-EsFlush flushes only logs and says so in -WhatIf' {
        (Get-EsIndex logs | Invoke-EsFlush -Confirm:$false).Index | Should -Be 'logs'
        $said = Get-WhatIfText { Get-EsIndex logs | Invoke-EsFlush -WhatIf }
        $said | Should -Match 'piped: logs'
        $said | Should -Not -Match 'all indices'
    }
    It 'Get-EsNode es-01 | Get-EsNode returns only es-01' {
        (Get-EsNode es-01 | Get-EsNode).Name | Should -Be 'es-01'
    }
    It 'several piped objects each narrow to themselves' {
        (Get-EsNode es-01, es-03 | Get-EsNode).Name | Should -Be @('es-01', 'es-03')
        (Get-EsIndex logs, metrics | Get-EsIndex).Name | Should -Be @('logs', 'metrics')
    }
    It 'a thing of another kind piped in narrows to nothing, with an error' {
        $out = $samples.NodeUpgradeResult | Get-EsIndex -ErrorAction SilentlyContinue -ErrorVariable refused
        $out | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'PipedObjectNamesNothing,*'
        $out = 'just a string' | Invoke-EsFlush -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable refused
        $out | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'PipedObjectNamesNothing,*'
    }
    It 'a connection or a cluster piped in means the whole cluster' {
        ($conn | Get-EsNode).Count | Should -Be 3
        (Get-EsCluster | Get-EsIndex).Name | Should -Be @('logs', 'logs-old', 'metrics')
        ($done | Get-EsNode).Name | Should -Be 'es-01'
    }
    It 'an upgrade result or a planned node leads to its node' {
        ($samples.NodeUpgradeResult | Get-EsNode).Connection.Name | Should -Be 'upgraded'
        ($samples.PlannedNode | Get-EsNode).Name | Should -Be 'es-03'
    }
    It 'any object leads back to its connection' {
        ($samples.EsShard | Get-EsConnection).Name | Should -Be 'piped'
        ($samples.NodeUpgradeResult | Get-EsConnection).Name | Should -Be 'upgraded'
    }
    It 'the index health of one index comes from the index' {
        $health = Get-EsIndex metrics | Get-EsClusterHealth -Level Indices
        $health.Indices.Index | Should -Be 'metrics'
    }
}

Describe 'Not found, said plainly' {
    It '<Command> with a full name that matches nothing is ObjectNotFound, naming it' -ForEach @(
        @{ Command = 'Get-EsIndex'; Name = 'nothing-here'; ErrorId = 'IndexNotFound' }
        @{ Command = 'Get-EsShard'; Name = 'nothing-here'; ErrorId = 'IndexNotFound' }
        @{ Command = 'Invoke-EsFlush'; Name = 'nothing-here'; ErrorId = 'IndexNotFound' }
        @{ Command = 'Get-EsClusterHealth'; Name = 'nothing-here'; ErrorId = 'IndexNotFound' }
        @{ Command = 'Get-EsNode'; Name = 'es-99'; ErrorId = 'NodeNotFound' }
        @{ Command = 'Get-EsClusterSetting'; Name = 'cluster.nothing.here'; ErrorId = 'SettingNotFound' }
        @{ Command = 'Get-EsConnection'; Name = 'no-such-connection'; ErrorId = 'ConnectionNotFound' }
    ) {
        $extra = @{}
        if ((Get-Command $Command).Parameters.ContainsKey('Confirm')) { $extra.Confirm = $false }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $out = & $Command $Name @extra -ErrorAction SilentlyContinue -ErrorVariable errors
        $out | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].TargetObject | Should -Be $Name
        $errors[0].Exception.Message | Should -Match ([regex]::Escape("'$Name'"))
        $errors[0].Exception.Message | Should -Not -Match '\?|_cat|%'
    }
    It '<Command> with a wildcard that matches nothing gives nothing and no error' -ForEach @(
        @{ Command = 'Get-EsIndex'; Name = 'nothing-*' }
        @{ Command = 'Get-EsShard'; Name = 'nothing-*' }
        @{ Command = 'Get-EsClusterHealth'; Name = 'nothing-*' }
        @{ Command = 'Get-EsNode'; Name = 'nothing-*' }
        @{ Command = 'Get-EsClusterSetting'; Name = 'cluster.nothing.*' }
        @{ Command = 'Get-EsConnection'; Name = 'nothing-*' }
    ) {
        $out = & $Command $Name -ErrorAction SilentlyContinue -ErrorVariable errors
        $out | Should -BeNullOrEmpty
        $errors | Should -BeNullOrEmpty
    }
    It 'a found name and a missing one: the found is written, the missing is an error' {
        $out = Get-EsIndex logs, nothing-here -ErrorAction SilentlyContinue -ErrorVariable errors
        $out.Name | Should -Be 'logs'
        $errors.Count | Should -Be 1
        $errors[0].TargetObject | Should -Be 'nothing-here'
    }
    It 'a missing index never widens a flush to every index' {
        $out = Invoke-EsFlush nothing-here -Confirm:$false -ErrorAction SilentlyContinue -Verbose 4>&1
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'POST /_flush' }) | Should -BeNullOrEmpty
    }
    It 'Wait-EsClusterHealth -Index for a missing index fails at once, not after its timeout' {
        { Wait-EsClusterHealth -Index nothing-here -Status Green -Timeout 60 } | Should -Throw -ErrorId 'IndexNotFound,EsUpgrade.Commands.WaitEsClusterHealthCommand'
    }
}

Describe 'Views at 120 columns' {
    It '<_> fits in 120 columns without cutting a value short' -ForEach @('EsCluster', 'EsNode', 'EsClusterHealth', 'EsIndexHealth', 'EsClusterSetting', 'EsIndex', 'EsShard', 'FlushResult', 'AllocationChange', 'AllocationSetting', 'UpgradePlan', 'PlannedNode', 'NodeUpgradeResult', 'EsWindowsNodeAction') {
        $text = $samples[$_] | Out-String -Width 120
        $text -split "`n" | Where-Object { $_.TrimEnd().Length -gt 120 } | Should -BeNullOrEmpty
        $text | Should -Not -Match '…' -Because "a $_ column is too narrow:`n$text"
    }
    It 'node roles read as Elasticsearch''s letters' {
        (Get-EsNode es-01).RoleLetters | Should -Be 'cdfhilmrstw'
        $samples.PlannedNode.Reason.Length | Should -BeLessThan 50
    }
    It 'objects from two connections are shown under each connection' {
        $text = Get-EsConnection | Get-EsNode | Out-String -Width 120
        $text | Should -Match 'Connection: upgraded'
        $text | Should -Match 'Connection: piped'
    }
    It 'an upgrade result carries its duration in seconds too' {
        $samples.NodeUpgradeResult[0].PSObject.Properties.Name | Should -Contain 'DurationSeconds'
    }
}
