using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

public static class NodesHandlers
{
    static readonly string[] Metrics = { "_all", "_none", "settings", "os", "process", "remote_cluster_server", "jvm", "thread_pool", "transport", "http", "plugins", "ingest", "indices", "aggregations" };

    /// <summary>GET _nodes[/{node_id}][/{metric}]. A single part that lists only metric names is a metric, as in RestNodesInfoAction.</summary>
    public static Task<Reply> Info(RestRequest r)
    {
        var nodeIds = r.Param("node_id");
        var metric = r.Param("metric");
        if (metric is null && nodeIds is not null && nodeIds.Split(',').All(Metrics.Contains))
            (metric, nodeIds) = (nodeIds, null);
        var metrics = (metric ?? "_all").Split(',').ToHashSet();
        foreach (var m in metrics.Where(m => !Metrics.Contains(m)))
            throw EsError.IllegalArgument($"request [{r.Path}] contains unrecognized metric: [{m}]");
        bool Want(string m) => metrics.Contains("_all") || metrics.Contains(m);

        lock (r.Cluster.Sync)
        {
            // Not master-routed: a node answers from the cluster state it has, also during an election.
            var selected = NodeSelector.Resolve(r.Cluster, r.Node, nodeIds).ToList();
            var result = new Dictionary<string, object?>();
            // A killed node stays in the cluster state until the follower checks give up, but cannot answer:
            // it is counted, left out of "nodes" and reported as a FailedNodeException (RestActions.buildNodesHeader).
            var failures = selected.Where(n => n.State == NodeState.Crashed).Select(n => new Dictionary<string, object?>
            {
                ["type"] = "failed_node_exception",
                ["reason"] = $"Failed node [{n.Id}]",
                ["node_id"] = n.Id,
                ["caused_by"] = new Dictionary<string, object?> { ["type"] = "node_not_connected_exception", ["reason"] = $"[{n.Name}][{n.TransportAddress}] Node not connected" },
            }).ToList();
            foreach (var n in selected.Where(n => n.State != NodeState.Crashed))
            {
                var p = n.Profile;
                var info = new Dictionary<string, object?>
                {
                    ["name"] = n.Name,
                    ["transport_address"] = n.TransportAddress,
                    ["host"] = n.Ip,
                    ["ip"] = n.Ip,
                    ["version"] = p.Number,
                };
                if (p.ReportsTransportVersion)
                {
                    info["transport_version"] = 8_000_000 + p.Version.Minor * 1000;
                    info["index_version"] = 8_000_000 + p.Version.Minor * 100;
                }
                info["build_flavor"] = "default";
                info["build_type"] = "zip";
                info["build_hash"] = p.BuildHash;
                info["roles"] = n.Roles;
                info["attributes"] = n.Attributes;
                if (Want("settings"))
                {
                    // The node's own settings as the nodes info API nests them; static ones (path.repo, the reindex whitelist) are read at start.
                    var settings = new Dictionary<string, object?>
                    {
                        ["cluster"] = new Dictionary<string, object?> { ["name"] = r.Cluster.Spec.ClusterName },
                        ["node"] = new Dictionary<string, object?> { ["name"] = n.Name },
                    };
                    if (r.Cluster.Spec.PathRepo.Count > 0) settings["path"] = new Dictionary<string, object?> { ["repo"] = r.Cluster.Spec.PathRepo };
                    if (r.Cluster.Spec.ReindexRemoteWhitelist.Count > 0)
                        settings["reindex"] = new Dictionary<string, object?> { ["remote"] = new Dictionary<string, object?> { ["whitelist"] = r.Cluster.Spec.ReindexRemoteWhitelist } };
                    info["settings"] = settings;
                }
                if (Want("http"))
                    info["http"] = new Dictionary<string, object?>
                    {
                        ["bound_address"] = new[] { n.HttpAddress },
                        ["publish_address"] = n.HttpAddress,
                        ["max_content_length_in_bytes"] = 104857600,
                    };
                if (Want("plugins"))
                {
                    info["plugins"] = n.Plugins.Select(name => new Dictionary<string, object?>
                    {
                        ["name"] = name, ["version"] = p.Number, ["elasticsearch_version"] = p.Number,
                        ["description"] = name, ["classname"] = "org.elasticsearch.plugin." + name, ["has_native_controller"] = false,
                    }).ToList();
                }
                NodeInfoSections.Add(info, r.Cluster, n, Want);
                result[n.Id] = info;
            }
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?>
            {
                ["_nodes"] = failures.Count == 0
                    ? new Dictionary<string, object?> { ["total"] = selected.Count, ["successful"] = selected.Count, ["failed"] = 0 }
                    : new Dictionary<string, object?> { ["total"] = selected.Count, ["successful"] = selected.Count - failures.Count, ["failed"] = failures.Count, ["failures"] = failures },
                ["cluster_name"] = r.Cluster.Name,
                ["nodes"] = result,
            }));
        }
    }

    /// <summary>Every emulated node runs with a 4 GiB heap.</summary>
    const long HeapMax = 4L * 1024 * 1024 * 1024;

    /// <summary>
    /// What each node carries, as the stats APIs show it: the copies it holds (documents and bytes), a heap that fills
    /// with them (30 % plus 2 % a copy, at most 90 %), and CPU busy with the recoveries running into or out of it.
    /// One pass over the copies for all the nodes (scale mode: 100,000 copies on 200 nodes).
    /// </summary>
    internal static Dictionary<string, (int Copies, long Documents, long Bytes, double HeapPercent, int Cpu)> Loads(EmulatedCluster cluster)
    {
        var counts = cluster.Nodes.ToDictionary(n => n.Id, _ => (Copies: 0, Documents: 0L, Bytes: 0L, Recovering: 0));
        void Add(string? id, Func<(int Copies, long Documents, long Bytes, int Recovering), (int, long, long, int)> change)
        {
            if (id != null && counts.TryGetValue(id, out var c)) counts[id] = change(c);
        }
        foreach (var c in cluster.AllCopies)
        {
            if (c.IsActive) Add(c.NodeId, n => (n.Copies + 1, n.Documents + c.Index.DocumentsInShard(c.Shard), n.Bytes + c.Index.ShardSizeBytes, n.Recovering));
            if (c.State == ShardState.Initializing)
            {
                Add(c.NodeId, n => (n.Copies, n.Documents, n.Bytes, n.Recovering + 1));
                if (c.RecoverySourceNodeId != c.NodeId) Add(c.RecoverySourceNodeId, n => (n.Copies, n.Documents, n.Bytes, n.Recovering + 1));
            }
            Add(c.RelocatingNodeId, n => (n.Copies, n.Documents, n.Bytes, n.Recovering + 1));
        }
        return counts.ToDictionary(kv => kv.Key, kv => (kv.Value.Copies, kv.Value.Documents, kv.Value.Bytes,
            Math.Min(90, 30 + 2.0 * kv.Value.Copies), Math.Min(100, 3 + 15 * kv.Value.Recovering)));
    }

    static readonly string[] StatsMetrics =
    {
        "_all", "_none", "adaptive_selection", "allocations", "breaker", "discovery", "fs", "http", "indexing_pressure", "indices",
        "ingest", "jvm", "os", "process", "repositories", "script", "script_cache", "thread_pool", "transport",
    };

    /// <summary>
    /// GET _nodes[/{node_id}]/stats[/{metric}]: the emulator fills fs (the data path, from the node's disk use), http
    /// (open connections and each client, BEHAVIOUR-ASSESS.md §3), jvm, os, process and indices from what the node
    /// carries (<see cref="Load"/>); other metrics are accepted and left out.
    /// </summary>
    public static Task<Reply> Stats(RestRequest r)
    {
        var metrics = (r.Param("metric") ?? "_all").Split(',').ToHashSet();
        foreach (var m in metrics.Where(m => !StatsMetrics.Contains(m)))
            throw EsError.IllegalArgument($"request [{r.Path}] contains unrecognized metric: [{m}]");
        bool Want(string m) => metrics.Contains("_all") || metrics.Contains(m);
        lock (r.Cluster.Sync)
        {
            var selected = NodeSelector.Resolve(r.Cluster, r.Node, r.Param("node_id")).Where(n => n.State != NodeState.Crashed).ToList();
            var now = r.Cluster.Clock.UtcNow.ToUnixTimeMilliseconds();
            var result = new Dictionary<string, object?>();
            var loads = Loads(r.Cluster);
            foreach (var n in selected)
            {
                var stats = new Dictionary<string, object?>
                {
                    ["timestamp"] = now, ["name"] = n.Name, ["transport_address"] = n.TransportAddress, ["host"] = n.Ip, ["ip"] = n.Ip,
                    ["roles"] = n.Roles, ["attributes"] = n.Attributes,
                };
                if (Want("fs"))
                {
                    var free = (long)(n.DiskTotalBytes * (100 - n.DiskUsedPercent) / 100);
                    var disk = new Dictionary<string, object?> { ["total_in_bytes"] = n.DiskTotalBytes, ["free_in_bytes"] = free, ["available_in_bytes"] = free };
                    stats["fs"] = new Dictionary<string, object?>
                    {
                        ["timestamp"] = now,
                        ["total"] = disk,
                        ["data"] = new[] { new Dictionary<string, object?>(disk) { ["path"] = $"/var/lib/elasticsearch/{n.Name}/nodes/0", ["mount"] = "/ (/dev/sda1)", ["type"] = "ext4" } },
                    };
                }
                var load = loads[n.Id];
                if (Want("jvm"))
                    stats["jvm"] = new Dictionary<string, object?>
                    {
                        ["timestamp"] = now, ["uptime_in_millis"] = Math.Max(0, (long)(r.Cluster.Clock.UtcNow - n.JoinAt).TotalMilliseconds),
                        ["mem"] = new Dictionary<string, object?>
                        {
                            ["heap_used_in_bytes"] = (long)(HeapMax * load.HeapPercent / 100), ["heap_used_percent"] = (int)load.HeapPercent,
                            ["heap_committed_in_bytes"] = HeapMax, ["heap_max_in_bytes"] = HeapMax,
                        },
                    };
                if (Want("os"))
                    stats["os"] = new Dictionary<string, object?>
                    {
                        ["timestamp"] = now,
                        ["cpu"] = new Dictionary<string, object?> { ["percent"] = load.Cpu, ["load_average"] = new Dictionary<string, object?> { ["1m"] = load.Cpu / 25.0, ["5m"] = load.Cpu / 30.0, ["15m"] = load.Cpu / 35.0 } },
                        ["mem"] = new Dictionary<string, object?> { ["total_in_bytes"] = 4 * HeapMax, ["used_percent"] = 60 },
                    };
                if (Want("process"))
                    stats["process"] = new Dictionary<string, object?>
                    {
                        ["timestamp"] = now, ["open_file_descriptors"] = 300 + 20 * load.Copies, ["max_file_descriptors"] = 65535,
                        ["cpu"] = new Dictionary<string, object?> { ["percent"] = load.Cpu, ["total_in_millis"] = 1000L * load.Cpu },
                    };
                if (Want("indices"))
                    stats["indices"] = new Dictionary<string, object?>
                    {
                        ["docs"] = new Dictionary<string, object?> { ["count"] = load.Documents, ["deleted"] = 0 },
                        ["store"] = new Dictionary<string, object?> { ["size_in_bytes"] = load.Bytes, ["reserved_in_bytes"] = 0 },
                    };
                if (Want("http"))
                {
                    List<Dictionary<string, object?>> clients;
                    lock (n.HttpClients) clients = n.HttpClients.Values.OrderBy(c => c.OpenedMillis).Select(c => c.ToJson()).ToList();
                    var http = new Dictionary<string, object?> { ["current_open"] = clients.Count(c => !c.ContainsKey("closed_time_millis")), ["total_opened"] = clients.Count };
                    if (n.Profile.Version >= new Version(7, 13)) http["clients"] = clients;
                    stats["http"] = http;
                }
                result[n.Id] = stats;
            }
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?>
            {
                ["_nodes"] = new Dictionary<string, object?> { ["total"] = selected.Count, ["successful"] = selected.Count, ["failed"] = 0 },
                ["cluster_name"] = r.Cluster.Name,
                ["nodes"] = result,
            }));
        }
    }

    /// <summary>
    /// GET _cluster/stats: indices (count, shards, documents, store) and nodes (counts by role, versions, heap, disk),
    /// the sums of what <see cref="Stats"/> shows per node.
    /// </summary>
    public static Task<Reply> ClusterStats(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var nodes = NodeSelector.Resolve(r.Cluster, r.Node, r.Param("node_id")).Where(n => n.State != NodeState.Crashed).ToList();
            var all = Loads(r.Cluster);
            var loads = nodes.Select(n => all[n.Id]).ToList();
            var indices = r.Cluster.Indices.ToList();
            var health = ClusterHealth.Compute(r.Cluster);
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?>
            {
                ["_nodes"] = new Dictionary<string, object?> { ["total"] = nodes.Count, ["successful"] = nodes.Count, ["failed"] = 0 },
                ["cluster_name"] = r.Cluster.Name, ["cluster_uuid"] = r.Cluster.Uuid, ["timestamp"] = r.Cluster.Clock.UtcNow.ToUnixTimeMilliseconds(),
                ["status"] = health.Status,
                ["indices"] = new Dictionary<string, object?>
                {
                    ["count"] = indices.Count,
                    ["shards"] = new Dictionary<string, object?> { ["total"] = indices.Sum(i => i.Copies.Count(c => c.IsActive)), ["primaries"] = indices.Sum(i => i.Copies.Count(c => c.Primary && c.IsActive)) },
                    ["docs"] = new Dictionary<string, object?> { ["count"] = indices.Sum(i => i.Documents), ["deleted"] = 0 },
                    ["store"] = new Dictionary<string, object?> { ["size_in_bytes"] = loads.Sum(l => l.Bytes), ["reserved_in_bytes"] = 0 },
                },
                ["nodes"] = new Dictionary<string, object?>
                {
                    ["count"] = new Dictionary<string, object?>
                    {
                        ["total"] = nodes.Count, ["data"] = nodes.Count(n => n.IsDataNode), ["master"] = nodes.Count(n => n.IsMasterEligible),
                        ["ingest"] = nodes.Count(n => n.Roles.Contains("ingest")), ["ml"] = nodes.Count(n => n.Roles.Contains("ml")),
                    },
                    ["versions"] = nodes.Select(n => n.Profile.Number).Distinct().OrderBy(v => v, StringComparer.Ordinal).ToList(),
                    ["jvm"] = new Dictionary<string, object?>
                    {
                        ["mem"] = new Dictionary<string, object?> { ["heap_used_in_bytes"] = loads.Sum(l => (long)(HeapMax * l.HeapPercent / 100)), ["heap_max_in_bytes"] = HeapMax * nodes.Count },
                    },
                    ["fs"] = new Dictionary<string, object?>
                    {
                        ["total_in_bytes"] = nodes.Sum(n => n.DiskTotalBytes),
                        ["free_in_bytes"] = nodes.Sum(n => (long)(n.DiskTotalBytes * (100 - n.DiskUsedPercent) / 100)),
                        ["available_in_bytes"] = nodes.Sum(n => (long)(n.DiskTotalBytes * (100 - n.DiskUsedPercent) / 100)),
                    },
                },
            }));
        }
    }
}
