namespace EsUpgrade.Emulator.Model;

/// <summary>
/// A shard copy's recovery as _cat/recovery and _recovery show it: how far along the clock it is, the bytes copied so far,
/// where from (a node, or a repository and snapshot for a restore) and where to. Call under the cluster's lock.
/// </summary>
public sealed record RecoveryProgress(EmulatedIndex Index, ShardCopy Copy, bool Done, double Fraction, long Recovered, TimeSpan Time, string Stage,
    EmulatedNode? Source, EmulatedNode Target, string? Repository, string? Snapshot)
{
    public static IEnumerable<RecoveryProgress> Of(EmulatedCluster cluster, string? indexExpression, bool activeOnly)
    {
        var now = cluster.Clock.UtcNow;
        foreach (var i in IndexExpression.Resolve(cluster, indexExpression, expand: Expand.All).OrderBy(i => i.Name, StringComparer.Ordinal))
            foreach (var c in i.Copies.Where(c => c.State != ShardState.Unassigned && (!activeOnly || c.State is ShardState.Initializing or ShardState.Relocating)))
            {
                var done = c.State is not (ShardState.Initializing or ShardState.Relocating);
                var span = (c.ReadyAt - c.RecoveryStartedAt).TotalMilliseconds;
                var fraction = done || span <= 0 ? 1.0 : Math.Clamp((now - c.RecoveryStartedAt).TotalMilliseconds / span, 0, 1);
                var restore = c.RecoveryType == "snapshot" && i.RestoreSource != null ? i.RestoreSource.Split(':') : null;
                yield return new RecoveryProgress(i, c, done, fraction, (long)(c.RecoveryBytes * fraction), (done ? c.ReadyAt : now) - c.RecoveryStartedAt,
                    done ? "done" : c.RecoveryBytes > 0 ? "index" : "translog", cluster.NodeById(c.RecoverySourceNodeId), cluster.NodeById(c.RelocatingNodeId ?? c.NodeId)!,
                    restore?[0], restore?[1]);
            }
    }
}
