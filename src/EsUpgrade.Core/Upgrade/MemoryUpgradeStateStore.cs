namespace EsUpgrade.Upgrade;

/// <summary>A store for runs without -StatePath: kept in memory only.</summary>
public sealed class MemoryUpgradeStateStore : IUpgradeStateStore
{
    UpgradeState? state;
    public UpgradeState? Load() => state;
    public void Save(UpgradeState value) => state = value;
    public string? ResumeArgument => null;
}
