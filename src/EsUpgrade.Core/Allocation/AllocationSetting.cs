namespace EsUpgrade.Allocation;

/// <summary>cluster.routing.allocation.enable as set in each scope; null means not set there.</summary>
public sealed class AllocationSetting
{
    public AllocationSetting(string? persistent, string? transient)
    {
        Persistent = persistent;
        Transient = transient;
    }

    public string? Persistent { get; }
    public string? Transient { get; }
    /// <summary>What the cluster does: transient over persistent over the default, all; lower-case (Elasticsearch takes any case).</summary>
    public string Effective => (Transient ?? Persistent ?? "all").ToLowerInvariant();
    public override string ToString() => $"persistent={Persistent ?? "(unset)"}, transient={Transient ?? "(unset)"}";
}
