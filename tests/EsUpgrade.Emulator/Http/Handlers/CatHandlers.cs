using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

public static class CatHandlers
{
    public static Task<Reply> Nodes(RestRequest r)
    {
        var table = new CatTable("ip", "heap.percent", "ram.percent", "cpu", "load_1m", "load_5m", "load_15m", "node.role", "master", "name");
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
            var copies = r.Cluster.Indices.SelectMany(i => i.Copies).ToList();
            var status = r.Cluster.Indices.Any(i => i.Health == "red") ? "red" : r.Cluster.Indices.Any(i => i.Health == "yellow") ? "yellow" : "green";
            var active = copies.Count(c => c.IsActive);
            table.Add(new()
            {
                ["epoch"] = now.ToUnixTimeSeconds().ToString(),
                ["timestamp"] = now.ToString("HH:mm:ss"),
                ["cluster"] = r.Cluster.Name,
                ["status"] = status,
                ["node.total"] = r.Cluster.RunningNodes.Count().ToString(),
                ["node.data"] = r.Cluster.RunningNodes.Count(n => n.IsDataNode).ToString(),
                ["shards"] = active.ToString(),
                ["pri"] = copies.Count(c => c.Primary && c.IsActive).ToString(),
                ["relo"] = copies.Count(c => c.State == ShardState.Relocating).ToString(),
                ["init"] = copies.Count(c => c.State == ShardState.Initializing).ToString(),
                ["unassign"] = copies.Count(c => c.State == ShardState.Unassigned).ToString(),
                ["unassign.pri"] = copies.Count(c => c.Primary && c.State == ShardState.Unassigned).ToString(),
                ["pending_tasks"] = "0",
                ["max_task_wait_time"] = "-",
                ["active_shards_percent"] = (copies.Count == 0 ? 100.0 : 100.0 * active / copies.Count).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%",
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
}
