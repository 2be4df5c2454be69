namespace EsUpgrade.Emulator.Model;

/// <summary>The shape of an emulated cluster: what the command line and test fixtures ask for.</summary>
public sealed class ClusterSpec
{
    public string ClusterName { get; set; } = "emulated";
    public List<NodeSpec> Nodes { get; set; } = new();
    public List<IndexSpec> Indices { get; set; } = new();
    /// <summary>Basic-auth users (name → password); empty means security off.</summary>
    public Dictionary<string, string> Users { get; set; } = new();
    /// <summary>Users with only the monitor cluster privilege (the monitoring_user role): APIs that need manage answer 403.</summary>
    public HashSet<string> MonitorOnlyUsers { get; set; } = new(StringComparer.Ordinal);
    public bool Tls { get; set; }
    /// <summary>xpack.ml.enabled: without ML, Elasticsearch registers no _ml REST handlers (400 "no handler found").</summary>
    public bool MlEnabled { get; set; } = true;
    /// <summary>Emulated seconds per real second.</summary>
    public double TimeScale { get; set; } = 1;
    /// <summary>Emulated bytes per second of a file-based shard recovery (indices.recovery.max_bytes_per_sec, 40mb).</summary>
    public long RecoveryBytesPerSecond { get; set; } = 40L * 1024 * 1024;
    /// <summary>
    /// Emulated time a node takes from start to joining the cluster: a JVM start, plugins, reading the shards'
    /// metadata, discovery. Real nodes take tens of seconds; a test about other rules may say zero.
    /// </summary>
    public TimeSpan NodeBootTime { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// How long the replica allocator fetches shard-store data before it places a replica whose data may be on a
    /// node (BEHAVIOUR.md §13): the copy stays UNASSIGNED, health counts it in number_of_in_flight_fetch.
    /// </summary>
    public TimeSpan ShardFetchTime { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>How long an election takes once the master is gone and a quorum is there (emulated time).</summary>
    public TimeSpan ElectionTime { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// How long a crashed node stays listed: the master's follower checks (every 1 s, 10 s timeout, 3 tries)
    /// give up after about 30 s; a node that stops cleanly leaves at once.
    /// </summary>
    public TimeSpan FollowerCheckTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Index templates, ML jobs and the license type (EmulatedCluster.Metadata).</summary>
    public List<TemplateSpec> Templates { get; set; } = new();
    public List<MlJobSpec> MlJobs { get; set; } = new();
    public List<RepositorySpec> Repositories { get; set; } = new();
    /// <summary>Bytes a snapshot copies per emulated second (primaries only; 200 MB/s).</summary>
    public long SnapshotBytesPerSecond { get; set; } = 200L * 1024 * 1024;
    /// <summary>path.repo: the folders fs repositories may live in (empty: no fs repository can be registered).</summary>
    public List<string> PathRepo { get; set; } = new();
    /// <summary>Persistent cluster settings the cluster starts with (say, shard allocation awareness).</summary>
    public Dictionary<string, string> PersistentSettings { get; set; } = new(StringComparer.Ordinal);
    public List<IlmPolicySpec> IlmPolicies { get; set; } = new();
    public string License { get; set; } = "basic";
    /// <summary>How long migrating one system feature takes (emulated time).</summary>
    public TimeSpan FeatureMigrationTime { get; set; } = TimeSpan.FromSeconds(20);
    /// <summary>Documents a reindex copies per emulated second.</summary>
    public double ReindexDocsPerSecond { get; set; } = 1000;
    /// <summary>reindex.remote.whitelist: host:port patterns a reindex may read from (a static node setting, read at start).</summary>
    public List<string> ReindexRemoteWhitelist { get; set; } = new();
    /// <summary>A source index whose reindex fails half-way (a test of the failure path).</summary>
    public string? FailingReindex { get; set; }
    /// <summary>A feature whose migration ends in ERROR (a test of the failure path).</summary>
    public string? FailingFeatureMigration { get; set; }

    public bool SecurityEnabled => Users.Count > 0;

    /// <summary>N nodes of one version, every node master-eligible and holding data (the default role set).</summary>
    public static ClusterSpec Uniform(int nodes, string version, string prefix = "es")
    {
        var spec = new ClusterSpec();
        for (var i = 1; i <= nodes; i++)
            spec.Nodes.Add(new NodeSpec { Name = $"{prefix}-{i:00}", Version = version });
        return spec;
    }

    /// <summary>
    /// A large cluster (scale mode): 3 dedicated masters and <paramref name="dataNodes"/> data nodes spread over
    /// <paramref name="zones"/> zones (node.attr.zone a, b, c ..., with shard allocation awareness and forced values when
    /// there are two or more), and indices of 10 primaries and 1 replica until there are at least
    /// <paramref name="shardCopies"/> shard copies.
    /// </summary>
    public static ClusterSpec Scaled(int dataNodes, int shardCopies, int zones, string version)
    {
        if (dataNodes < 2 || shardCopies < 1 || zones < 1 || zones > 26) throw new ArgumentException("scale: at least 2 data nodes, 1 shard copy, 1 to 26 zones");
        var spec = new ClusterSpec { ClusterName = "scaled" };
        for (var m = 1; m <= 3; m++)
            spec.Nodes.Add(new NodeSpec { Name = $"master-{m}", Version = version, Roles = new() { "master" } });
        var zoneNames = Enumerable.Range(0, zones).Select(z => ((char)('a' + z)).ToString()).ToList();
        for (var d = 0; d < dataNodes; d++)
        {
            var zone = zoneNames[d % zones];
            var node = new NodeSpec { Name = $"data-{zone}{d / zones + 1:000}", Version = version, Roles = new() { "data", "data_content", "data_hot", "ingest" } };
            if (zones > 1) node.Attributes["zone"] = zone;
            spec.Nodes.Add(node);
        }
        if (zones > 1)
        {
            spec.PersistentSettings["cluster.routing.allocation.awareness.attributes"] = "zone";
            spec.PersistentSettings["cluster.routing.allocation.awareness.force.zone.values"] = string.Join(",", zoneNames);
        }
        const int shards = 10, replicas = 1;
        var indices = (shardCopies + shards * (replicas + 1) - 1) / (shards * (replicas + 1));
        for (var i = 1; i <= indices; i++)
            spec.Indices.Add(new IndexSpec { Name = $"scale-{i:00000}", Shards = shards, Replicas = replicas, Documents = 10_000 });
        return spec;
    }
}

public sealed class NodeSpec
{
    public string Name { get; set; } = "";
    public string Version { get; set; } = "8.19.0";
    public List<string> Roles { get; set; } = new(DefaultRoles);
    public int Port { get; set; }
    public Dictionary<string, string> Attributes { get; set; } = new();
    public List<string> Plugins { get; set; } = new();
    /// <summary>The node's elasticsearch.yml, checked when the node starts.</summary>
    public string ConfigYaml { get; set; } = "";

    public static readonly string[] DefaultRoles =
        { "data", "data_cold", "data_content", "data_frozen", "data_hot", "data_warm", "ingest", "master", "ml", "remote_cluster_client", "transform" };
}

public sealed class IndexSpec
{
    public string Name { get; set; } = "";
    public int Shards { get; set; } = 1;
    public int Replicas { get; set; } = 1;
    public long Documents { get; set; }
    /// <summary>The version that created the index (pre-7.0 indices stop 8.x nodes).</summary>
    public string CreatedVersion { get; set; } = "7.17.0";
    /// <summary>index.routing.allocation.include._tier_preference; 7.10+ gives new indices data_content.</summary>
    public string TierPreference { get; set; } = "data_content";
    public Dictionary<string, string?> Settings { get; set; } = new();
    public List<string> Aliases { get; set; } = new();
    /// <summary>The single mapping type of a 6.x-created index (7.x reads it typeless).</summary>
    public string? MappingType { get; set; }
}
