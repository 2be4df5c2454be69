using System;
using System.Collections.Generic;
using System.Linq;
using EsUpgrade.Connections;

namespace EsUpgrade.Upgrade;

/// <summary>The ordered nodes of a rolling upgrade to one target version (New-EsUpgradePlan).</summary>
public sealed class UpgradePlan
{
    public EsConnection Connection { get; internal set; } = null!;
    public string ClusterName { get; internal set; } = "";
    public string ClusterUuid { get; internal set; } = "";
    public string TargetVersion { get; internal set; } = "";
    public IReadOnlyList<PlannedNode> Nodes { get; internal set; } = Array.Empty<PlannedNode>();
    public IReadOnlyList<string> Warnings { get; internal set; } = Array.Empty<string>();
    /// <summary>The nodes restarted together, in order, each with why it is safe; empty when nodes go one at a time.</summary>
    public IReadOnlyList<UpgradeBatch> Batches { get; internal set; } = Array.Empty<UpgradeBatch>();
    /// <summary>The whole upgrade's expected duration, and what it rests on (the table, or an earlier run's measurements).</summary>
    public TimeSpan? EstimatedDuration { get; internal set; }
    public string? EstimateBasis { get; internal set; }
    public override string ToString() => $"{ClusterName} → {TargetVersion}: {string.Join(", ", Nodes.Select(n => n.Name))}";
}
