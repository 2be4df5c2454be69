using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Verification;

namespace EsUpgrade.Upgrade;

/// <summary>A store for runs without -StatePath: kept in memory only.</summary>
public sealed class MemoryUpgradeStateStore : IUpgradeStateStore
{
    UpgradeState? state;
    public Task<UpgradeState?> LoadAsync(CancellationToken ct) => Task.FromResult(state);
    public Task SaveAsync(UpgradeState value, CancellationToken ct)
    {
        state = value;
        return Task.CompletedTask;
    }
    public string? ResumeArgument => null;
    public Task<System.IDisposable> HoldAsync(CancellationToken ct) => Task.FromResult<System.IDisposable>(new Nothing());
    public Task<EsClusterBaseline?> LoadBaselineAsync(CancellationToken ct) => Task.FromResult<EsClusterBaseline?>(null);
    public Task<string?> SaveBaselineAsync(EsClusterBaseline baseline, CancellationToken ct) => Task.FromResult<string?>(null);
    sealed class Nothing : System.IDisposable { public void Dispose() { } }
}
