using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

public static class CatHandlers
{
    public static Task<Reply> Nodes(RestRequest r)
    {
        var table = new CatTable("ip", "heap.percent", "ram.percent", "cpu", "load_1m", "load_5m", "load_15m", "node.role", "master", "name")
            .Also("id", "port", "http_address", "version", "build", "node.roles");
        lock (r.Cluster.Sync)
        {
            var master = r.Cluster.RequireMaster();
            var full = r.Flag("full_id");
            foreach (var n in r.Cluster.RunningNodes.OrderBy(n => n.Name, StringComparer.Ordinal))
                table.Add(new()
                {
                    ["id"] = full ? n.Id : n.Id[..4],
                    ["ip"] = n.Ip,
                    ["port"] = n.TransportAddress.Split(':')[1],
                    ["http_address"] = n.HttpAddress,
                    ["version"] = n.Profile.Number,
                    ["build"] = n.Profile.BuildHash[..7],
                    ["heap.percent"] = "42",
                    ["ram.percent"] = "71",
                    ["cpu"] = "3",
                    ["load_1m"] = "0.42",
                    ["load_5m"] = "0.40",
                    ["load_15m"] = "0.38",
                    ["node.role"] = n.RoleLetters,
                    ["node.roles"] = string.Join(",", n.Roles),
                    ["master"] = n.Id == master.Id ? "*" : "-",
                    ["name"] = n.Name,
                });
        }
        return Task.FromResult(table.Render(r));
    }

    public static Task<Reply> Health(RestRequest r)
    {
        var table = new CatTable("epoch", "timestamp", "cluster", "status", "node.total", "node.data", "shards", "pri", "relo", "init", "unassign", "unassign.pri", "pending_tasks", "max_task_wait_time", "active_shards_percent");
        lock (r.Cluster.Sync)
        {
            r.Cluster.RequireMaster();
            var now = DateTimeOffset.UtcNow;
            var h = ClusterHealth.Compute(r.Cluster);
            table.Add(new()
            {
                ["epoch"] = now.ToUnixTimeSeconds().ToString(),
                ["timestamp"] = now.ToString("HH:mm:ss"),
                ["cluster"] = r.Cluster.Name,
                ["status"] = h.Status,
                ["node.total"] = h.Nodes.ToString(),
                ["node.data"] = h.DataNodes.ToString(),
                ["shards"] = h.Active.ToString(),
                ["pri"] = h.ActivePrimaries.ToString(),
                ["relo"] = h.Relocating.ToString(),
                ["init"] = h.Initializing.ToString(),
                ["unassign"] = h.Unassigned.ToString(),
                ["unassign.pri"] = h.UnassignedPrimaries.ToString(),
                ["pending_tasks"] = "0",
                ["max_task_wait_time"] = "-",
                ["active_shards_percent"] = h.ActivePercent.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%",
            });
        }
        return Task.FromResult(table.Render(r));
    }

    public static Task<Reply> Master(RestRequest r)
    {
        var table = new CatTable("id", "host", "ip", "node");
        lock (r.Cluster.Sync)
        {
            var master = r.Cluster.RequireMaster();
            table.Add(new() { ["id"] = master.Id, ["host"] = master.Ip, ["ip"] = master.Ip, ["node"] = master.Name });
        }
        return Task.FromResult(table.Render(r));
    }

    /// <summary>Sizes as _cat prints them: 260b, 88.1kb, 31.1mb, 1.2gb; plain numbers with bytes=b.</summary>
    [ThreadStatic] static bool rawBytes;

    public static string Bytes(long b)
    {
        if (rawBytes) return b.ToString();
        string[] units = { "b", "kb", "mb", "gb", "tb" };
        double v = b;
        var u = 0;
        while (v >= 1024 && u < units.Length - 1) { v /= 1024; u++; }
        return u == 0 ? $"{b}b" : v.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + units[u];
    }

    /// <summary>_cat/indices: hidden indices only with expand_wildcards naming them (IndicesOptions.strictExpand, open and closed).</summary>
    public static Task<Reply> Indices(RestRequest r)
    {
        rawBytes = r.Q("bytes") == "b";
        var table = new CatTable("health", "status", "index", "uuid", "pri", "rep", "docs.count", "docs.deleted", "store.size", "pri.store.size")
            .Also("dataset.size", "creation.date");
        lock (r.Cluster.Sync)
        {
            r.Cluster.RequireMaster();
            foreach (var i in IndexExpression.Resolve(r.Cluster, r.Param("index"), expand: r.Expand(Expand.OpenAndClosed)).OrderBy(i => i.Name, StringComparer.Ordinal))
                table.Add(new()
                {
                    ["health"] = i.Health,
                    ["status"] = i.Closed ? "close" : "open",
                    ["index"] = i.Name,
                    ["uuid"] = i.Uuid,
                    ["pri"] = i.NumberOfShards.ToString(),
                    ["rep"] = i.NumberOfReplicas.ToString(),
                    ["docs.count"] = i.Documents.ToString(),
                    ["docs.deleted"] = "0",
                    ["store.size"] = Bytes(i.ShardSizeBytes * i.Copies.Count(c => c.IsActive)),
                    ["pri.store.size"] = Bytes(i.ShardSizeBytes * i.Copies.Count(c => c.Primary && c.IsActive)),
                    ["dataset.size"] = Bytes(i.ShardSizeBytes * i.NumberOfShards),
                    ["creation.date"] = i.CreatedAt.ToUnixTimeMilliseconds().ToString(),
                });
        }
        return Task.FromResult(table.Render(r));
    }

    public static Task<Reply> Shards(RestRequest r)
    {
        rawBytes = r.Q("bytes") == "b";
        var table = new CatTable("index", "shard", "prirep", "state", "docs", "store", "ip", "node")
            .Also("dataset", "id", "unassigned.reason", "unassigned.at");
        lock (r.Cluster.Sync)
        {
            r.Cluster.RequireMaster();
            foreach (var i in IndexExpression.Resolve(r.Cluster, r.Param("index"), expand: Expand.All).OrderBy(i => i.Name, StringComparer.Ordinal))
                foreach (var c in i.Copies.OrderBy(c => c.Shard).ThenByDescending(c => c.Primary))
                {
                    var node = r.Cluster.NodeById(c.NodeId);
                    var assigned = node != null && c.State != ShardState.Unassigned;
                    // RestShardsAction: a relocating copy's node cell is "src -> ip id dst" (the target's full id).
                    var target = r.Cluster.NodeById(c.RelocatingNodeId);
                    var nodeCell = !assigned ? null : target is null ? node!.Name : $"{node!.Name} -> {target.Ip} {target.Id} {target.Name}";
                    table.Add(new()
                    {
                        ["index"] = i.Name,
                        ["shard"] = c.Shard.ToString(),
                        ["prirep"] = c.Primary ? "p" : "r",
                        ["state"] = c.State.ToString().ToUpperInvariant(),
                        ["docs"] = c.IsActive ? (i.Documents / i.NumberOfShards).ToString() : null,
                        ["store"] = c.IsActive ? Bytes(i.ShardSizeBytes) : null,
                        ["dataset"] = c.IsActive ? Bytes(i.ShardSizeBytes) : null,
                        ["ip"] = assigned ? node!.Ip : null,
                        ["node"] = nodeCell,
                        ["id"] = assigned ? node!.Id : null,
                        ["unassigned.reason"] = c.State == ShardState.Unassigned ? c.UnassignedReason : null,
                        ["unassigned.at"] = c.State == ShardState.Unassigned ? c.UnassignedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'") : null,
                    });
                }
        }
        return Task.FromResult(table.Render(r));
    }

    /// <summary>_cat/recovery: initializing copies (and with active_only=false, the finished ones) with their progress on the clock.</summary>
    public static Task<Reply> Recovery(RestRequest r)
    {
        rawBytes = r.Q("bytes") == "b";
        var table = new CatTable("index", "shard", "time", "type", "stage", "source_host", "source_node", "target_host", "target_node",
            "repository", "snapshot", "files", "files_recovered", "files_percent", "files_total", "bytes", "bytes_recovered", "bytes_percent",
            "bytes_total", "translog_ops", "translog_ops_recovered", "translog_ops_percent");
        lock (r.Cluster.Sync)
        {
            r.Cluster.RequireMaster();
            var activeOnly = r.Flag("active_only");
            foreach (var x in RecoveryProgress.Of(r.Cluster, r.Param("index"), activeOnly))
            {
                var (i, c) = (x.Index, x.Copy);
                var percent = (x.Fraction * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";
                table.Add(new()
                {
                    ["index"] = i.Name,
                    ["shard"] = c.Shard.ToString(),
                    ["time"] = (long)x.Time.TotalMilliseconds + "ms",
                    ["type"] = c.RecoveryType,
                    ["stage"] = x.Stage,
                    ["source_host"] = x.Source?.Ip ?? "n/a",
                    ["source_node"] = x.Source?.Name ?? "n/a",
                    ["target_host"] = x.Target.Ip,
                    ["target_node"] = x.Target.Name,
                    ["repository"] = x.Repository ?? "n/a",
                    ["snapshot"] = x.Snapshot ?? "n/a",
                    ["files"] = c.RecoveryBytes > 0 ? "12" : "0",
                    ["files_recovered"] = c.RecoveryBytes > 0 ? ((int)(12 * x.Fraction)).ToString() : "0",
                    ["files_percent"] = percent,
                    ["files_total"] = "12",
                    ["bytes"] = Bytes(c.RecoveryBytes),
                    ["bytes_recovered"] = Bytes(x.Recovered),
                    ["bytes_percent"] = percent,
                    ["bytes_total"] = Bytes(i.ShardSizeBytes),
                    ["translog_ops"] = "0",
                    ["translog_ops_recovered"] = "0",
                    ["translog_ops_percent"] = "100.0%",
                });
            }
        }
        return Task.FromResult(table.Render(r));
    }
}
