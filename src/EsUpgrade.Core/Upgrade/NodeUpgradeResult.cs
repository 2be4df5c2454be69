using System;
using System.Collections.Generic;
using EsUpgrade.Connections;

namespace EsUpgrade.Upgrade;

/// <summary>One node's outcome (Invoke-EsRollingUpgrade writes one per node).</summary>
public sealed class NodeUpgradeResult
{
    public EsConnection Connection { get; internal set; } = null!;
    public int Position { get; internal set; }
    public string Node { get; internal set; } = "";
    public string FromVersion { get; internal set; } = "";
    public string ToVersion { get; internal set; } = "";
    public NodeUpgradeStatus Status { get; internal set; }
    public DateTimeOffset? Start { get; internal set; }
    public DateTimeOffset? End { get; internal set; }
    public TimeSpan? Duration => Start is null || End is null ? (TimeSpan?)null : End - Start;
    /// <summary><see cref="Duration"/> in seconds, for reports and JSON.</summary>
    public double? DurationSeconds => Duration?.TotalSeconds;
    public IReadOnlyList<UpgradeStep> Steps { get; internal set; } = Array.Empty<UpgradeStep>();
    public string? Error { get; internal set; }
    /// <summary>Upgraded, but not green, and why (say, a disk watermark keeps a replica unassigned).</summary>
    public string? Warning { get; internal set; }
    public override string ToString() => $"{Node}: {Status}";
}
