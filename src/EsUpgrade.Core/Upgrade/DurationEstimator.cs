using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Indices;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Upgrade;

/// <summary>What an estimate is made of, and how long each node is expected to take.</summary>
public sealed class NodeEstimate
{
    public TimeSpan Restart { get; internal set; }
    public TimeSpan Recovery { get; internal set; }
    public TimeSpan Overhead { get; internal set; }
    public TimeSpan Total => Restart + Recovery + Overhead;
    /// <summary>Table (the defaults) or Calibration (measured in an earlier run).</summary>
    public string Basis { get; internal set; } = "";
    public override string ToString() => $"{Total.TotalMinutes:0.0} min ({Basis})";
}

/// <summary>
/// How long a rolling upgrade will take: per node its restart (stop, the node action's install, start and join), the
/// recovery its shard copies need once allocation is back (a flushed idle copy recovers from operations, about a second
/// each, two at a time; the rest copy their files at indices.recovery.max_bytes_per_sec), and the run's own steps. An
/// earlier run's state file (a rehearsal on a test cluster, or the last upgrade) replaces the table's times by the
/// measured ones: each node's own, else the mean of its group, else of all.
/// </summary>
public static class DurationEstimator
{
    /// <summary>The default restart time of a node (README: "Duration estimate").</summary>
    public static readonly TimeSpan DefaultRestart = TimeSpan.FromSeconds(90);
    /// <summary>The run's own steps per node: safety check, allocation off and on, flush, the health and node polls.</summary>
    public static readonly TimeSpan StepOverhead = TimeSpan.FromSeconds(5);
    /// <summary>A peer recovery from operations (a flushed copy coming back): the handshake and the translog phase.</summary>
    public static readonly TimeSpan OpsRecovery = TimeSpan.FromSeconds(1);
    const int ConcurrentRecoveries = 2;    // cluster.routing.allocation.node_concurrent_recoveries

    /// <summary>Gives each node of the plan and the plan itself an estimate; reads the shards and the recovery rate.</summary>
    public static async Task EstimateAsync(EsApi api, UpgradePlan plan, TimeSpan? restart, UpgradeState? calibration, CancellationToken ct, PlanInputs? inputs = null)
    {
        inputs ??= await PlanInputs.ReadAsync(api, ct).ConfigureAwait(false);
        var (shards, settings) = (inputs.Shards, inputs.Settings);
        const string rateKey = "indices.recovery.max_bytes_per_sec";
        var rateText = settings.Prop("transient")?.Str(rateKey) ?? settings.Prop("persistent")?.Str(rateKey) ?? settings.Prop("defaults")?.Str(rateKey) ?? "40mb";
        var rate = ParseBytes(rateText) ?? 40L * 1024 * 1024;
        Estimate(plan, shards, rate, restart, calibration);
    }

    public static void Estimate(UpgradePlan plan, IReadOnlyList<EsShard> shards, long bytesPerSecond, TimeSpan? restart, UpgradeState? calibration)
    {
        var measured = calibration is null ? new Dictionary<string, (TimeSpan Restart, TimeSpan Recovery, TimeSpan Overhead, string Group)>()
            : calibration.Nodes.Where(n => n.StepEndedAt.Count > 0 && n.StartedAt != null).Select(n => (n.Name, Phases: Phases(n)))
                .Where(x => x.Phases != null).ToDictionary(x => x.Name, x => x.Phases!.Value, StringComparer.Ordinal);
        var byNode = shards.Where(s => s.Node != null).ToLookup(s => s.Node!, StringComparer.Ordinal);
        foreach (var node in plan.Nodes)
        {
            if (node.AlreadyUpgraded) { node.Estimate = new NodeEstimate { Basis = "already upgraded" }; continue; }
            var copies = byNode[node.Name].ToList();
            // The copies that leave with the node come back as replicas; a copy written since its flush copies its files.
            var bytes = copies.Sum(c => c.StoreBytes ?? 0);
            var table = new NodeEstimate
            {
                Restart = restart ?? DefaultRestart,
                Recovery = TimeSpan.FromSeconds(Math.Ceiling(copies.Count / (double)ConcurrentRecoveries) * OpsRecovery.TotalSeconds),
                Overhead = StepOverhead,
                Basis = $"table: restart {(restart ?? DefaultRestart).TotalSeconds:0} s; {copies.Count} copies recovering from operations (flushed before the restart)" +
                        $"; {bytes / (1024 * 1024)} MB would take {TimeSpan.FromSeconds(bytes / (double)Math.Max(1, bytesPerSecond)).TotalSeconds:0} s more if written during it",
            };
            if (measured.TryGetValue(node.Name, out var own))
                node.Estimate = new NodeEstimate { Restart = own.Restart, Recovery = own.Recovery, Overhead = own.Overhead, Basis = "calibration: this node's earlier run" };
            else if (measured.Values.Where(m => m.Group == node.Group).ToList() is { Count: > 0 } group)
                node.Estimate = Mean(group, $"calibration: the mean of {group.Count} {node.Group} node(s)");
            else if (measured.Count > 0)
                node.Estimate = Mean(measured.Values.ToList(), $"calibration: the mean of {measured.Count} node(s)");
            else node.Estimate = table;
        }
        plan.EstimatedDuration = TotalOf(plan);
        plan.EstimateBasis = calibration is null
            ? $"the table: {(restart ?? DefaultRestart).TotalSeconds:0} s a restart (-NodeRestartTime), recovery from operations for flushed copies, file copies at {bytesPerSecond / (1024 * 1024)} MB/s; a rehearsal's state file (-Calibration) measures instead"
            : $"the run of {calibration.StartedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} ({measured.Count} nodes measured)";
    }

    /// <summary>
    /// The whole upgrade: the nodes one after the other, but a batch as long as its slowest node (its nodes restart
    /// together, and each recovers its own copies, node_concurrent_recoveries per node).
    /// </summary>
    public static TimeSpan TotalOf(UpgradePlan plan)
    {
        static long Of(PlannedNode n) => n.Estimate?.Total.Ticks ?? 0;
        var batched = plan.Batches.Where(b => b.Nodes.Count > 1).ToList();
        var inBatch = new HashSet<string>(batched.SelectMany(b => b.Nodes).Select(n => n.Name), StringComparer.Ordinal);
        return TimeSpan.FromTicks(plan.Nodes.Where(n => !inBatch.Contains(n.Name)).Sum(Of) + batched.Sum(b => b.Nodes.Max(Of)));
    }

    static NodeEstimate Mean(List<(TimeSpan Restart, TimeSpan Recovery, TimeSpan Overhead, string Group)> xs, string basis) => new NodeEstimate
    {
        Restart = TimeSpan.FromTicks((long)xs.Average(x => x.Restart.Ticks)),
        Recovery = TimeSpan.FromTicks((long)xs.Average(x => x.Recovery.Ticks)),
        Overhead = TimeSpan.FromTicks((long)xs.Average(x => x.Overhead.Ticks)),
        Basis = basis,
    };

    /// <summary>A node's measured phases: restart from the node action's start to its rejoin, recovery from then to health, the rest overhead.</summary>
    static (TimeSpan Restart, TimeSpan Recovery, TimeSpan Overhead, string Group)? Phases(UpgradeState.NodeState n)
    {
        if (!n.StepEndedAt.TryGetValue(UpgradeStep.NodeActionStarted, out var actionStarted) || !n.StepEndedAt.TryGetValue(UpgradeStep.WaitForNode, out var joined)
            || !n.StepEndedAt.TryGetValue(UpgradeStep.WaitForHealth, out var healthy))
            return null;
        var total = healthy - n.StartedAt!.Value;
        var restart = joined - actionStarted;
        var recovery = healthy - joined;
        var overhead = total - restart - recovery;
        return (restart, recovery, overhead < TimeSpan.Zero ? TimeSpan.Zero : overhead, n.Group);
    }

    /// <summary>Elasticsearch's byte sizes: 40mb, 1gb, 512kb, 100b.</summary>
    public static long? ParseBytes(string? text)
    {
        var m = System.Text.RegularExpressions.Regex.Match((text ?? "").Trim().ToLowerInvariant(), @"^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|pb)?$");
        if (!m.Success) return null;
        var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups[2].Value switch { "kb" => 1L << 10, "mb" => 1L << 20, "gb" => 1L << 30, "tb" => 1L << 40, "pb" => 1L << 50, _ => 1L };
        return (long)(n * unit);
    }
}
