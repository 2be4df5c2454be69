using System;
using System.Collections.Generic;
using EsUpgrade.Inventory;

namespace EsUpgrade.Upgrade;

/// <summary>One node's place in the upgrade, and why it is there.</summary>
public sealed class PlannedNode
{
    public int Position { get; internal set; }
    public string Name { get; internal set; } = "";
    public string Id { get; internal set; } = "";
    public string CurrentVersion { get; internal set; } = "";
    /// <summary>The node's host (as Elasticsearch reports it), for a node action that reaches the machine.</summary>
    public string? Host { get; internal set; }
    public IReadOnlyList<string> Roles { get; internal set; } = Array.Empty<string>();
    public bool IsMasterEligible { get; internal set; }
    public bool IsElectedMaster { get; internal set; }
    public bool IsDataNode { get; internal set; }
    public string Group { get; internal set; } = "";
    public string Reason { get; internal set; } = "";
    public bool AlreadyUpgraded { get; internal set; }
    /// <summary>The batch the node restarts with (-ByZone, -MaxUnavailable); 0 when nodes go one at a time.</summary>
    public int Batch { get; internal set; }
    /// <summary>How long this node is expected to take, and what that rests on (New-EsUpgradePlan).</summary>
    public NodeEstimate? Estimate { get; internal set; }
    public double? EstimatedMinutes => Estimate is null ? (double?)null : Math.Round(Estimate.Total.TotalMinutes, 1);
    /// <summary>The node as Get-EsNode saw it; null for a node that was down when a run resumed.</summary>
    public EsNode? Node { get; internal set; }
    public override string ToString() => $"{Position}. {Name}";

    /// <summary>This node at another position: a resumed run keeps the first run's order.</summary>
    internal PlannedNode At(int position)
    {
        var copy = (PlannedNode)MemberwiseClone();
        copy.Position = position;
        return copy;
    }
}
