# The words of EsUpgrade's help. build.ps1 joins them with each cmdlet's real parameters and writes
# en-US/EsUpgrade.dll-Help.xml (MAML) into the built module. Every cmdlet, every parameter and at least two examples each
# must be here: the build fails otherwise (Conventions.Tests.ps1 counts the examples).
@{
    # The tasks an admin does with the module: each cmdlet's RELATED LINKS are the other cmdlets of its tasks.
    Tasks = @{
        Connect       = @('Connect-EsCluster', 'Get-EsConnection', 'Disconnect-EsCluster', 'Invoke-EsRequest')
        Inventory     = @('Get-EsCluster', 'Get-EsNode', 'Get-EsIndex', 'Get-EsShard', 'Get-EsClusterSetting')
        Health        = @('Get-EsClusterHealth', 'Wait-EsClusterHealth', 'Get-EsShard', 'Wait-EsNode')
        RollingUpgrade = @('New-EsUpgradePlan', 'Invoke-EsRollingUpgrade', 'New-EsWindowsNodeAction', 'Watch-EsCluster', 'Get-EsIndex', 'Wait-EsNode', 'Wait-EsClusterHealth')
        Assess        = @('Test-EsUpgradeReadiness', 'Test-EsDeprecation', 'Test-EsNodeConfiguration', 'Convert-EsNodeConfiguration', 'Get-EsClient', 'Get-EsDeprecationLog', 'Set-EsDeprecationLogging', 'Export-EsUpgradeReport')
        Fix           = @('Repair-EsDeprecation', 'Invoke-EsIndexUpgrade', 'Test-EsDeprecation', 'Get-EsSystemFeature', 'Start-EsSystemFeatureMigration', 'Update-EsMlModelSnapshot', 'Remove-EsMlModelSnapshot')
        BackUp        = @('Register-EsSnapshotRepository', 'Get-EsSnapshotRepository', 'Test-EsSnapshotRepository', 'Unregister-EsSnapshotRepository', 'New-EsSnapshot', 'Get-EsSnapshot', 'Wait-EsSnapshot', 'Remove-EsSnapshot', 'Restore-EsSnapshot', 'Test-EsUpgradeReadiness')
        Prove         = @('Export-EsClusterBaseline', 'Test-EsUpgradeResult', 'Compare-EsCluster', 'Get-EsClusterHealth', 'Get-EsClusterStats', 'Get-EsNodeStats', 'Watch-EsCluster', 'Export-EsDiagnostic', 'Export-EsUpgradeReport')
        NewCluster    = @('Invoke-EsSnapshotMigration', 'New-EsSnapshot', 'Restore-EsSnapshot', 'Invoke-EsReindex', 'Compare-EsCluster')
        ByHand        = @('Disable-EsShardAllocation', 'Enable-EsShardAllocation', 'Invoke-EsFlush', 'Set-EsMlUpgradeMode', 'Wait-EsNode', 'Wait-EsClusterHealth')
    }

    'Connect-EsCluster' = @{
        Synopsis    = 'Connects to an Elasticsearch cluster and makes it the current connection.'
        Description = 'Reaches a node of the cluster (failing over between the URIs given), checks that it is Elasticsearch (the X-elastic-product header from 7.14 on) and reads its version. The connection becomes the session''s current one; several named connections can live side by side, such as an old 7.17 cluster and a new 8.x cluster. TLS certificates are verified by default: pin the CA fingerprint that Elasticsearch 8 prints at first start, give the CA file, or, for a test cluster only, skip the check. Secrets are turned into an Authorization header only at the HTTP edge and appear in no output, log or error.'
        Parameters  = @{
            Uri                    = 'One or more node URIs, such as https://es01:9200. Requests fail over between them. Behind a reverse proxy, give its path (https://proxy/es/): it prefixes every request. A query string or fragment is refused (InvalidUri).'
            CloudId                = 'The Cloud ID of an Elastic Cloud deployment.'
            Credential             = 'User name and password for basic authentication.'
            ApiKey                 = 'An API key: the "encoded" value Elasticsearch returns when the key is created, or id:api_key.'
            CertificateFingerprint = 'The SHA-256 fingerprint of the cluster''s CA or node certificate, with or without colons.'
            CaCertificatePath      = 'A PEM or DER file with the CA that signed the cluster''s HTTP certificate.'
            SkipCertificateCheck   = 'Accept any certificate. For test clusters only: credentials can then be read by anyone in between.'
            Name                   = 'The connection''s name. Default: the cluster name. Connecting again with a name already in use replaces that connection.'
            PassThru               = 'Write the connection to the pipeline.'
            RetryTimeout           = 'How long every call through this connection is asked again while the cluster answers 429, 502, 503, 504 or not at all (a master election, a restarting node, a busy cluster, a proxy), with backoff and honouring Retry-After; each retry shows with -Verbose. 0 fails at the first fault. Default 2 minutes.'
        }
        Examples    = @(
            @{ Code = 'Connect-EsCluster -Uri https://es01:9200, https://es02:9200 -Credential (Get-Credential elastic) -CertificateFingerprint 3c1f...e9'; Remarks = 'Connects to a secured 8.x cluster, trusting its CA by the fingerprint printed at first start. Returns nothing (-PassThru returns the EsConnection).' }
            @{ Code = "Connect-EsCluster -Uri http://old-es:9200 -Name old`nConnect-EsCluster -Uri https://new-es:9200 -Credential `$cred -CaCertificatePath C:\es\http_ca.crt -Name new`nGet-EsConnection"; Remarks = 'Keeps an old and a new cluster side by side; the last one connected is current. Get-EsConnection returns both EsConnection objects, the current one marked.' }
            @{ Code = '$cred = Get-AutomationPSCredential -Name ElasticAdmin; Connect-EsCluster -Uri $env:ES_URI -Credential $cred'; Remarks = 'In an Azure Automation runbook, with the credential from an Automation asset. Returns nothing.' }
        )
    }
    'Disconnect-EsCluster' = @{
        Synopsis    = 'Closes a connection and forgets it.'
        Description = 'Closes the named connection, the one given or piped, or else the current one.'
        Parameters  = @{
            Name       = 'The name of the connection to close.'
            Connection = 'The connection to close (from Get-EsConnection or any EsUpgrade object).'
        }
        Examples    = @(
            @{ Code = 'Disconnect-EsCluster -Name old'; Remarks = 'Closes the connection named old. Returns nothing.' }
            @{ Code = 'Get-EsConnection | Disconnect-EsCluster'; Remarks = 'Closes every connection. Returns nothing.' }
        )
    }
    'Get-EsConnection' = @{
        Synopsis    = 'Lists the session''s connections.'
        Description = 'Lists the connections made with Connect-EsCluster; the current one is marked. Objects from EsUpgrade carry their connection, so output of one cluster''s cmdlets chains back to that cluster.'
        Parameters  = @{
            Name       = 'Connection names; wildcards allowed. A full name that matches no connection is a ConnectionNotFound error.'
            Current    = 'Only the current connection.'
            Connection = 'From the pipeline: a connection, or any EsUpgrade object, whose connection is returned.'
        }
        Examples    = @(
            @{ Code = 'Get-EsConnection'; Remarks = 'Returns an EsConnection for each connection of the session.' }
            @{ Code = 'Get-EsConnection -Name old | Get-EsNode'; Remarks = 'Returns an EsNode for each node of the cluster behind the connection named old.' }
        )
    }
    'Get-EsCluster' = @{
        Synopsis    = 'Shows a cluster at a glance: health, node counts, versions present, elected master.'
        Description = 'Reads GET /, _cluster/health, _nodes and _cat/master. MinimumVersion and MaximumVersion show a cluster in the middle of a rolling upgrade; Versions lists each version with its node count.'
        Parameters  = @{ Connection = 'The cluster to read; default the current connection. Bound from piped EsUpgrade objects.' }
        Examples    = @(
            @{ Code = 'Get-EsCluster'; Remarks = 'Returns one EsCluster: the current cluster''s health, node counts and versions.' }
            @{ Code = 'Get-EsConnection | Get-EsCluster'; Remarks = 'Returns an EsCluster for every connected cluster.' }
        )
    }
    'Get-EsNode' = @{
        Synopsis    = 'Lists the nodes of a cluster with version, roles, data tiers and addresses.'
        Description = 'Reads _nodes. Names pass to Elasticsearch as node selectors, so wildcards, ids, _master, _local and role:true selectors work. DataTiers is "all" for the legacy data role.'
        Parameters  = @{
            Name       = 'Node names, ids, wildcards or Elasticsearch node selectors (_master, master:true, ...). From the pipeline: a node''s or planned node''s Name, a shard''s or an upgrade result''s Node; a connection or a cluster object piped in means every node. A full name that matches no node is a NodeNotFound error.'
            Role       = 'Only nodes with one of these roles.'
            Connection = 'The cluster to read; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsNode'; Remarks = 'Returns an EsNode for each node, shown with its roles in Elasticsearch''s letters.' }
            @{ Code = 'Get-EsNode -Role master | Where-Object Version -lt ''8.0'''; Remarks = 'Returns the EsNode objects of master-eligible nodes not yet on 8.x.' }
            @{ Code = 'Get-EsNode hot-*'; Remarks = 'Returns the EsNode objects whose names start with hot-; none (and no error) when nothing matches.' }
        )
    }
    'Get-EsClusterHealth' = @{
        Synopsis    = 'Reads cluster health now.'
        Description = 'Reads _cluster/health for the cluster, or for some indices with -Index. -Level Indices or Shards adds per-index health in Indices.'
        Parameters  = @{
            Index      = 'Indices to report on; wildcards allowed. From the pipeline: an index''s Name or an index health''s Index. A full name that matches no index is an IndexNotFound error at once (Elasticsearch itself would wait for it to appear); a wildcard that matches nothing gives no output.'
            Level      = 'Cluster, Indices or Shards.'
            Connection = 'The cluster to read; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsClusterHealth'; Remarks = 'Returns one EsClusterHealth for the current cluster.' }
            @{ Code = '(Get-EsClusterHealth -Level Indices).Indices | Where-Object Status -ne green'; Remarks = 'Returns the EsIndexHealth of each index that is not green.' }
        )
    }
    'Wait-EsClusterHealth' = @{
        Synopsis    = 'Waits until the cluster reaches a health condition.'
        Description = 'Uses Elasticsearch''s own long poll (_cluster/health with wait_for_*), so it returns the moment the cluster is ready, with no fixed sleeps. It polls in slices of at most 10 seconds, showing progress, and rides out a master election or a node that stops answering. On timeout it stops with the error ClusterHealthTimeout, whose target is the last health seen.'
        Parameters  = @{
            Status               = 'Green, Yellow or Red: wait until the status is this or better.'
            NoInitializingShards = 'Wait until no shard is initializing.'
            NoRelocatingShards   = 'Wait until no shard is relocating.'
            NodeCount            = 'Wait until the node count matches: 5, >=5, <=5, >5, <5, ge(5), le(5), gt(5), lt(5).'
            Index                = 'Wait on these indices only; wildcards allowed. From the pipeline: an index''s Name. A full name that matches no index stops the command with IndexNotFound at once.'
            Level                = 'Cluster, Indices or Shards: the detail of the health returned.'
            Timeout              = 'How long to wait: a TimeSpan, "hh:mm:ss", or a number of seconds. Default 10 minutes.'
            Connection           = 'The cluster to wait on; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Wait-EsClusterHealth -Status Green -Timeout 1800'; Remarks = 'Waits up to 30 minutes for green; returns the EsClusterHealth that met the condition, or stops with ClusterHealthTimeout.' }
            @{ Code = 'Wait-EsClusterHealth -Status Yellow -NoInitializingShards -NoRelocatingShards -NodeCount 9'; Remarks = 'Mid-upgrade: all 9 nodes back, nothing moving; yellow is expected while replicas cannot go to older nodes. Returns the EsClusterHealth.' }
        )
    }
    'Get-EsClusterSetting' = @{
        Synopsis    = 'Lists cluster settings by flat name.'
        Description = 'Reads _cluster/settings with flat names (cluster.routing.allocation.enable). Each setting says whether it is persistent, transient or a default.'
        Parameters  = @{
            Name            = 'Setting names; wildcards allowed, any case. From the pipeline: a setting''s Name. A full name that nothing read matches is a SettingNotFound error (add -IncludeDefaults for settings at their default).'
            Scope           = 'Persistent, Transient or Default.'
            IncludeDefaults = 'Also list defaults that are not overridden.'
            Connection      = 'The cluster to read; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsClusterSetting cluster.routing.allocation.*'; Remarks = 'Returns an EsClusterSetting for each allocation setting that is set.' }
            @{ Code = 'Get-EsClusterSetting -Scope Transient'; Remarks = 'Returns the EsClusterSetting objects set transiently, which Elastic advises against and a full restart loses.' }
        )
    }
    'Invoke-EsRequest' = @{
        Synopsis    = 'Calls any Elasticsearch API and returns the parsed answer.'
        Description = 'The escape hatch for APIs EsUpgrade has no cmdlet for. JSON answers come back as objects, other answers (such as _cat text) as strings. Methods other than GET and HEAD ask for confirmation with -Confirm and do nothing with -WhatIf. An error status becomes an EsServerError with the Elasticsearch error type in the exception.'
        Parameters  = @{
            Path       = 'The path and query string, such as /_cat/indices?v.'
            Method     = 'GET (default), POST, PUT, DELETE or HEAD.'
            Body       = 'A JSON string, or a hashtable or object that is converted to JSON.'
            Raw        = 'Return the body as a string.'
            Connection = 'The cluster to call; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Invoke-EsRequest /_cat/indices?v'; Remarks = 'Returns the _cat/indices table as one string.' }
            @{ Code = 'Invoke-EsRequest -Method PUT -Path /_cluster/settings -Body @{ persistent = @{ ''cluster.routing.allocation.enable'' = $null } }'; Remarks = 'Resets shard allocation to its default; returns Elasticsearch''s answer as an object (acknowledged, persistent, transient).' }
        )
    }
    'Get-EsIndex' = @{
        Synopsis    = 'Lists indices with health, shards, documents, size and the version that created them.'
        Description = 'Reads _cat/indices and each index''s index.version.created. An index created before 7.0 stops an 8.x node from starting: reindex it on 7.17 (or delete it) before the upgrade.'
        Parameters  = @{
            IncludeHidden = 'Also hidden indices, which wildcards leave out by default: the 7.x system indices (.security-7, .tasks, .kibana_N) are hidden, and a 6.x-created one stops every 8.x node.'
            Name       = 'Index names, aliases or patterns; wildcards allowed. From the pipeline: an index''s Name or a shard''s Index; a connection or a cluster object piped in means every index. A full name that matches nothing is an IndexNotFound error; a wildcard that matches nothing gives no output.'
            Connection = 'The cluster to read; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsIndex | Where-Object { $_.CreatedVersion -lt [version]''7.0'' }'; Remarks = 'Returns the EsIndex objects that block an upgrade to 8.x.' }
            @{ Code = 'Get-EsIndex logs-* -IncludeHidden | Sort-Object DocsCount -Descending | Select-Object -First 5 Name, DocsCount, Health'; Remarks = 'The five largest log indices, hidden ones included.' }
        )
    }
    'Get-EsShard' = @{
        Synopsis    = 'Lists shard copies: state, node, and why an unassigned copy is unassigned.'
        Description = 'Reads _cat/shards. Mid-upgrade, replicas whose primary is on an upgraded node stay unassigned until a node of the new version can take them.'
        Parameters  = @{
            Index      = 'Index names, aliases or patterns; wildcards allowed. From the pipeline: an index''s Name or a shard''s Index. A full name that matches nothing is an IndexNotFound error.'
            Shard      = 'Only these shard numbers. From the pipeline: a shard''s Shard, so a piped shard gives the copies of exactly that shard.'
            State      = 'Only copies in these states: Started, Initializing, Relocating, Unassigned.'
            Connection = 'The cluster to read; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsShard -State UNASSIGNED'; Remarks = 'Returns an EsShard for each unassigned copy, with the reason.' }
            @{ Code = 'Get-EsShard -State UNASSIGNED | Group-Object Index'; Remarks = 'Which indices have unassigned copies, and how many.' }
        )
    }
    'Disable-EsShardAllocation' = @{
        Synopsis    = 'Restricts shard allocation before a node restarts, and remembers the setting it found.'
        Description = 'Sets cluster.routing.allocation.enable (persistent by default) to primaries, new_primaries or none, so the cluster does not copy a restarting node''s shards elsewhere. The value found before is kept for Enable-EsShardAllocation. If a transient value is set, it is the transient value that is changed, since it wins.'
        Parameters  = @{
            Mode       = 'Primaries (default), NewPrimaries or None.'
            Transient  = 'Set the transient value instead of the persistent one.'
            Connection = 'The cluster to change; default the current connection.'
        }
        Examples    = @(
            @{ Code = "Disable-EsShardAllocation`n# restart the node`nEnable-EsShardAllocation"; Remarks = 'The manual round of one node of a rolling upgrade: Disable returns an AllocationChange, Invoke-EsFlush a FlushResult, Wait-EsNode the EsNode, Enable an AllocationSetting.' }
            @{ Code = 'Disable-EsShardAllocation -Mode none -Transient -WhatIf'; Remarks = 'Shows what would be set (allocation off, as a transient setting that a full-cluster restart forgets) without changing anything.' }
        )
    }
    'Enable-EsShardAllocation' = @{
        Synopsis    = 'Puts shard allocation back.'
        Description = 'Restores cluster.routing.allocation.enable to what Disable-EsShardAllocation found in this session, or resets it to the default (all). Returns the setting as it now stands.'
        Parameters  = @{
            Default    = 'Reset both scopes to the default (all) instead of restoring the remembered value.'
            Connection = 'The cluster to change; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Enable-EsShardAllocation'; Remarks = 'Puts back what Disable-EsShardAllocation found; returns the AllocationSetting now in force.' }
            @{ Code = 'Enable-EsShardAllocation -Default'; Remarks = 'After an interrupted upgrade: allocation back to all; returns the AllocationSetting now in force.' }
        )
    }
    'Invoke-EsFlush' = @{
        Synopsis    = 'Flushes indices so that copies recover quickly after a restart.'
        Description = 'POST _flush. A copy flushed since its last write comes back after a restart by replaying operations instead of copying files. -Synced runs the 7.x synced flush, which 8.0 removed.'
        Parameters  = @{
            Index      = 'Indices to flush; all when omitted (-WhatIf says so). Wildcards allowed. From the pipeline: an index''s Name or a shard''s Index, so a piped index flushes exactly that index. A full name that matches nothing is an IndexNotFound error and is never widened to all indices.'
            Synced     = 'The 7.x synced flush (deprecated). Refused on 8.x.'
            Connection = 'The cluster to flush; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Invoke-EsFlush'; Remarks = 'Flushes every index; returns one FlushResult (copies flushed and failed).' }
            @{ Code = 'Get-EsIndex logs-2026.* | Invoke-EsFlush'; Remarks = 'Flushes just the piped indices (piped objects narrow: nothing else is flushed).' }
        )
    }
    'Set-EsMlUpgradeMode' = @{
        Synopsis    = 'Turns machine learning upgrade mode on or off.'
        Description = 'POST _ml/set_upgrade_mode. While it is on, anomaly detection jobs and datafeeds pause so nodes can restart safely. Returns the mode as it now stands.'
        Parameters  = @{
            Enabled    = 'True to turn upgrade mode on, false to turn it off.'
            Connection = 'The cluster to change; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Set-EsMlUpgradeMode -Enabled $false'; Remarks = 'After an interrupted upgrade: jobs run again. Returns $false, the mode now.' }
            @{ Code = 'Set-EsMlUpgradeMode $false'; Remarks = 'Turns ML upgrade mode off after an upgrade that stopped and could not turn it off itself.' }
        )
    }
    'Wait-EsNode' = @{
        Synopsis    = 'Waits until a node has joined the cluster at a given version.'
        Description = 'Looks for the node in _cat/nodes; in between it long-polls _cluster/health for one more node, so it returns the moment the node joins. A node that joins at another version fails at once with NodeVersionMismatch; a node that does not join in time fails with NodeRejoinTimeout.'
        Parameters  = @{
            Name       = 'The node name. From the pipeline: a node''s or planned node''s Name, or an upgrade result''s Node.'
            Version    = 'The version the node must run, such as 8.19.0.'
            Timeout    = 'How long to wait: a TimeSpan, "hh:mm:ss", or seconds. Default 15 minutes.'
            Connection = 'The cluster to watch; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Wait-EsNode es-02 -Version 8.19.0 -Timeout 600'; Remarks = 'Waits up to 10 minutes for es-02 to come back on 8.19.0; returns its EsNode, or stops with NodeRejoinTimeout or NodeVersionMismatch.' }
            @{ Code = 'Wait-EsNode es-02 -Timeout 00:05:00'; Remarks = 'Waits up to five minutes for es-02 to be in the cluster, at any version.' }
        )
    }
    'New-EsUpgradePlan' = @{
        Synopsis    = 'Shows the order in which a rolling upgrade takes the nodes, and why.'
        Description = 'Orders the nodes as Elastic''s docs and its Kubernetes operator do: data tiers frozen, cold, warm, hot, content; then nodes that are neither master-eligible nor data nodes; then master-eligible nodes; the elected master last. Refuses a cluster not entirely on 7.17.x, and a target that is not 8.x. Warns about single-node tiers and fewer than three master-eligible nodes. Gives each node and the whole plan an estimated duration (EstimatedMinutes, EstimatedDuration) and says what it rests on (Estimate.Basis, EstimateBasis): a restart time (-NodeRestartTime, 90 seconds by default: stop, install, start and join), the recovery of the node''s shard copies (from operations for copies flushed before the restart, about a second each, two at a time; a copy written during the restart copies its files at indices.recovery.max_bytes_per_sec, which the basis states), and the run''s own steps. -Calibration takes the state file of an earlier run (a rehearsal on a test cluster, or the last upgrade) and uses its measured restart and recovery times instead: each node''s own, else the mean of its group. The plan can be piped to Invoke-EsRollingUpgrade.'
        Parameters  = @{
            TargetVersion   = 'The 8.x version to upgrade to, such as 8.19.0.'
            NodeRestartTime = 'How long one node takes from stop to rejoin, the install by -NodeAction included (a TimeSpan, or seconds); 90 seconds by default.'
            Calibration     = 'The state file of an earlier Invoke-EsRollingUpgrade -StatePath run: its measured times replace the defaults.'
            ByZone          = 'Restart the data nodes of one zone together: within each tier, zone by zone, each zone a batch when every shard with a copy on its nodes has a started copy in another zone. Master-eligible nodes stay one at a time, the elected master last. The zone attribute is -ZoneAttribute, or the first of the cluster''s cluster.routing.allocation.awareness.attributes.'
            ZoneAttribute   = 'The node attribute (node.attr.<name>) that names a node''s zone, with -ByZone; by default the cluster''s first awareness attribute.'
            MaxUnavailable  = 'Restart up to this many data nodes of one tier together, as long as every shard with a copy on them keeps a started copy elsewhere; 1 (one at a time) by default. Master-eligible nodes stay one at a time.'
            FallbackToSerial = 'Nodes that cannot restart together safely (an index without replicas, copies all in one zone) go one at a time, instead of the plan being refused with BatchUnsafe.'
            Connection      = 'The cluster to plan; default the current connection.'
        }
        Examples    = @(
            @{ Code = '(New-EsUpgradePlan 8.19.0).Nodes'; Remarks = 'Returns the UpgradePlan; its Nodes are PlannedNode objects in order, each with a reason.' }
            @{ Code = 'New-EsUpgradePlan 8.19.0 -Calibration .\rehearsal\state.json'; Remarks = 'The plan with the durations measured in a rehearsal on the test cluster.' }
            @{ Code = '(New-EsUpgradePlan 8.19.0 -ByZone).Batches'; Remarks = 'The nodes that restart together, zone by zone, each batch with why it is safe; BatchUnsafe names the shards when a zone cannot go down together.' }
        )
    }
    'Invoke-EsRollingUpgrade' = @{
        Synopsis    = 'Upgrades a cluster to 8.x node by node, safely and resumably.'
        Description = "For each node, in the plan's order: checks it is safe (every node present, not red, no primary on the node with replicas not started, the elected master only after all others), sets allocation to primaries, flushes, optionally turns on ML upgrade mode, runs -NodeAction (your stop / install / start, run in this session with the node and the target version), waits for the node to join at the target version, puts allocation back and waits for green, or for yellow with nothing recovering when the yellow is replicas waiting for nodes of the new version.`nWith -StatePath it checkpoints after every step: run it again with the same path after a crash or an Azure Automation restart and it resumes at the first unfinished step, never restarting a node twice. On any failure it puts shard allocation and ML upgrade mode back and stops with RollingUpgradeFailed, saying which node, which step and how to resume. -WhatIf shows the plan and changes nothing; -Confirm asks before each node. Writes one result per node."
        Parameters  = @{
            TargetVersion = 'The 8.x version to upgrade to, such as 8.19.0.'
            Plan          = 'A plan from New-EsUpgradePlan.'
            NodeAction    = 'What New-EsWindowsNodeAction returns, for nodes running as Windows services; or a script block run for each node: param($Node, $TargetVersion); $Node has Name, Host, Roles, CurrentVersion. It should stop the node, install the new version (carrying config/), and start it; it need not wait for the node to join. For a node alone it runs in your session ($_ is the node too); for the nodes of a batch (-ByZone, -MaxUnavailable), each in a runspace of its own, side by side (see -ThrottleLimit). What it outputs goes to the verbose stream (-Verbose), prefixed with the node name; its warnings, information and non-terminating errors are written as this cmdlet''s own (so -ErrorVariable, 2>&1 and a runbook''s error stream keep them); a terminating error (throw) stops the run at that node with NodeActionFailed inside RollingUpgradeFailed, allocation put back.'
            StatePath     = 'Where the checkpoints go. A file path: the state file, with the baseline beside it. cluster:NAME: the cluster itself (hidden index esupgrade-state), for an Azure Automation job in the cloud sandbox whose disk is lost when it is restarted; needs two data nodes or more. A second run with the same value resumes where the first stopped; while one run lives, another is refused, and a dead run''s state is taken over 60 s after its last heartbeat.'
            MlUpgradeMode = 'Turn ML upgrade mode on before the first node and off after the last.'
            NodeTimeout   = 'How long to wait for each node to join at the new version. Default 15 minutes.'
            HealthTimeout = 'How long to wait for each node''s shards to recover. Default 60 minutes.'
            ByZone          = 'Restart the data nodes of one zone together: within each tier, zone by zone, each zone a batch when every shard with a copy on its nodes has a started copy in another zone. Master-eligible nodes stay one at a time, the elected master last. The zone attribute is -ZoneAttribute, or the first of the cluster''s cluster.routing.allocation.awareness.attributes.'
            ZoneAttribute   = 'The node attribute (node.attr.<name>) that names a node''s zone, with -ByZone; by default the cluster''s first awareness attribute.'
            MaxUnavailable  = 'Restart up to this many data nodes of one tier together, as long as every shard with a copy on them keeps a started copy elsewhere; 1 (one at a time) by default. Master-eligible nodes stay one at a time.'
            FallbackToSerial = 'Nodes that cannot restart together safely (an index without replicas, copies all in one zone) go one at a time, instead of the plan being refused with BatchUnsafe.'
            ThrottleLimit = 'How many node actions of a batch run at once, each in a runspace of its own; 0 (the default) runs the whole batch side by side. There the action is made again from its text, with the variables it names copied in (from its closure or module, else from your scope; a script block held in one is made again there, with the variables it names), the functions defined in your session that it calls, your preference variables and location, and the modules you imported (by their manifests); objects are shared, not copied, so two actions using one PSSession at once find it busy. Each record it writes comes back as it is written, under the node''s name. After one action of a batch fails, those not begun are not begun and those under way finish, each failure recorded with its own error; Ctrl+C stops them. 1 runs a batch''s actions one after the other in your session, as a node alone runs.'
            Connection    = 'The cluster to upgrade; default the current connection.'
        }
        Examples    = @(
            @{ Code = "Invoke-EsRollingUpgrade -TargetVersion 8.19.0 -StatePath C:\EsUpgrade\prod.json -NodeAction {`n    param(`$Node, `$TargetVersion)`n    Invoke-Command -ComputerName `$Node.Host -ArgumentList `$TargetVersion -ScriptBlock {`n        param(`$v)`n        Stop-Service elasticsearch-service-x64`n        & C:\ops\Install-Elasticsearch.ps1 -Version `$v   # unzip, carry config\, reinstall plugins and the service`n        Start-Service elasticsearch-service-x64`n    }`n}"; Remarks = 'Windows services upgraded over PowerShell remoting, with a checkpoint file. Returns a NodeUpgradeResult per node (status, versions, duration).' }
            @{ Code = 'New-EsUpgradePlan 8.19.0 | Invoke-EsRollingUpgrade -NodeAction $action -WhatIf'; Remarks = 'Shows what would happen and changes nothing; returns the UpgradePlan.' }
            @{ Code = 'Invoke-EsRollingUpgrade 8.19.0 -ByZone -NodeAction $action -StatePath cluster:prod-to-8 -Confirm:$false'; Remarks = 'A zone''s data nodes restart together (their actions side by side, each in a runspace of its own; their joins and recovery together); the masters one at a time.' }
            @{ Code = 'Invoke-EsRollingUpgrade 8.19.0 -MaxUnavailable 4 -ThrottleLimit 2 -NodeAction $action -Confirm:$false'; Remarks = 'Up to four data nodes down together, at most two of their actions running at once.' }
            @{ Code = "`$action = New-EsWindowsNodeAction C:\Packages\elasticsearch-8.19.0-windows-x86_64.zip -InstallRoot 'C:\Elastic' -Credential (Get-Credential) -ConvertConfiguration`nInvoke-EsRollingUpgrade 8.19.0 -NodeAction `$action -StatePath C:\EsUpgrade\prod.json -Confirm:`$false"; Remarks = 'Windows services upgraded by the module''s own node action, unattended.' }
        )
    }
    'New-EsWindowsNodeAction' = @{
        Synopsis    = 'The node action for Elasticsearch running as a Windows service: pass it to Invoke-EsRollingUpgrade -NodeAction.'
        Description = "Returns an EsWindowsNodeAction; Invoke-EsRollingUpgrade runs it for each node. It reaches the node's machine over PowerShell remoting (the node's host name, a -ComputerName map, or a -Session; '.' runs it on this machine), with nothing installed there, and:`n1. reads the node: its service (home folder, account, start type), its configuration folder (config\ of the home, or ES_PATH_CONF as an MSI install sets it), elasticsearch.yml, heap, plugins, JAVA_HOME;`n2. refuses, before any change (WindowsNodeUnsafe), what would keep an 8.x node from starting or lose data: settings 8.x removed (-ConvertConfiguration converts them), xpack.security.enabled not set (a service start does not run security auto-configuration), a relative path.data or path.logs, the wrong package, a service account whose password was not given (-ServiceCredential);`n3. copies the package to the node (checked against Elastic's .sha512 here and there) and expands it beside the old home, under -InstallRoot;`n4. carries the configuration: every file of config\ (keystore, certificates, jvm.options.d, users and roles files) but the 7.x jvm.options and logging, whose 8.x defaults are kept; elasticsearch.yml with path.data and path.logs pinned where the old version kept them, so the old folder can be removed later without losing data; the heap (from jvm.options or the service) in jvm.options.d\heap.options; an MSI install keeps its configuration in C:\ProgramData\Elastic\Elasticsearch, its 7.x jvm.options put aside;`n5. upgrades the keystore and reinstalls each plugin at the new version, from -PluginFolder when given; the repository plugins, modules in 8.x, are not reinstalled;`n6. stops the service and waits, removes it, installs the new one with the same account and start type (through the 8.3 short path when the home has spaces or parentheses) with JAVA_HOME out of the way (the bundled JDK), and starts it. If the new service cannot be installed or started, the old one is put back and started.`nThe old home is kept. Each step is written to the verbose stream and to <InstallRoot>\esupgrade-<service>.log on the node. A node whose service already runs the new home (a resumed run) is only started."
        Parameters  = @{
            Package              = 'elasticsearch-<version>-windows-x86_64.zip: a path on this machine, or the URL to download it from (once, with its .sha512).'
            InstallRoot          = 'The folder on each node that the new version is expanded into, as the node sees it, such as C:\Elastic. The package is staged in its esupgrade-staging folder.'
            ServiceName          = 'The Windows service of Elasticsearch on each node; elasticsearch-service-x64 by default.'
            Sha512               = 'The package''s SHA-512: the hash itself, or the path of Elastic''s .sha512 file. By default the .sha512 beside the package; without one the package is not checked (a warning says so).'
            Credential           = 'The credential for PowerShell remoting to the nodes; by default the current user''s.'
            ServiceCredential    = 'The account and password the service runs as, when its account has a password. LocalSystem, NT AUTHORITY, NT SERVICE and managed ($) accounts need none.'
            ComputerName         = 'A hashtable from node name (or host) to the computer to reach it by; ''*'' for the rest, ''.'' to run on this machine. By default the node''s host.'
            Session              = 'PowerShell remoting sessions to the nodes'' machines, matched by computer name.'
            PluginFolder         = 'A folder on the nodes with the plugins'' zips, named <plugin>-<version>.zip, for sites without internet.'
            ConvertConfiguration = 'Convert elasticsearch.yml for 8.x as Convert-EsNodeConfiguration does, before it is carried.'
            UseSSL               = 'Remoting over HTTPS (WinRM port 5986).'
            StopTimeout          = 'How long to wait for the service to stop (a TimeSpan, or seconds); 5 minutes by default.'
        }
        Examples    = @(
            @{ Code = "`$action = New-EsWindowsNodeAction C:\Packages\elasticsearch-8.19.0-windows-x86_64.zip -InstallRoot 'D:\Elastic' -ConvertConfiguration`nInvoke-EsRollingUpgrade 8.19.0 -NodeAction `$action -StatePath C:\EsUpgrade\prod.json"; Remarks = 'Each node''s machine is reached by its host name with the current user''s credential; the .sha512 beside the zip is checked.' }
            @{ Code = "New-EsWindowsNodeAction https://artifacts.elastic.co/downloads/elasticsearch/elasticsearch-8.19.0-windows-x86_64.zip -InstallRoot 'C:\Program Files\Elastic' -ComputerName @{ 'es-hot-1' = 'WIN-ES11.corp.local'; '*' = 'WIN-ES20.corp.local' } -PluginFolder 'C:\Packages\plugins' -ServiceCredential (Get-Credential CORP\svc-es)"; Remarks = 'Downloads the release once (with its .sha512), maps node names to machines, installs plugins from an offline folder and reinstalls the service under its domain account.' }
        )
    }
    'Test-EsUpgradeReadiness' = @{
        Synopsis    = 'Tells whether the cluster can go to the target version today, check by check, with what to do first.'
        Description = 'Runs the checks of Elastic''s upgrade preparation against the cluster: every node on 7.17 (and on the newest 7.17 patch in the release table shipped with the module), one version across nodes, health green, nothing initializing or relocating, shard allocation enabled, no critical deprecation, no index created before 7.0 (hidden ones included), system-feature migration done, a SUCCESS snapshot younger than -MaxSnapshotAge that covers every index in a registered repository, every data node below the high disk watermark with room on the others for the largest node''s shards, ML model snapshots, plugins, transient settings, and the HTTP clients seen that will break on 8.x. Each check is Pass, Warning or Fail with the reason, the remedy and a link; failures come first. A check that cannot read what it needs (an API older than the cluster, a missing privilege) is a Warning that says so, and the others still run.'
        Parameters  = @{
            TargetVersion  = 'The release to go to, in full: 8.19.0. Anything before 8.0, or not in full, is an UnsupportedTargetVersion error.'
            MaxSnapshotAge = 'How old the newest SUCCESS snapshot may be: a TimeSpan, or seconds. 24 hours by default.'
            ReleaseTable   = 'A JSON file {"newest": {"7.17": "7.17.29"}} to use instead of the table shipped with the module, when a newer patch is out.'
            Quiet          = 'Return only $true when no check failed, else $false: for scripts and runbooks.'
            Connection     = 'The cluster to check; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Test-EsUpgradeReadiness 8.19.0'; Remarks = 'Returns one ReadinessCheck per check, failures first, each with Detail, Remedy and Url.' }
            @{ Code = 'if (-not (Test-EsUpgradeReadiness 8.19.0 -Quiet)) { throw ''not ready'' }'; Remarks = 'A runbook gate: returns $true or $false.' }
        )
    }
    'Test-EsDeprecation' = @{
        Synopsis    = 'Lists what the deprecation info API reports, and what it misses, each with a reason, a link and a remedy.'
        Description = 'Reads GET _migration/deprecations (7.17 and 8.x shapes alike; every item comes out exactly once, categories later versions add included) and adds EsUpgrade''s own checks of what the API does not report: transient cluster settings (7.17 stopped reporting them), installed plugins (each must be reinstalled in its 8.x build) and hidden indices created before the previous major (the API does not expand hidden indices, yet an 8.x node refuses to start over a 6.x .kibana_1). Reading the API needs the manage cluster privilege; without it the error names the privilege.'
        Parameters  = @{
            Index      = 'Only findings about these indices (names or patterns; the API''s index form). From the pipeline: an index''s Name or a shard''s Index. A full name that matches nothing is an IndexNotFound error.'
            Level      = 'Only findings of these levels: Critical, Warning, Info, None.'
            Category   = 'Only findings of these categories: Cluster, Node, Index, DataStream, Template, IlmPolicy, MachineLearning, CrossClusterReplication, Other.'
            Connection = 'The cluster to read; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Test-EsDeprecation -Level Critical'; Remarks = 'Returns an EsDeprecation for each critical finding, with Resource, Url and Remedy.' }
            @{ Code = 'Get-EsIndex logs-* | Test-EsDeprecation'; Remarks = 'Returns the findings about exactly those indices.' }
        )
    }
    'Test-EsNodeConfiguration' = @{
        Synopsis    = 'Checks a node''s elasticsearch.yml, jvm.options and jvm.options.d for 8.x, offline, with file and line.'
        Description = 'Reads the files the way Elasticsearch does (flat and nested keys alike, ${ENV} placeholders kept) and reports, with the line of each: settings 8.0 removed or renamed (legacy role flags, discovery.zen.*, http.tcp_no_delay, cluster.remote.connect, and the rest of the 8.0 list), xpack.security.enabled left unset, cluster.initial_master_nodes left on an existing cluster, SSL settings without .enabled, and JVM options JDK 17 refuses (CMS, ParNew, the old GC logging flags, removed system properties) or a heap set in the root jvm.options. Needs no cluster: run it on each node, or on copies of their config folders.'
        Parameters  = @{
            Path  = 'An elasticsearch.yml, a jvm.options or *.options file, or a node''s config folder (which must hold elasticsearch.yml). From the pipeline: paths, a file''s FullName (Get-ChildItem), a finding''s File, or a conversion''s Destination, so Convert-EsNodeConfiguration | Test-EsNodeConfiguration checks what was written.'
            Level = 'Only findings of these levels: Critical, Warning, Info.'
        }
        Examples    = @(
            @{ Code = 'Test-EsNodeConfiguration C:\ProgramData\Elastic\Elasticsearch\config'; Remarks = 'Returns a NodeConfigFinding for each problem in elasticsearch.yml, jvm.options and jvm.options.d, with File and Line.' }
            @{ Code = 'Get-ChildItem \\es-*\c$\ProgramData\Elastic\Elasticsearch\config\elasticsearch.yml | Test-EsNodeConfiguration -Level Critical'; Remarks = 'Checks every node''s file over the admin shares; returns the critical findings.' }
        )
    }
    'Convert-EsNodeConfiguration' = @{
        Synopsis    = 'Writes an 8.x-ready copy of a node''s configuration, keeping every other line and comment.'
        Description = 'Settings 8.0 removed are commented out with the reason (a secret''s value is dropped, not copied into the comment), renamed settings are renamed (in place when written flat), legacy role flags become one node.roles list, and JVM options JDK 17 refuses get the 8-13: prefix that keeps them for old JDKs only. What only the admin can decide (xpack.security.enabled, several data paths, SSL settings) is left as it is and reported as a warning. The output is read back before it is written. It never overwrites its input or an existing file unless -Force; with a config folder, -Destination is a folder and elasticsearch.yml, jvm.options and jvm.options.d/*.options are written there (other files are not copied).'
        Parameters  = @{
            Path        = 'An elasticsearch.yml, a jvm.options or *.options file, or a node''s config folder.'
            Destination = 'Where to write: a file (or a folder to put it in) for a file, a folder for a config folder.'
            Force       = 'Overwrite existing files, the input itself included.'
        }
        Examples    = @(
            @{ Code = 'Convert-EsNodeConfiguration .\config\elasticsearch.yml -Destination .\config-8\elasticsearch.yml'; Remarks = 'Writes the 8.x form and returns a NodeConfigConversion with the findings it fixed and those left to you.' }
            @{ Code = 'Convert-EsNodeConfiguration .\config -Destination .\config -Force -WhatIf'; Remarks = 'Says what it would rewrite in place; writes nothing and returns nothing.' }
        )
    }
    'Get-EsClient' = @{
        Synopsis    = 'Lists the HTTP clients each node has seen, and whether each works with 8.x, and why.'
        Description = 'Reads _nodes/stats/http (Elasticsearch 7.13 and later keep each client: its user agent or Elastic product origin, addresses, X-Opaque-Id, last request). The product and version come from the user agent: Beats and Logstash work with 8.x from 7.17 only; 7.x language clients from 7.13 on work in REST API compatibility mode; Kibana 7.17 keeps working during the upgrade and is upgraded right after it. Clients that closed their connection stay listed for a few minutes only: run it at busy times, or several times.'
        Parameters  = @{
            Node          = 'Only the clients of these nodes (names, ids, patterns). From the pipeline: a node''s Name or a shard''s Node. A full name that matches nothing is a NodeNotFound error.'
            Compatibility = 'Only clients judged so: Compatible, CompatibilityMode, Incompatible, Unknown.'
            TargetMajor   = 'The major version to judge against; 8 by default.'
            Connection    = 'The cluster to read; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsClient -Compatibility Incompatible, CompatibilityMode'; Remarks = 'Returns an EsClient for each client to upgrade or reconfigure before the cluster, with Reason.' }
            @{ Code = 'Get-EsClient -TargetMajor 8 | Where-Object Compatibility -ne Compatible | Format-Table Product, Version, Agent, Reason'; Remarks = 'The clients that would break after the upgrade, and why.' }
        )
    }
    'Get-EsDeprecationLog' = @{
        Synopsis    = 'Groups the deprecation log by message and client: who still calls what 8.x removes.'
        Description = 'Reads the .logs-deprecation.elasticsearch-default data stream (indexed by default from 7.16) and groups its entries by message and client (the X-Opaque-Id of the request, or the Elastic product it came from), with counts and first and last times. Elasticsearch logs a deprecation once per key and X-Opaque-Id until its cache is reset, so counts are of distinct calls, not requests. With no data stream yet, there is no output.'
        Parameters  = @{
            Since      = 'Only entries from then on; the last 7 days by default.'
            Connection = 'The cluster to read; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsDeprecationLog -Since (Get-Date).AddDays(-1)'; Remarks = 'Returns a DeprecationLogGroup per message and client seen in the last day.' }
            @{ Code = 'Get-EsDeprecationLog -Since (Get-Date).AddDays(-1) | Sort-Object Count -Descending | Select-Object -First 10'; Remarks = 'The ten most frequent deprecated calls of the last day, with the clients that made them.' }
        )
    }
    'Set-EsDeprecationLogging' = @{
        Synopsis    = 'Turns the logging and indexing of deprecations on or off.'
        Description = 'Sets logger.deprecation (WARN or ERROR) and cluster.deprecation_indexing.enabled persistently, as Kibana''s Upgrade Assistant does, and resets a transient value of either, which would win. Returns the state now in force. Needs the manage cluster privilege.'
        Parameters  = @{
            Enabled    = '$true to log and index deprecations, $false to stop.'
            Connection = 'The cluster to change; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Set-EsDeprecationLogging -Enabled $true'; Remarks = 'Returns a DeprecationLoggingState with IndexingEnabled True and LoggerLevel WARN.' }
            @{ Code = 'Set-EsDeprecationLogging $false'; Remarks = 'Turns the deprecation log off again once the clients were updated.' }
        )
    }
    'Export-EsUpgradeReport' = @{
        Synopsis    = 'Writes the assessment, the plan, the run and its result as one self-contained HTML page for the change request, or as JSON.'
        Description = 'Takes the objects of Test-EsUpgradeReadiness, Test-EsDeprecation, Test-EsNodeConfiguration, Get-EsClient and Get-EsDeprecationLog (before), New-EsUpgradePlan with its estimate, Invoke-EsRollingUpgrade''s node results, Invoke-EsSnapshotMigration''s indices and Compare-EsCluster''s differences (during), and Test-EsUpgradeResult''s checks (after) from the pipeline (or, with none, runs the readiness and deprecation checks for -TargetVersion) and writes them worst first: blockers, warnings, information, passes, each with its link and what to do. With -StatePath the page draws the rolling upgrade as an inline SVG chart, one row per node — the run''s steps, the restart, the recovery — with the health the run saw as a coloured band under them, and, when the plan is piped in too, each node''s estimate against its actual time (the JSON carries the same seconds). The HTML page needs no other file, no script and no network, and prints well (links are printed out). The extension of -Path (.html or .json) picks the format. An existing file is overwritten only with -Force.'
        Parameters  = @{
            Path          = 'The file to write: .html (or .htm) for the page, .json for machines.'
            InputObject   = 'The assessment objects to report. Another kind of object is an UnsupportedReportInput error.'
            TargetVersion = 'With nothing piped in: the release the checks are run for, in full (8.19.0).'
            Connection    = 'With nothing piped in: the cluster to check; default the current connection.'
            Title         = 'The page''s heading.'
            StatePath     = 'A rolling upgrade''s state file, or cluster:NAME for state it kept in the cluster: its timeline is drawn.'
            Force         = 'Overwrite an existing file.'
        }
        Examples    = @(
            @{ Code = 'Export-EsUpgradeReport .\readiness.html -TargetVersion 8.19.0'; Remarks = 'Runs the checks and returns the FileInfo of the page.' }
            @{ Code = '& { Test-EsUpgradeReadiness 8.19.0; Test-EsNodeConfiguration .\config; Get-EsClient } | Export-EsUpgradeReport .\change-1234.html'; Remarks = 'One page of readiness, configuration and clients; returns its FileInfo.' }
            @{ Code = 'Test-EsUpgradeResult 8.19.0 -Baseline .\state.baseline.json | Export-EsUpgradeReport .\after.html -StatePath .\state.json'; Remarks = 'The verdict after the upgrade, with each node''s timeline.' }
        )
    }
    'Repair-EsDeprecation' = @{
        Synopsis    = 'Fixes the deprecation findings that can be fixed safely, and says what a person must do about the rest.'
        Description = 'Takes findings from Test-EsDeprecation and, for each, applies the fix that can be automated: transient settings set persistently (their transient value reset), cluster and index settings the deprecation API says can be removed reset, ML model snapshots upgraded (or, with -AllowDelete, deleted), hidden system indices from before 7.0 migrated by the system-feature migration. indices created before 7.0 reindexed by Invoke-EsIndexUpgrade (which deletes the old index once its copy is verified: asked about unless -Force). Node settings, templates and anything else are reported as NeedsManualAction, with the reason and the link. One RepairResult per finding: Fixed, NeedsManualAction, Failed (with Elasticsearch''s reason) or Skipped (-WhatIf, or not confirmed). -WhatIf says what each fix would do; a deletion is confirmed even without -Confirm unless -Force. Run Test-EsDeprecation again afterwards: what is left is what needs a person.'
        Parameters  = @{
            Finding     = 'The findings to fix (EsDeprecation objects from Test-EsDeprecation); each is fixed on the cluster it came from.'
            AllowDelete = 'Delete ML model snapshots instead of upgrading them.'
            Force       = 'With -AllowDelete: delete without asking.'
        }
        Examples    = @(
            @{ Code = 'Test-EsDeprecation | Repair-EsDeprecation -WhatIf'; Remarks = 'Says what each fix would do; changes nothing; returns a Skipped RepairResult per fixable finding and a NeedsManualAction for the others.' }
            @{ Code = "Test-EsDeprecation | Repair-EsDeprecation -Confirm:`$false`nTest-EsDeprecation"; Remarks = 'Fixes what can be fixed, then lists what is left for a person.' }
        )
    }
    'Get-EsSystemFeature' = @{
        Synopsis    = 'Lists the system features and whether their system indices must be migrated before 8.x.'
        Description = 'Reads GET _migration/system_features (7.16+): each feature (kibana, security, tasks, machine_learning, ...) with its indices, the oldest version that created one, and its status: NO_MIGRATION_NEEDED, MIGRATION_NEEDED (an index created before 7.0), IN_PROGRESS or ERROR (with the failing index and cause).'
        Parameters  = @{
            Name       = 'Only features with these names; wildcards allowed.'
            Connection = 'The cluster to read; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsSystemFeature | Where-Object Status -NE NO_MIGRATION_NEEDED'; Remarks = 'Returns the EsSystemFeature objects that need migrating, or failed.' }
            @{ Code = 'Get-EsSystemFeature | Where-Object Status -ne NO_MIGRATION_NEEDED'; Remarks = 'The system features whose indices must be migrated before 8.x.' }
        )
    }
    'Start-EsSystemFeatureMigration' = @{
        Synopsis    = 'Starts migrating the system indices that need it, and with -Wait follows it to the end.'
        Description = 'POST _migration/system_features: Elasticsearch reindexes each feature''s old system indices in turn. With -Wait it polls with progress until no feature is in progress; a feature that ends in ERROR is a SystemFeatureMigrationFailed error naming the index and cause (start again once fixed: failed features are migrated again). Returns the features as they then stand.'
        Parameters  = @{
            Wait       = 'Wait until the migration has ended.'
            Timeout    = 'With -Wait: how long to wait (a TimeSpan, or seconds); 60 minutes by default. The migration goes on in the cluster after a timeout.'
            Connection = 'The cluster to migrate; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Start-EsSystemFeatureMigration -Wait'; Remarks = 'Migrates and waits; returns an EsSystemFeature per feature.' }
            @{ Code = 'Start-EsSystemFeatureMigration -Wait -Timeout 02:00:00 -Connection $prod'; Remarks = 'Migrates the system indices of a named connection and waits up to two hours.' }
        )
    }
    'Update-EsMlModelSnapshot' = @{
        Synopsis    = 'Upgrades an ML model snapshot to the running version.'
        Description = 'The model snapshot upgrade API (7.16+). A snapshot whose min_version is before 7.0 cannot be loaded by 8.x. Upgrading one already of this major is reported as AlreadyUpgraded, so a resumed script can run it again.'
        Parameters  = @{
            JobId      = 'The anomaly-detection job. From the pipeline: a finding''s or a change''s JobId.'
            SnapshotId = 'The model snapshot. From the pipeline: a finding''s or a change''s SnapshotId.'
            Wait       = 'Wait until the upgrade has completed.'
            Connection = 'The cluster; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Test-EsDeprecation -Category MachineLearning | Update-EsMlModelSnapshot -Wait'; Remarks = 'Upgrades each snapshot the deprecation API reports; returns a ModelSnapshotChange each.' }
            @{ Code = 'Update-EsMlModelSnapshot farequote 1575402236 -Wait'; Remarks = 'Upgrades one model snapshot to the current version and waits for it.' }
        )
    }
    'Remove-EsMlModelSnapshot' = @{
        Synopsis    = 'Deletes an ML model snapshot.'
        Description = 'Deletes a model snapshot the job no longer needs. Elasticsearch refuses to delete the job''s active snapshot. ConfirmImpact is High: pass -Confirm:$false in scripts.'
        Parameters  = @{
            JobId      = 'The anomaly-detection job. From the pipeline: a finding''s or a change''s JobId.'
            SnapshotId = 'The model snapshot. From the pipeline: a finding''s or a change''s SnapshotId.'
            Connection = 'The cluster; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Remove-EsMlModelSnapshot -JobId fraud -SnapshotId 1575402236 -Confirm:$false'; Remarks = 'Deletes it; returns a ModelSnapshotChange with Action Deleted.' }
            @{ Code = 'Test-EsDeprecation -Category MachineLearning | Where-Object SnapshotId | ForEach-Object { Remove-EsMlModelSnapshot $_.JobId $_.SnapshotId }'; Remarks = 'Removes each old model snapshot the deprecation API reports (when it is not needed: Update-EsMlModelSnapshot keeps it instead).' }
        )
    }
    'Invoke-EsIndexUpgrade' = @{
        Synopsis    = 'Reindexes an index created before 7.0 so that 8.x can open it, while its readers keep every name they use.'
        Description = 'As Kibana''s Upgrade Assistant does, step by step with a checkpoint after each: a write block on the old index; a new index (reindexed-v8-<name>) with its mappings (a 6.x mapping type read typeless) and settings (minus those Elasticsearch owns and those 8.x deprecates), no replicas and no refresh during the copy; _reindex as a task (op_type create, so a rerun never copies twice) with progress; refresh; document counts compared; replicas back; then, only once the counts match, one atomic _aliases call moves the aliases, deletes the old index and gives its name to the new one as an alias. Interrupted (Ctrl+C, a killed runbook, a failed task), the same command resumes at the first unfinished step without starting a second task; a failure before the alias swap lifts the write block again and names the step. An index created by the running major needs nothing (NotNeeded) unless -Force; an index whose name is already an alias of its copy is AlreadyUpgraded. ConfirmImpact is High.'
        Parameters  = @{
            Index      = 'The indices to reindex. From the pipeline: an index''s Name or a shard''s Index. A name that matches no index is an IndexNotFound error.'
            NewName    = 'The new index''s name (one index only); reindexed-v8-<name> by default.'
            KeepSource = 'Keep the old index, read-only, and make no alias of its name (the aliases still move).'
            Force      = 'Reindex even an index the running major reads as it is.'
            StatePath  = 'The checkpoint file (one index only); by default one per cluster and index under the user''s local application data. In Azure Automation give a path that outlives the sandbox.'
            Timeout    = 'How long the reindex may run (a TimeSpan, or seconds); 24 hours by default.'
            Connection = 'The cluster; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsIndex -IncludeHidden | Where-Object { $_.CreatedVersion -lt [version]''7.0'' -and -not $_.IsHidden } | Invoke-EsIndexUpgrade -Confirm:$false'; Remarks = 'Reindexes every index created before 7.0; returns an IndexUpgradeResult each, with documents before and after and the steps.' }
            @{ Code = 'Invoke-EsIndexUpgrade old-logs -StatePath C:\Upgrade\old-logs.json -Timeout 06:00:00'; Remarks = 'A long reindex a runbook can resume: run the same command again after a restart and it goes on from its state file.' }
        )
    }
    'Register-EsSnapshotRepository' = @{
        Synopsis    = 'Registers (or replaces) a snapshot repository.'
        Description = 'PUT _snapshot/<name>. An fs repository''s location must be inside path.repo in the elasticsearch.yml of every master and data node (a relative location resolves against the first path.repo folder); Elasticsearch checks that the nodes can write to it. Its refusal is a RepositoryRejected error with Elasticsearch''s reason and the remedy. -ReadOnly registers it for a cluster that must never write to it, such as a new 8.x cluster restoring from the old one''s snapshots.'
        Parameters  = @{
            Name       = 'The repository''s name.'
            Location   = 'An fs repository''s folder, or a url repository''s URL.'
            Type       = 'fs (the default), url, s3, azure, gcs or hdfs (the cloud types need their plugin or module on every node).'
            Setting    = 'Further settings as a hashtable: @{ compress = $true; chunk_size = ''1gb'' }, a bucket, a container.'
            ReadOnly   = 'Register it read-only.'
            Verify     = 'Also ask every node to write and read a test file, and say which did (verbose).'
            Connection = 'The cluster; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Register-EsSnapshotRepository nightly -Location \\filer\es-backups\nightly -Verify'; Remarks = 'Registers a shared folder (inside path.repo on every node); returns the EsSnapshotRepository.' }
            @{ Code = 'Register-EsSnapshotRepository migration -Location \\nas\es-migration -ReadOnly -Connection $new'; Remarks = 'Registers the old cluster''s repository read-only on the new cluster, so both can use it without corrupting it.' }
        )
    }
    'Get-EsSnapshotRepository' = @{
        Synopsis    = 'Lists the registered snapshot repositories.'
        Description = 'Reads GET _snapshot: name, type, location and settings of each. A full name that matches nothing is a RepositoryNotFound error; a wildcard that matches nothing gives no output.'
        Parameters  = @{
            Name       = 'Repository names or wildcards. From the pipeline: a repository''s Name or a snapshot''s Repository.'
            Connection = 'The cluster to read; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsSnapshotRepository'; Remarks = 'Returns an EsSnapshotRepository for each.' }
            @{ Code = 'Get-EsSnapshotRepository | Test-EsSnapshotRepository'; Remarks = 'Verifies every registered repository from every node.' }
        )
    }
    'Test-EsSnapshotRepository' = @{
        Synopsis    = 'Checks that every master and data node can write and read the repository.'
        Description = 'POST _snapshot/<name>/_verify. A node that cannot reach the location fails the check with a RepositoryRejected error naming Elasticsearch''s reason.'
        Parameters  = @{
            Name       = 'The repositories to check. From the pipeline: a repository''s Name or a snapshot''s Repository.'
            Connection = 'The cluster; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsSnapshotRepository | Test-EsSnapshotRepository'; Remarks = 'Returns a RepositoryVerification per repository with the nodes that passed.' }
            @{ Code = 'Test-EsSnapshotRepository nightly, offsite'; Remarks = 'Verifies two repositories by name; a name that matches none is an ObjectNotFound error.' }
        )
    }
    'Unregister-EsSnapshotRepository' = @{
        Synopsis    = 'Unregisters a snapshot repository; its files stay.'
        Description = 'DELETE _snapshot/<name>: the cluster forgets the repository; the folder and the snapshots in it are left as they are and can be registered again, here or in another cluster.'
        Parameters  = @{
            Name       = 'The repositories to unregister. From the pipeline: a repository''s Name or a snapshot''s Repository.'
            Connection = 'The cluster; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Unregister-EsSnapshotRepository old-nightly -Confirm:$false'; Remarks = 'Returns nothing.' }
            @{ Code = 'Get-EsSnapshotRepository migration-* | Unregister-EsSnapshotRepository -WhatIf'; Remarks = 'Shows which migration repositories would be unregistered (their snapshots stay where they are).' }
        )
    }
    'New-EsSnapshot' = @{
        Synopsis    = 'Takes a snapshot; with -Wait follows it to the end.'
        Description = 'PUT _snapshot/<repository>/<name>. Every index by default, with the cluster''s global state. A missing primary makes Elasticsearch refuse the snapshot (SnapshotFailed, with its reason) unless -Partial. With -Wait it returns once the snapshot has ended, and a PARTIAL or FAILED snapshot is a SnapshotFailed error naming the failed shards: it is never reported as a backup.'
        Parameters  = @{
            Repository         = 'The repository. From the pipeline: a repository''s or a snapshot''s Repository.'
            Name               = 'The snapshot''s name, lowercase; esupgrade-<date-time> by default.'
            Index              = 'Only these indices; names or wildcards.'
            IncludeGlobalState = 'Include persistent settings, templates and ILM policies; $true by default.'
            FeatureState       = 'System features whose indices the snapshot holds (kibana, security, ...; none for none); every feature by default when the global state is included.'
            Partial            = 'Take what can be taken when primaries are missing; the snapshot then ends PARTIAL.'
            Wait               = 'Wait until it has ended.'
            Timeout            = 'With -Wait: how long (a TimeSpan, or seconds); 2 hours by default. The snapshot goes on after a timeout.'
            Connection         = 'The cluster; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'New-EsSnapshot nightly before-8 -Wait'; Remarks = 'Returns the EsSnapshot with State SUCCESS, or fails naming the shards that did not make it.' }
            @{ Code = 'New-EsSnapshot nightly before-8 -Index logs-*, orders -FeatureState security -Wait -Timeout 04:00:00'; Remarks = 'A snapshot of chosen indices and the security feature state, waited for with per-shard progress.' }
        )
    }
    'Get-EsSnapshot' = @{
        Synopsis    = 'Lists the snapshots in a repository, or in every repository.'
        Description = 'Reads GET _snapshot/<repository>/_all: state, the version that took it, indices, times and failed shards. A full name that matches nothing is a SnapshotNotFound error; a wildcard that matches nothing gives no output.'
        Parameters  = @{
            Repository = 'The repository; every repository when omitted. From the pipeline: a repository''s or a snapshot''s Repository.'
            Name       = 'Snapshot names or wildcards. From the pipeline: a snapshot''s Name.'
            Connection = 'The cluster to read; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsSnapshot -Repository nightly'; Remarks = 'Returns an EsSnapshot per snapshot in the repository.' }
            @{ Code = 'Get-EsSnapshot nightly | Where-Object State -eq SUCCESS | Sort-Object End | Select-Object -Last 1'; Remarks = 'The newest successful snapshot in the nightly repository.' }
        )
    }
    'Wait-EsSnapshot' = @{
        Synopsis    = 'Waits until a snapshot has ended.'
        Description = 'Polls the snapshot until it is no longer IN_PROGRESS; SUCCESS returns it, PARTIAL or FAILED is a SnapshotFailed error naming the failed shards.'
        Parameters  = @{
            Repository = 'The repository. From the pipeline: a snapshot''s Repository. When omitted, the one repository holding the snapshot.'
            Name       = 'The snapshot. From the pipeline: a snapshot''s Name.'
            Timeout    = 'How long to wait (a TimeSpan, or seconds); 2 hours by default.'
            Connection = 'The cluster; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'New-EsSnapshot nightly | Wait-EsSnapshot'; Remarks = 'Starts a snapshot, then returns the EsSnapshot once it succeeded.' }
            @{ Code = 'New-EsSnapshot nightly manual | Wait-EsSnapshot -Timeout 01:00:00'; Remarks = 'Starts a snapshot, then waits for exactly that one to end.' }
        )
    }
    'Remove-EsSnapshot' = @{
        Synopsis    = 'Deletes a snapshot.'
        Description = 'DELETE _snapshot/<repository>/<name>. ConfirmImpact is High: pass -Confirm:$false in scripts. A running snapshot cannot be deleted.'
        Parameters  = @{
            Repository = 'The repository. From the pipeline: a snapshot''s Repository. When omitted, the one repository holding the snapshot.'
            Name       = 'The snapshot. From the pipeline: a snapshot''s Name.'
            Connection = 'The cluster; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsSnapshot nightly esupgrade-2026.* | Remove-EsSnapshot -Confirm:$false'; Remarks = 'Deletes those snapshots; returns nothing.' }
            @{ Code = 'Get-EsSnapshot nightly | Where-Object End -lt (Get-Date).AddDays(-30) | Remove-EsSnapshot -WhatIf'; Remarks = 'Shows which snapshots older than 30 days would be deleted.' }
        )
    }
    'Restore-EsSnapshot' = @{
        Synopsis    = 'Restores a snapshot into its own cluster or into another one.'
        Description = 'Finds the snapshot (in the cluster it came from when piped, or -SourceConnection), registers its repository read-only in the target (-Connection) when the target does not have it, and checks first what the target would refuse: a snapshot still running or FAILED, a snapshot newer than the target, an open index of the same name, an index created before 7.0 (8.0-8.2 cannot read it; 8.3+ only as a read-only archive index with an enterprise licence), a system index asked for by name, an index not fully snapshotted. A refusal stops it before anything is sent, with a RestoreRefused error; -WhatIf prints what would happen to each index. With -Wait it follows the recovery until every primary is back. ConfirmImpact is High.'
        Parameters  = @{
            Name               = 'The snapshot. From the pipeline: a snapshot''s Name.'
            Repository         = 'The repository. From the pipeline: a snapshot''s Repository. When omitted, the repository holding the snapshot.'
            SourceConnection   = 'The cluster that took the snapshot, when it is not the target and the snapshot was not piped from it.'
            Index              = 'Only these indices of the snapshot; names or wildcards. Every regular index by default.'
            RenamePattern      = 'A regular expression on each index name; with -RenameReplacement, restores beside the existing indices.'
            RenameReplacement  = 'The new name; $1 is the first group of -RenamePattern (single-quote it).'
            IndexSetting       = 'Index settings the restored indices get instead of the snapshot''s, such as @{ ''index.number_of_replicas'' = 0 }.'
            IgnoreIndexSetting = 'Index settings of the snapshot to leave out.'
            IncludeGlobalState = 'Also restore persistent settings, templates and ILM policies (replacing the target''s) and the feature states.'
            FeatureState       = 'System features to restore (kibana, security, ...; none for none).'
            NoAlias            = 'Leave the snapshot''s aliases out.'
            Partial            = 'Restore indices a PARTIAL snapshot did not fully take; their missing shards come back empty.'
            Wait               = 'Wait until every primary has been restored, with progress.'
            Timeout            = 'With -Wait: how long (a TimeSpan, or seconds); 2 hours by default. The restore goes on after a timeout.'
            Connection         = 'The cluster to restore into; by default the snapshot''s own (piped) or the current connection.'
        }
        Examples    = @(
            @{ Code = 'New-EsSnapshot nightly before-8 -Wait -Connection $old | Restore-EsSnapshot -Connection $new -Wait -Confirm:$false'; Remarks = 'Snapshots the old cluster and restores it into the new one, registering the repository there read-only; returns an EsRestoreResult.' }
            @{ Code = 'Restore-EsSnapshot before-8 -Index logs-* -RenamePattern ''(.+)'' -RenameReplacement ''restored-$1'' -WhatIf'; Remarks = 'Says what would be restored under which name, and what the cluster would refuse.' }
        )
    }
    'Invoke-EsReindex' = @{
        Synopsis    = 'Copies an index into another, in this cluster or from another cluster.'
        Description = 'Runs _reindex as a task (op_type create: a second run copies only what is missing) and follows it with progress; -Slices copies in parallel. With -SourceConnection it reads from that cluster (reindex from remote) with that connection''s address and credentials, which go into the request body only and are never printed; the destination must list the source''s host:port in reindex.remote.whitelist (RemoteNotWhitelisted says what to add). -TaskId follows a task started earlier. At the end the documents are counted on both sides (a warning when the destination holds fewer).'
        Parameters  = @{
            Source           = 'The index to read.'
            Destination      = 'The index to write in this cluster; Elasticsearch creates it when missing, with default settings.'
            SourceConnection = 'The cluster to read from (reindex from remote).'
            Slices           = 'Slices copying in parallel, local only; 0 for one per shard.'
            TaskId           = 'A reindex task to follow instead of starting one (node:number).'
            Timeout          = 'How long the copy may run (a TimeSpan, or seconds); 6 hours by default.'
            Connection       = 'The cluster to write to; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Invoke-EsReindex orders orders -SourceConnection $old -Connection $new -Confirm:$false'; Remarks = 'Copies the 6.x index orders from the old cluster into the new one; returns an EsReindexResult with the counts on both sides.' }
            @{ Code = 'Invoke-EsReindex orders orders -SourceConnection $old -Connection $new -Slices 4'; Remarks = 'Reindexes from the old cluster into the new one (reindex from remote), in four slices, and compares the counts.' }
        )
    }
    'Compare-EsCluster' = @{
        Synopsis    = 'Compares a cluster with a reference one and returns each difference.'
        Description = 'Per index: present on both sides, document count, aliases and mappings; then the index, component and legacy templates and ILM policies the reference has and the other lacks (8.x''s own are not differences). Hidden and dot-indices are left out unless -IncludeHidden. Nothing is returned when the clusters match.'
        Parameters  = @{
            Reference     = 'The cluster taken as the truth (the old one).'
            Difference    = 'The cluster compared with it (the new one).'
            Index         = 'Only these indices; names or wildcards.'
            IncludeHidden = 'Compare hidden and dot-indices too.'
            NoMapping     = 'Leave mappings out.'
        }
        Examples    = @(
            @{ Code = 'Compare-EsCluster -Reference $old -Difference $new'; Remarks = 'Returns one ClusterDifference per difference; nothing when every index, count, alias, template and policy arrived.' }
            @{ Code = 'Compare-EsCluster $old $new -Index logs-* | Group-Object Kind | Select-Object Name, Count'; Remarks = 'After a migration of the log indices: how many differences of each kind (missing indices, counts, aliases, mappings) remain.' }
        )
    }
    'Invoke-EsSnapshotMigration' = @{
        Synopsis    = 'Moves a 7.x cluster into a new 8.x cluster through a snapshot, and proves it.'
        Description = 'The new-cluster route in one command: checks that -Source is 7.x and -Destination 8.x and that nothing would stop the route half-way (index names taken in the destination; indices created before 7.0, which must be reindexed from the source, need the source in the destination''s reindex.remote.whitelist); snapshots the source with its global state; registers the repository read-only in the destination; restores what 8.x reads, with templates, ILM policies, persistent settings and every feature state but security (the destination keeps its own users and keys); creates each pre-7.0 index in the destination (settings copied, mappings typeless) and reindexes it from the source, aliases recreated; counts and compares. Returns one EsMigratedIndex per index. Each step is checkpointed in -StatePath: the same command again resumes (in Azure Automation put it on storage that outlives the sandbox), and after the end checks again. -WhatIf prints the route of each index with its estimated time, and the whole route''s (snapshot, restore, each reindex) at the defaults'' rates or those an earlier run measured (-Calibration).'
        Parameters  = @{
            Source       = 'The 7.x cluster.'
            Destination  = 'The new 8.x cluster.'
            Repository   = 'The source''s snapshot repository; the destination must reach the same storage.'
            SnapshotName = 'The snapshot''s name; esupgrade-<date-time> by default.'
            Index        = 'Only these indices; names or wildcards. Every regular index by default.'
            StatePath    = 'The checkpoint file; by default one per pair of clusters in the local application data.'
            Calibration  = 'The state file of an earlier migration (a rehearsal): the rates it measured make the estimate the first -WhatIf or -Confirm line shows, instead of the defaults (40 MB/s, 5,000 documents/s).'
            Timeout      = 'How long each long step may run (a TimeSpan, or seconds); 12 hours by default.'
        }
        Examples    = @(
            @{ Code = 'Invoke-EsSnapshotMigration -Source $old -Destination $new -Repository move -StatePath \\filer\runbooks\migration.json -Confirm:$false'; Remarks = 'Runs (or resumes) the route; returns each index with its route (Restored or Reindexed), the counts on both sides and Complete.' }
            @{ Code = 'Invoke-EsSnapshotMigration $old $new move -WhatIf'; Remarks = 'Prints how each index would move.' }
        )
    }
    'Export-EsClusterBaseline' = @{
        Synopsis    = 'Writes what the cluster holds now, to check the upgrade against afterwards.'
        Description = 'Reads versions, nodes, health, every index (hidden ones too) with its document count, status and aliases, the index, component and legacy templates, the ILM policies and the persistent and transient cluster settings, and writes them as JSON. Test-EsUpgradeResult -Baseline compares the cluster with it after the change. Invoke-EsRollingUpgrade -StatePath and Invoke-EsSnapshotMigration take one beside their state file (<state>.baseline.json) when they start. Returns the EsClusterBaseline.'
        Parameters  = @{
            Path       = 'The JSON file to write.'
            Force      = 'Replace an existing file.'
            Connection = 'The cluster; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Export-EsClusterBaseline before-8.json'; Remarks = 'Writes the baseline; returns it (nodes, indices, TotalDocuments).' }
            @{ Code = 'Export-EsClusterBaseline C:\Upgrade\before.json -Force; Test-EsUpgradeResult 8.19.0 -Baseline C:\Upgrade\before.json'; Remarks = 'Replaces an older baseline, then, after the upgrade, checks the cluster against it.' }
        )
    }
    'Test-EsUpgradeResult' = @{
        Synopsis    = 'Checks that the upgrade left the cluster whole; the verdict to attach to the change.'
        Description = 'One object per check, each Pass, Warning or Fail with the detail and the remedy: every node on the target version (NodeVersions) and every node of the baseline back (NodesPresent); health (green passes; yellow is a Warning giving, for each unassigned shard, the deciders that say no in allocation explain; red fails); against the baseline every index present (an index the upgrade reindexed counts through the alias that kept its name), no index with fewer documents (more is a Warning: still written to), every alias, shard allocation as it was; ML upgrade mode off; no transient settings left behind; the critical deprecations that stand between the cluster and the next major (a Warning); no node shutdown record left. After a snapshot migration, the baseline of the old cluster is accepted: indices, documents and aliases are compared by name. With -Quiet, $true when no check failed.'
        Parameters  = @{
            TargetVersion = 'The release every node must run, in full: 8.19.0.'
            Baseline      = 'The baseline taken before: the path of a file Export-EsClusterBaseline wrote, or its object, or cluster:NAME for the one Invoke-EsRollingUpgrade -StatePath cluster:NAME kept in the cluster.'
            Quiet         = 'Return only $true (nothing failed) or $false.'
            Connection    = 'The cluster; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Test-EsUpgradeResult 8.19.0 -Baseline before-8.json'; Remarks = 'Returns one UpgradeResultCheck per check.' }
            @{ Code = 'if (-not (Test-EsUpgradeResult 8.19.0 -Baseline .\upgrade.baseline.json -Quiet)) { throw ''The upgrade left something behind.'' }'; Remarks = 'In a runbook: stop when a check failed.' }
        )
    }
    'Get-EsClusterStats' = @{
        Synopsis    = 'Sums the cluster up: nodes and versions, indices, shards, documents, store, heap, disk.'
        Description = 'Reads GET _cluster/stats, the stats API the migration guide asks to run after an upgrade: health, node counts by role, the versions running, index, shard and document counts, store size, heap used of the heap there is, disk used. Returns one EsClusterStats.'
        Parameters  = @{
            Connection = 'The cluster; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsClusterStats'; Remarks = 'One line: status, nodes, versions, indices, documents, heap and disk in percent.' }
            @{ Code = 'Get-EsClusterStats -Connection $new | Select-Object Nodes, Versions, Indices, Documents'; Remarks = 'Sums up another cluster (the new 8.x one of a migration).' }
        )
    }
    'Get-EsNodeStats' = @{
        Synopsis    = 'Shows each node''s load: heap, CPU, load average, disk, open HTTP connections, documents.'
        Description = 'Reads GET _nodes/stats (jvm, os, process, fs, http, indices): one EsNodeStats per node. A full name that matches no node is a NodeNotFound error; a wildcard that matches none gives nothing.'
        Parameters  = @{
            Name       = 'Node names or wildcards. From the pipeline: a node''s Name, a shard''s Node.'
            Connection = 'The cluster; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsNodeStats hot-*'; Remarks = 'Heap, CPU and disk of the hot nodes.' }
            @{ Code = 'Get-EsNode -Role data_hot | Get-EsNodeStats'; Remarks = 'The same from the nodes piped in.' }
        )
    }
    'Watch-EsCluster' = @{
        Synopsis    = 'Watches the cluster live: health, nodes and versions, recoveries, a rolling upgrade''s progress.'
        Description = 'In a console it draws a view and redraws it in place every -Interval: health and shard counts, each node with its version (^ marks nodes already on the newest version of a mixed cluster, * the elected master), the recoveries running with bytes and percent, and with -StatePath the rolling upgrade''s progress (nodes done, the node being upgraded and its last step). In a host without a console (an Azure Automation runbook, a scheduled task, output redirected) or with -AsObject it emits one EsClusterStatus per interval instead. It stops when health reaches -Until (returning the last status), at -Timeout with a WatchTimeout error, or on Ctrl+C. A 503 during an election or a dropped connection is a gap in the view, not the end of it.'
        Parameters  = @{
            Until      = 'Stop once health is at least this good: Green or Yellow.'
            Interval   = 'How often to look (a TimeSpan, or seconds); 5 seconds by default.'
            Timeout    = 'How long to watch (a TimeSpan, or seconds): with -Until 1 hour by default, then an error; without -Until, until Ctrl+C unless given.'
            StatePath  = 'The state file of a rolling upgrade running elsewhere (Invoke-EsRollingUpgrade -StatePath), to show its progress.'
            AsObject   = 'Emit status objects even in a console.'
            Connection = 'The cluster; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Watch-EsCluster -StatePath D:\upgrade\state.json'; Remarks = 'In a second console while the upgrade runs: the live view, until Ctrl+C.' }
            @{ Code = 'Watch-EsCluster -Until Green -Interval 30 -Timeout 02:00:00'; Remarks = 'In a runbook: a status object every 30 seconds until green; an error after two hours.' }
        )
    }
    'Export-EsDiagnostic' = @{
        Synopsis    = 'Writes a zip of what support asks for when an upgrade goes wrong, secrets removed.'
        Description = 'For the migration guide''s troubleshoot step: the outputs Elastic''s support diagnostics collect — version, health by index, cluster settings with defaults, cluster and node stats, pending tasks, allocation explain, nodes, node shutdown records, the _cat tables of nodes, indices, shards and recoveries, tasks, deprecations, system features, repositories, aliases, templates, ILM policies, licence, ML info — one file per API, and with -StatePath the rolling upgrade''s state file, plus manifest.json saying what each file is and what failed. Values whose key names a password, secret, token, key or credential, and Authorization headers, are replaced. On a red or partly unreachable cluster what fails is listed in the manifest, not fatal. Ready to attach to a support case or a forum post; returns the EsDiagnosticBundle.'
        Parameters  = @{
            Path       = 'The zip file to write.'
            StatePath  = 'A rolling upgrade''s state file to include.'
            Force      = 'Replace an existing file.'
            Connection = 'The cluster; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Export-EsDiagnostic .\case-1234.zip -StatePath D:\upgrade\state.json'; Remarks = 'Writes the bundle; its Failed property lists the APIs that did not answer.' }
            @{ Code = 'Export-EsDiagnostic .\after-failure.zip -StatePath C:\Upgrade\prod.json -Force'; Remarks = 'After a stopped upgrade: the cluster''s diagnostics and the run''s state file in one zip for support, secrets removed.' }
        )
    }
}
