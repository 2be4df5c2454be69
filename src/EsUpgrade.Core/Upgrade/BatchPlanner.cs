using System;
using System.Collections.Generic;
using System.Linq;
using EsUpgrade.Errors;
using EsUpgrade.Indices;

namespace EsUpgrade.Upgrade;

/// <summary>A set of nodes restarted together, and why that is safe.</summary>
public sealed class UpgradeBatch
{
    public int Number { get; internal set; }
    public IReadOnlyList<PlannedNode> Nodes { get; internal set; } = Array.Empty<PlannedNode>();
    /// <summary>The zone the batch is (-ByZone), or null.</summary>
    public string? Zone { get; internal set; }
    public string Why { get; internal set; } = "";
    public override string ToString() => $"{Number}. {string.Join(", ", Nodes.Select(n => n.Name))}{(Zone is null ? "" : $" (zone {Zone})")}";
}

/// <summary>How the data nodes may be batched: by the value of a zone attribute, or up to N at a time.</summary>
public sealed class BatchOptions
{
    /// <summary>Batch by zone (-ByZone): the data nodes with one value of <see cref="ZoneAttribute"/> together.</summary>
    public bool ByZone { get; set; }
    /// <summary>The node attribute that names a node's zone; by default the cluster's first awareness attribute.</summary>
    public string? ZoneAttribute { get; set; }
    /// <summary>At most this many data nodes down at once when not by zone.</summary>
    public int MaxUnavailable { get; set; } = 1;
    /// <summary>Nodes a batch cannot take safely go one at a time instead of refusing the plan.</summary>
    public bool FallbackToSerial { get; set; }
}

/// <summary>
/// Groups the nodes of a plan into batches restarted together, as Elastic's guidance allows for a whole availability
/// zone when awareness gives every shard a copy in another zone, and as ECK does within a budget. Rules: master-eligible
/// nodes stay one at a time (never two down, never the quorum at risk), in the plan's order, the elected master last;
/// data nodes are batched only within their tier, in the tier order; a batch is safe when every shard with a copy on one
/// of its nodes keeps a started copy on a node outside it. A batch that cannot be made safe is refused with the shards
/// that make it so, unless <see cref="BatchOptions.FallbackToSerial"/> puts its nodes one at a time.
/// </summary>
public static class BatchPlanner
{
    public static IReadOnlyList<UpgradeBatch> Plan(IReadOnlyList<PlannedNode> nodes, IReadOnlyList<EsShard> shards, BatchOptions options)
    {
        var (copies, onNode) = (Copies(shards), OnNode(shards));
        var batches = new List<UpgradeBatch>();
        var refusals = new List<string>();

        string? Unsafe(IReadOnlyCollection<PlannedNode> batch) => Exposed(new HashSet<string>(batch.Select(n => n.Name), StringComparer.Ordinal), copies, onNode);

        void Add(IReadOnlyList<PlannedNode> members, string? zone, string why) =>
            batches.Add(new UpgradeBatch { Number = batches.Count + 1, Nodes = members, Zone = zone, Why = why });

        foreach (var group in Runs(nodes))
        {
            if (group[0].IsMasterEligible || !group[0].IsDataNode)
            {
                foreach (var n in group) Add(new[] { n }, null, n.IsMasterEligible ? "master-eligible: one at a time" : "not a data node: one at a time");
                continue;
            }
            if (options.ByZone && options.ZoneAttribute is string attribute)
            {
                foreach (var zone in group.GroupBy(n => n.Node?.Attributes.TryGetValue(attribute, out var v) == true ? v : null).OrderBy(z => z.Key, StringComparer.Ordinal))
                {
                    var members = zone.ToList();
                    if (zone.Key is null)
                    {
                        foreach (var n in members) Add(new[] { n }, null, $"no {attribute} attribute: one at a time");
                        continue;
                    }
                    var problem = Unsafe(members);
                    if (problem is null)
                        Add(members, zone.Key, $"{group[0].Group}, {attribute} {zone.Key}: every shard on these nodes has a started copy in another {attribute}");
                    else if (options.FallbackToSerial)
                        foreach (var n in members) Add(new[] { n }, zone.Key, $"{attribute} {zone.Key} cannot go down together ({problem}): one at a time");
                    else
                        refusals.Add($"{attribute} {zone.Key} of the {group[0].Group} ({string.Join(", ", members.Select(m => m.Name))}): {problem}");
                }
                continue;
            }
            var current = new List<PlannedNode>();
            foreach (var n in group)
            {
                if (current.Count < Math.Max(1, options.MaxUnavailable) && Unsafe(current.Append(n).ToList()) is null)
                {
                    current.Add(n);
                    continue;
                }
                if (current.Count > 0) Add(current, null, Why(current, group[0].Group));
                current = new List<PlannedNode> { n };
                if (Unsafe(current) is string alone && !options.FallbackToSerial)
                    refusals.Add($"{n.Name}: {alone}");
            }
            if (current.Count > 0) Add(current, null, Why(current, group[0].Group));
        }
        if (refusals.Count > 0)
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.BatchUnsafe,
                "These nodes cannot be restarted together safely: " + string.Join(" | ", refusals) +
                ". Add replicas (or spread them across zones), or pass -FallbackToSerial to take these nodes one at a time.", nodes.FirstOrDefault()?.Name);
        return batches;
    }

    /// <summary>Why these nodes cannot go down together: the shards left with no started copy outside them; null when none.</summary>
    public static string? Exposed(ISet<string> names, IReadOnlyList<EsShard> shards) => Exposed(names, Copies(shards), OnNode(shards));

    /// <summary>The assigned copies of each shard.</summary>
    static Dictionary<(string Index, int Shard), List<EsShard>> Copies(IReadOnlyList<EsShard> shards) =>
        shards.Where(s => s.Node != null).GroupBy(s => (s.Index, s.Shard)).ToDictionary(g => g.Key, g => g.ToList());

    /// <summary>The shards each node holds a copy of.</summary>
    static Dictionary<string, List<(string Index, int Shard)>> OnNode(IReadOnlyList<EsShard> shards) =>
        shards.Where(s => s.Node != null).GroupBy(s => s.Node!).ToDictionary(g => g.Key, g => g.Select(s => (s.Index, s.Shard)).Distinct().ToList(), StringComparer.Ordinal);

    static string? Exposed(ISet<string> names, Dictionary<(string Index, int Shard), List<EsShard>> copies, Dictionary<string, List<(string Index, int Shard)>> onNode)
    {
        var lost = names.SelectMany(n => onNode.TryGetValue(n, out var held) ? held : new List<(string, int)>()).Distinct()
            .Where(key => !copies[key].Any(c => (c.State == ShardState.Started || c.State == ShardState.Relocating) && !names.Contains(c.Node!)))
            .OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2).ToList();
        if (lost.Count == 0) return null;
        var byIndex = lost.GroupBy(k => k.Item1).Select(g => $"{g.Key} [{string.Join(",", g.Select(k => k.Item2))}]");
        // One pass over the copies (not one per index: a refusal may name thousands of indices at 100,000 copies).
        var lostIndices = new HashSet<string>(lost.Select(k => k.Item1), StringComparer.Ordinal);
        var noReplicas = copies.Where(c => lostIndices.Contains(c.Key.Item1)).GroupBy(c => c.Key.Item1)
            .Where(g => g.All(c => c.Value.Count == 1)).Select(g => g.Key).OrderBy(i => i, StringComparer.Ordinal).ToList();
        return $"{lost.Count} shard(s) would have no started copy outside it: {string.Join("; ", byIndex.Take(10))}{(lost.Count > 10 ? "; ..." : "")}" +
            (noReplicas.Count > 0 ? $" ({string.Join(", ", noReplicas)} has no replicas)" : " (their copies are all on these nodes)");
    }

    static string Why(IReadOnlyCollection<PlannedNode> batch, string group) => batch.Count == 1
        ? $"{group}: alone"
        : $"{group}: every shard on these {batch.Count} nodes has a started copy on another node";

    /// <summary>The plan's nodes in order, cut where the kind changes (a tier, the masters), so that no batch mixes kinds or breaks the order.</summary>
    static IEnumerable<List<PlannedNode>> Runs(IReadOnlyList<PlannedNode> nodes)
    {
        var run = new List<PlannedNode>();
        foreach (var n in nodes.Where(n => !n.AlreadyUpgraded))
        {
            if (run.Count > 0 && (run[0].Group != n.Group || run[0].IsMasterEligible != n.IsMasterEligible))
            {
                yield return run;
                run = new List<PlannedNode>();
            }
            run.Add(n);
        }
        if (run.Count > 0) yield return run;
    }
}
