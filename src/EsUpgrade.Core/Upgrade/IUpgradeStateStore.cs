using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Verification;

namespace EsUpgrade.Upgrade;

/// <summary>
/// Where the rolling upgrade's state lives: a file (<see cref="FileUpgradeStateStore"/>), the cluster itself
/// (<see cref="ClusterUpgradeStateStore"/>, for runs whose disk does not outlive them), or memory. A save leaves the old
/// or the new state, never half.
/// </summary>
public interface IUpgradeStateStore
{
    Task<UpgradeState?> LoadAsync(CancellationToken ct);
    Task SaveAsync(UpgradeState state, CancellationToken ct);
    /// <summary>How a later run finds this state again (say, <c>-StatePath 'C:\x.json'</c>); null when it is not kept beyond this run.</summary>
    string? ResumeArgument { get; }
    /// <summary>Holds the state for this run: a second run on the same state is refused while this one lives.</summary>
    Task<System.IDisposable> HoldAsync(CancellationToken ct);
    /// <summary>What the cluster held before the run, kept with the state; null when none was kept.</summary>
    Task<EsClusterBaseline?> LoadBaselineAsync(CancellationToken ct);
    /// <summary>Keeps the baseline with the state; says where (null when it is not kept).</summary>
    Task<string?> SaveBaselineAsync(EsClusterBaseline baseline, CancellationToken ct);
}
