using System.Collections.Generic;
using System.Linq;
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

    /// <summary>
    /// No primary on the node has replicas that are not started — unless every unassigned copy is a replica
    /// held back by version (<see cref="ReplicasHeldBackByVersion"/>), which no restart of an older node fixes.
    /// </summary>
    public static string? ExposedPrimaries(string node, IReadOnlyList<EsNode> nodes, IReadOnlyList<EsShard> shards)
    {
        var exposed = shards.Where(s => s.Primary && s.Node == node)
            .Where(p => shards.Any(r => !r.Primary && r.Index == p.Index && r.Shard == p.Shard && r.State != ShardState.Started))
            .Select(p => $"{p.Index}[{p.Shard}]").ToList();
        if (exposed.Count == 0 || ReplicasHeldBackByVersion(nodes, shards)) return null;
        return $"primaries {string.Join(", ", exposed.Take(5))} on {node} have replicas that are not started";
    }

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

    /// <summary>Mid-upgrade, replicas of primaries on upgraded nodes cannot go to older nodes: that yellow is expected.</summary>
    public static bool ReplicasHeldBackByVersion(IReadOnlyList<EsNode> nodes, IReadOnlyList<EsShard> shards)
    {
        var versionOf = nodes.ToDictionary(n => n.Name, n => n.Version);
        var oldest = nodes.Where(n => n.IsDataNode).Select(n => n.Version).DefaultIfEmpty().Min();
        var unassigned = shards.Where(s => s.State == ShardState.Unassigned).ToList();
        return unassigned.Count > 0 && unassigned.All(r => !r.Primary && shards.Any(p =>
            p.Primary && p.Index == r.Index && p.Shard == r.Shard && p.Node != null && versionOf.TryGetValue(p.Node, out var v) && v > oldest!));
    }
}
