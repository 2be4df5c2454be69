# The words of EsUpgrade's help. build.ps1 joins them with each cmdlet's real parameters and writes
# en-US/EsUpgrade.dll-Help.xml (MAML) into the built module. Every cmdlet, every parameter and at least
# one example must be here: the build fails otherwise.
@{
    'Connect-EsCluster' = @{
        Synopsis    = 'Connects to an Elasticsearch cluster and makes it the current connection.'
        Description = 'Reaches a node of the cluster (failing over between the URIs given), checks that it is Elasticsearch (the X-elastic-product header from 7.14 on) and reads its version. The connection becomes the session''s current one; several named connections can live side by side, such as an old 7.17 cluster and a new 8.x cluster. TLS certificates are verified by default: pin the CA fingerprint that Elasticsearch 8 prints at first start, give the CA file, or, for a test cluster only, skip the check. Secrets are turned into an Authorization header only at the HTTP edge and appear in no output, log or error.'
        Parameters  = @{
            Uri                    = 'One or more node URIs, such as https://es01:9200. Requests fail over between them.'
            CloudId                = 'The Cloud ID of an Elastic Cloud deployment.'
            Credential             = 'User name and password for basic authentication.'
            ApiKey                 = 'An API key: the "encoded" value Elasticsearch returns when the key is created, or id:api_key.'
            CertificateFingerprint = 'The SHA-256 fingerprint of the cluster''s CA or node certificate, with or without colons.'
            CaCertificatePath      = 'A PEM or DER file with the CA that signed the cluster''s HTTP certificate.'
            SkipCertificateCheck   = 'Accept any certificate. For test clusters only: credentials can then be read by anyone in between.'
            Name                   = 'The connection''s name. Default: the cluster name. Connecting again with a name already in use replaces that connection.'
            PassThru               = 'Write the connection to the pipeline.'
        }
        Examples    = @(
            @{ Code = 'Connect-EsCluster -Uri https://es01:9200, https://es02:9200 -Credential (Get-Credential elastic) -CertificateFingerprint 3c1f...e9'; Remarks = 'Connects to a secured 8.x cluster, trusting its CA by the fingerprint printed at first start.' }
            @{ Code = "Connect-EsCluster -Uri http://old-es:9200 -Name old`nConnect-EsCluster -Uri https://new-es:9200 -Credential `$cred -CaCertificatePath C:\es\http_ca.crt -Name new`nGet-EsConnection"; Remarks = 'Keeps an old and a new cluster side by side; the last one connected is current.' }
            @{ Code = '$cred = Get-AutomationPSCredential -Name ElasticAdmin; Connect-EsCluster -Uri $env:ES_URI -Credential $cred'; Remarks = 'In an Azure Automation runbook, with the credential from an Automation asset.' }
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
            @{ Code = 'Disconnect-EsCluster -Name old'; Remarks = 'Closes the connection named old.' }
            @{ Code = 'Get-EsConnection | Disconnect-EsCluster'; Remarks = 'Closes every connection.' }
        )
    }
    'Get-EsConnection' = @{
        Synopsis    = 'Lists the session''s connections.'
        Description = 'Lists the connections made with Connect-EsCluster; the current one is marked. Objects from EsUpgrade carry their connection, so output of one cluster''s cmdlets chains back to that cluster.'
        Parameters  = @{
            Name    = 'Connection names; wildcards allowed.'
            Current = 'Only the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsConnection'; Remarks = 'Lists all connections.' }
            @{ Code = 'Get-EsConnection -Name old | Get-EsNode'; Remarks = 'Lists the nodes of the cluster behind the connection named old.' }
        )
    }
    'Get-EsCluster' = @{
        Synopsis    = 'Shows a cluster at a glance: health, node counts, versions present, elected master.'
        Description = 'Reads GET /, _cluster/health, _nodes and _cat/master. MinimumVersion and MaximumVersion show a cluster in the middle of a rolling upgrade; Versions lists each version with its node count.'
        Parameters  = @{ Connection = 'The cluster to read; default the current connection. Bound from piped EsUpgrade objects.' }
        Examples    = @(
            @{ Code = 'Get-EsCluster'; Remarks = 'The current cluster.' }
            @{ Code = 'Get-EsConnection | Get-EsCluster'; Remarks = 'Every connected cluster.' }
        )
    }
    'Get-EsNode' = @{
        Synopsis    = 'Lists the nodes of a cluster with version, roles, data tiers and addresses.'
        Description = 'Reads _nodes. Names pass to Elasticsearch as node selectors, so wildcards, ids, _master, _local and role:true selectors work. DataTiers is "all" for the legacy data role.'
        Parameters  = @{
            Name       = 'Node names, ids, wildcards or Elasticsearch node selectors.'
            Role       = 'Only nodes with one of these roles.'
            Connection = 'The cluster to read; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsNode'; Remarks = 'All nodes.' }
            @{ Code = 'Get-EsNode -Role master | Where-Object Version -lt ''8.0'''; Remarks = 'Master-eligible nodes not yet on 8.x.' }
            @{ Code = 'Get-EsNode hot-*'; Remarks = 'Nodes whose names start with hot-.' }
        )
    }
    'Get-EsClusterHealth' = @{
        Synopsis    = 'Reads cluster health now.'
        Description = 'Reads _cluster/health for the cluster, or for some indices with -Index. -Level Indices or Shards adds per-index health in Indices.'
        Parameters  = @{
            Index      = 'Indices to report on; wildcards allowed. Elasticsearch waits up to 30 seconds for an index that does not exist, then reports red.'
            Level      = 'Cluster, Indices or Shards.'
            Connection = 'The cluster to read; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsClusterHealth'; Remarks = 'Health of the current cluster.' }
            @{ Code = '(Get-EsClusterHealth -Level Indices).Indices | Where-Object Status -ne green'; Remarks = 'Indices that are not green.' }
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
            Index                = 'Wait on these indices only; wildcards allowed.'
            Level                = 'Cluster, Indices or Shards: the detail of the health returned.'
            Timeout              = 'How long to wait: a TimeSpan, "hh:mm:ss", or a number of seconds. Default 10 minutes.'
            Connection           = 'The cluster to wait on; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Wait-EsClusterHealth -Status Green -Timeout 1800'; Remarks = 'Waits up to 30 minutes for green.' }
            @{ Code = 'Wait-EsClusterHealth -Status Yellow -NoInitializingShards -NoRelocatingShards -NodeCount 9'; Remarks = 'Mid-upgrade: all 9 nodes back, nothing moving; yellow is expected while replicas cannot go to older nodes.' }
        )
    }
    'Get-EsClusterSetting' = @{
        Synopsis    = 'Lists cluster settings by flat name.'
        Description = 'Reads _cluster/settings with flat names (cluster.routing.allocation.enable). Each setting says whether it is persistent, transient or a default.'
        Parameters  = @{
            Name            = 'Setting names; wildcards allowed.'
            Scope           = 'Persistent, Transient or Default.'
            IncludeDefaults = 'Also list defaults that are not overridden.'
            Connection      = 'The cluster to read; default the current connection.'
        }
        Examples    = @(
            @{ Code = 'Get-EsClusterSetting cluster.routing.allocation.*'; Remarks = 'Allocation settings that are set.' }
            @{ Code = 'Get-EsClusterSetting -Scope Transient'; Remarks = 'Transient settings, which Elastic advises against and a full restart loses.' }
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
            @{ Code = 'Invoke-EsRequest /_cat/indices?v'; Remarks = 'The indices as text.' }
            @{ Code = 'Invoke-EsRequest -Method PUT -Path /_cluster/settings -Body @{ persistent = @{ ''cluster.routing.allocation.enable'' = $null } }'; Remarks = 'Resets shard allocation to its default.' }
        )
    }
}
