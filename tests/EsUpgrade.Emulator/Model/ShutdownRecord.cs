namespace EsUpgrade.Emulator.Model;

/// <summary>A node shutdown registered through the node shutdown API; <see cref="AllocationDelayText"/> is echoed as given ("10m").</summary>
public sealed record ShutdownRecord(string NodeId, string Type, string Reason, string? AllocationDelayText, long StartedMillis)
{
    public TimeSpan? AllocationDelay => AllocationDelayText is null ? null : TimeValue.TryParse(AllocationDelayText);
}
