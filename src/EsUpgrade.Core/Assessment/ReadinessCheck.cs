using System;
using System.Collections.Generic;
using EsUpgrade.Connections;

namespace EsUpgrade.Assessment;

public enum ReadinessStatus { Pass, Warning, Fail }

/// <summary>One readiness check: whether the cluster can go to the target today on this count, and what to do first.</summary>
public sealed class ReadinessCheck
{
    public EsConnection? Connection { get; internal set; }
    /// <summary>The check's stable name, e.g. <c>RecentSnapshot</c>.</summary>
    public string Name { get; internal set; } = "";
    public ReadinessStatus Status { get; internal set; }
    public string Detail { get; internal set; } = "";
    /// <summary>What to do, when the check did not pass.</summary>
    public string? Remedy { get; internal set; }
    public string? Url { get; internal set; }
    /// <summary>The things at fault: nodes, indices, settings, clients.</summary>
    public IReadOnlyList<string> Affected { get; internal set; } = Array.Empty<string>();
    public override string ToString() => $"{Status} {Name}: {Detail}";
}
