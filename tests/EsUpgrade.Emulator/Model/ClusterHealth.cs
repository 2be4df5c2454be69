namespace EsUpgrade.Emulator.Model;

/// <summary>
/// Cluster health as ClusterStateHealth computes it, over every index or those an expression names:
/// the worst index status, node counts and shard-copy counts. _cluster/health and _cat/health render it.
/// </summary>
public sealed record ClusterHealth(string Status, int Nodes, int DataNodes, int ActivePrimaries, int Active, int Relocating, int Initializing,
    int Unassigned, int UnassignedPrimaries, int Delayed, int InFlightFetch, double ActivePercent, bool IndexFound, IReadOnlyList<EmulatedIndex> Indices)
{
    public static readonly string[] StatusOrder = { "green", "yellow", "red" };

    /// <summary>True when <paramref name="status"/> is at least as good as <paramref name="wanted"/> (green ≥ yellow ≥ red).</summary>
    public static bool AtLeast(string status, string wanted) => Array.IndexOf(StatusOrder, status) <= Array.IndexOf(StatusOrder, wanted);

    /// <summary>The health now. An expression that names no index is red with <see cref="IndexFound"/> false. Call under the cluster's lock.</summary>
    public static ClusterHealth Compute(EmulatedCluster cluster, string? indexExpression = null)
    {
        // ClusterHealthRequest expands to every index, hidden and closed ones too (IndicesOptions.lenientExpandHidden).
        var indices = IndexExpression.Resolve(cluster, indexExpression, ignoreUnavailable: true, Expand.All);
        var found = IndexExpression.IsAll(indexExpression) || indices.Count > 0;
        var copies = indices.SelectMany(i => i.Copies).ToList();
        var status = !found ? "red" : indices.Select(i => i.Health).DefaultIfEmpty("green").OrderBy(h => -Array.IndexOf(StatusOrder, h)).First();
        var active = copies.Count(c => c.IsActive);
        return new ClusterHealth(
            status,
            cluster.RunningNodes.Count(),
            cluster.RunningNodes.Count(n => n.IsDataNode),
            copies.Count(c => c.Primary && c.IsActive),
            active,
            copies.Count(c => c.State == ShardState.Relocating),
            copies.Count(c => c.State == ShardState.Initializing),
            copies.Count(c => c.State == ShardState.Unassigned),
            copies.Count(c => c.Primary && c.State == ShardState.Unassigned),
            copies.Count(c => c.IsDelayed(cluster.Clock.UtcNow)),
            copies.Count(c => c.IsFetching),
            copies.Count == 0 ? 100.0 : Math.Round(100.0 * active / copies.Count, 1),
            found,
            indices);
    }
}
