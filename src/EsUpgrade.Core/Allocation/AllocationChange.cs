using EsUpgrade.Connections;

namespace EsUpgrade.Allocation;

/// <summary>What Disable-EsShardAllocation did and what it found before.</summary>
public sealed class AllocationChange
{
    public EsConnection Connection { get; internal set; } = null!;
    public string Setting => Key;
    public AllocationSetting Previous { get; internal set; } = null!;
    public string Applied { get; internal set; } = "";
    public bool Persistent { get; internal set; }
    internal const string Key = "cluster.routing.allocation.enable";
}
