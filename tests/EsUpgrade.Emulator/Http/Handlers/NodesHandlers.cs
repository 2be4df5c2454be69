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

    static readonly string[] StatsMetrics =
    {
        "_all", "_none", "adaptive_selection", "allocations", "breaker", "discovery", "fs", "http", "indexing_pressure", "indices",
        "ingest", "jvm", "os", "process", "repositories", "script", "script_cache", "thread_pool", "transport",
    };

    /// <summary>
    /// GET _nodes[/{node_id}]/stats[/{metric}]: the emulator fills fs (the data path, from the node's disk use) and
    /// http (open connections and each client, BEHAVIOUR-ASSESS.md §3); other metrics are accepted and left out.
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
}
