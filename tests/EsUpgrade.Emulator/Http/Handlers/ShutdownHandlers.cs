using System.Text.Json.Nodes;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

/// <summary>The node shutdown API (BEHAVIOUR.md §12). A restart needs no shard migration, so it is COMPLETE at once.</summary>
public static class ShutdownHandlers
{
    public static Task<Reply> Put(RestRequest r)
    {
        var nodeId = r.Param("node_id")!;
        var body = r.JsonBody() ?? new JsonObject();
        var problems = new List<string>();
        var type = body["type"]?.GetValue<string>();
        var reason = body["reason"]?.GetValue<string>();
        var delay = body["allocation_delay"]?.GetValue<string>();
        if (type is null) problems.Add("the shutdown type is required");
        if (reason is null) problems.Add("the reason for shutdown is required");
        if (type != null && type.ToUpperInvariant() is not ("RESTART" or "REMOVE" or "REPLACE" or "SIGTERM"))
            throw EsError.IllegalArgument($"unknown shutdown type: {type}");
        if (delay != null && type?.ToUpperInvariant() != "RESTART") problems.Add("allocation_delay is only allowed for RESTART-type shutdown requests");
        if (delay != null) TimeValue.Parse("allocation_delay", delay);
        if (problems.Count > 0)
            throw new EsError(400, "action_request_validation_exception", "Validation Failed: " + string.Concat(problems.Select((p, i) => $"{i + 1}: {p};")));
        r.Cluster.PutShutdown(nodeId, type!.ToUpperInvariant(), reason!, delay);
        return Task.FromResult(Reply.Acknowledged());
    }

    public static Task<Reply> Get(RestRequest r)
    {
        var ids = r.Param("node_id")?.Split(',');
        lock (r.Cluster.Sync)
        {
            r.Cluster.RequireMaster();
            var records = r.Cluster.Shutdowns.Values.Where(s => ids is null || ids.Contains(s.NodeId)).Select(s =>
            {
                var d = new Dictionary<string, object?>
                {
                    ["node_id"] = s.NodeId,
                    ["type"] = s.Type,
                    ["reason"] = s.Reason,
                    ["shutdown_startedmillis"] = s.StartedMillis,
                };
                if (s.AllocationDelayText != null) d["allocation_delay"] = s.AllocationDelayText;
                var remaining = s.Type == "RESTART" ? 0 : r.Cluster.AllCopies.Count(c => c.NodeId == s.NodeId);
                d["status"] = remaining == 0 ? "COMPLETE" : "IN_PROGRESS";
                d["shard_migration"] = new Dictionary<string, object?>
                {
                    ["status"] = remaining == 0 ? "COMPLETE" : "IN_PROGRESS",
                    ["shard_migrations_remaining"] = remaining,
                    ["explanation"] = s.Type == "RESTART" ? "no shard relocation is necessary for a node restart" : null,
                };
                d["persistent_tasks"] = new Dictionary<string, object?> { ["status"] = "COMPLETE" };
                d["plugins"] = new Dictionary<string, object?> { ["status"] = "COMPLETE" };
                return (object?)d;
            }).ToList();
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?> { ["nodes"] = records }));
        }
    }

    public static Task<Reply> Delete(RestRequest r)
    {
        var nodeId = r.Param("node_id")!;
        if (!r.Cluster.DeleteShutdown(nodeId))
            throw new EsError(404, "resource_not_found_exception", $"node [{nodeId}] is not currently shutting down");
        return Task.FromResult(Reply.Acknowledged());
    }
}
