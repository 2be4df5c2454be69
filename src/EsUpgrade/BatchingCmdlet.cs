using System.Management.Automation;
using EsUpgrade.Errors;
using EsUpgrade.Upgrade;

namespace EsUpgrade.Commands;

/// <summary>The cmdlets that plan a rolling upgrade: how many nodes may restart together (-ByZone, -MaxUnavailable).</summary>
public abstract class BatchingCmdlet : EsClusterCmdlet
{
    /// <summary>Restart the data nodes of one zone together (within a tier, zone by zone); masters stay one at a time.</summary>
    [Parameter]
    public SwitchParameter ByZone { get; set; }

    /// <summary>The node attribute naming a node's zone; by default the cluster's first shard allocation awareness attribute.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ZoneAttribute { get; set; }

    /// <summary>Restart up to this many data nodes together, as long as every shard keeps a started copy outside them.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int MaxUnavailable { get; set; } = 1;

    /// <summary>Nodes that cannot restart together safely go one at a time instead of refusing the plan.</summary>
    [Parameter]
    public SwitchParameter FallbackToSerial { get; set; }

    /// <summary>What was asked for; null for one node at a time.</summary>
    protected BatchOptions? Batching()
    {
        if (ByZone && MyInvocation.BoundParameters.ContainsKey(nameof(MaxUnavailable)))
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.ConflictingBatchOptions,
                "Give -ByZone (a zone's data nodes together) or -MaxUnavailable (up to N data nodes together), not both.", MaxUnavailable);
        if (ZoneAttribute != null && !ByZone)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.ConflictingBatchOptions, "-ZoneAttribute goes with -ByZone.", ZoneAttribute);
        if (!ByZone && MaxUnavailable <= 1) return null;
        return new BatchOptions { ByZone = ByZone, ZoneAttribute = ZoneAttribute, MaxUnavailable = MaxUnavailable, FallbackToSerial = FallbackToSerial };
    }
}
