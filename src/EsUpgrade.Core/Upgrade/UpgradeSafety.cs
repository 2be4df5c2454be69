using System.Collections.Generic;
using System.Linq;
using EsUpgrade.Allocation;
using EsUpgrade.Connections;
using EsUpgrade.Health;
using EsUpgrade.Indices;
using EsUpgrade.Inventory;

namespace EsUpgrade.Upgrade;

/// <summary>
/// ECK's predicates for restarting one node, those that apply outside Kubernetes, as plain functions over
/// what the cluster reports. Each returns why the restart is not safe now, or null when it is.
/// </summary>
public static class UpgradeSafety
{
    /// <summary>Every planned node but this one is in the cluster: one node at a time, so never two master-eligible nodes down.</summary>
    public static string? MissingNodes(string node, IEnumerable<string> planned, IReadOnlyList<EsNode> present)
    {
        var missing = planned.Where(p => p != node && present.All(n => n.Name != p)).ToList();
        return missing.Count == 0 ? null : $"node(s) {string.Join(", ", missing)} are not in the cluster; one node at a time";
    }

    /// <summary>Not red, and nothing initializing or relocating.</summary>
    public static string? HealthProblem(EsClusterHealth health)
    {
        if (health.Status == HealthStatus.Red) return "the cluster is red";
        if (health.InitializingShards > 0 || health.RelocatingShards > 0)
            return $"{health.InitializingShards} shard copies initializing and {health.RelocatingShards} relocating";
        return null;
    }

    /// <summary>The shards whose primary is on the node and whose replicas are not all started: restarting the node leaves them one copy short.</summary>
    public static IReadOnlyList<(string Index, int Shard)> ExposedShards(string node, IReadOnlyList<EsShard> shards)
    {
        // One pass for the shards short of a replica, then one over the node's primaries (100,000 copies: no scan per primary).
        var shortOfReplica = new HashSet<(string, int)>(shards.Where(r => !r.Primary && r.State != ShardState.Started).Select(r => (r.Index, r.Shard)));
        return shards.Where(s => s.Primary && s.Node == node && shortOfReplica.Contains((s.Index, s.Shard))).Select(p => (p.Index, p.Shard)).ToList();
    }

    /// <summary>
    /// What an unassigned replica's allocation explanation means mid-upgrade (ECK asks explain, not versions):
    /// held back by version — the expected yellow, replicas of a primary on an upgraded node have no node of that
    /// version to go to; wait — shard data being fetched, throttled, delayed, or allocatable; blocked — a decider
    /// that no restart will change (disk, filters, retry limit, an index or cluster enable setting), with its words
    /// and the remedy.
    /// </summary>
    public static (ReplicaVerdict Verdict, string Reason) Judge(AllocationExplanation e)
    {
        var copy = $"{e.Index}[{e.Shard}] {(e.Primary ? "primary" : "replica")}";
        switch (e.CanAllocate)
        {
            case "awaiting_info":
                return (ReplicaVerdict.Wait, $"{copy}: shard data is still being fetched");
            case "throttled":
                return (ReplicaVerdict.Wait, $"{copy}: allocation throttled (recoveries in progress)");
            case "allocation_delayed":
                return (ReplicaVerdict.Wait, $"{copy}: waiting for its node to return (delayed allocation)");
            case "no":
                break;
            default:
                return (ReplicaVerdict.Wait, $"{copy}: {e.CanAllocate ?? "no decision yet"}");
        }
        // Node by node: a node whose only objection is its version takes the copy once it is upgraded.
        var byNode = e.Deciders.GroupBy(d => d.Node).ToList();
        if (byNode.Any(n => n.All(d => d.Decider == "node_version")))
            return (ReplicaVerdict.HeldBackByVersion, $"{copy} waits for a node of its primary's version");
        var blocking = e.Deciders.FirstOrDefault(d => Remedy(d.Decider) != null);
        if (blocking != null)
            return (ReplicaVerdict.Blocked, $"{copy} cannot be allocated: [{blocking.Decider}] {blocking.Explanation} ({blocking.Node}). {Remedy(blocking.Decider)}");
        if (e.Deciders.Any(d => d.Decider == "node_version"))
            return (ReplicaVerdict.HeldBackByVersion, $"{copy} waits for a node of its primary's version");
        var first = e.Deciders.FirstOrDefault();
        return (ReplicaVerdict.Blocked, $"{copy} cannot be allocated: " + (first is null ? e.Explanation : $"[{first.Decider}] {first.Explanation} ({first.Node})") +
            ". No node can hold it: add a node to its tier or lower index.number_of_replicas.");
    }

    static string? Remedy(string decider) => decider switch
    {
        "disk_threshold" => "Free disk space on the nodes, or raise cluster.routing.allocation.disk.watermark.*; a flood-stage index keeps index.blocks.read_only_allow_delete until you clear it.",
        "filter" => "Check cluster.routing.allocation.exclude/include/require.* and index.routing.allocation.* (Get-EsClusterSetting cluster.routing.allocation.*).",
        "max_retry" => "Fix the cause of the failed allocations, then run Invoke-EsRequest -Method POST '/_cluster/reroute?retry_failed=true'.",
        "enable" => "An allocation enable setting forbids it: set cluster.routing.allocation.enable (Enable-EsShardAllocation) or index.routing.allocation.enable back to all.",
        _ => null,
    };

    /// <summary>The elected master goes only after every other node runs the target version.</summary>
    public static string? MasterGoesLast(string node, bool plannedAsElectedMaster, IReadOnlyList<EsNode> nodes, string targetVersion)
    {
        if (!plannedAsElectedMaster && nodes.FirstOrDefault(n => n.Name == node)?.IsElectedMaster != true) return null;
        var behind = nodes.Where(n => n.Name != node && n.VersionNumber != targetVersion).Select(n => n.Name).ToList();
        return behind.Count == 0 ? null : $"{node} is the elected master and goes last; not yet upgraded: {string.Join(", ", behind)}";
    }

    /// <summary>Whether 8.x nodes refuse the index: created before the target's oldest readable major version (7.0 for 8.x).</summary>
    public static bool IsIncompatible(EsIndex index, string targetVersion) =>
        index.CreatedVersion != null && index.CreatedVersion.Major < EsVersion.Parse(targetVersion).Major - 1;

    /// <summary>
    /// Before any node restarts: an index created before the target's oldest readable version stops every
    /// upgraded node from starting, and a node that cannot start cannot be rolled back.
    /// </summary>
    public static string? IncompatibleIndices(IReadOnlyList<EsIndex> indices, string targetVersion)
    {
        var ancient = indices.Where(i => IsIncompatible(i, targetVersion)).ToList();
        if (ancient.Count == 0) return null;
        return $"Indices created before {EsVersion.Parse(targetVersion).Major - 1}.0 would stop every {targetVersion} node from starting: " +
            string.Join(", ", ancient.Take(10).Select(i => $"{i.Name} ({i.CreatedVersion})")) + (ancient.Count > 10 ? $" and {ancient.Count - 10} more" : "") + ".";
    }
}

/// <summary>What an unassigned replica's explanation means for the next restart.</summary>
public enum ReplicaVerdict { Wait, HeldBackByVersion, Blocked }
