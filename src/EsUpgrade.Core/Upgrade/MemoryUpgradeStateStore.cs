namespace EsUpgrade.Upgrade;

/// <summary>A store for runs without -StatePath: kept in memory only.</summary>
public sealed class MemoryUpgradeStateStore : IUpgradeStateStore
{
    UpgradeState? state;
    public UpgradeState? Load() => state;
    public void Save(UpgradeState value) => state = value;
    public string? ResumeArgument => null;
    public System.IDisposable Hold() => new Nothing();
    sealed class Nothing : System.IDisposable { public void Dispose() { } }
}
