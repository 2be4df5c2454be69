using System.IO;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Verification;

namespace EsUpgrade.Upgrade;

/// <summary>The rolling upgrade's state in a JSON file, replaced atomically on every save; the baseline beside it.</summary>
public sealed class FileUpgradeStateStore : IUpgradeStateStore
{
    readonly JsonStateFile<UpgradeState> file;

    public FileUpgradeStateStore(string path) => file = new JsonStateFile<UpgradeState>(path);

    public string Path => file.Path;

    public string ResumeArgument => $"-StatePath '{Path}'";

    public Task<UpgradeState?> LoadAsync(CancellationToken ct) => Task.FromResult(file.Load());

    public Task SaveAsync(UpgradeState state, CancellationToken ct)
    {
        file.Save(state);
        return Task.CompletedTask;
    }

    public Task<System.IDisposable> HoldAsync(CancellationToken ct) => Task.FromResult(file.Hold());

    public Task<EsClusterBaseline?> LoadBaselineAsync(CancellationToken ct)
    {
        var path = ClusterBaselines.BesideStateFile(Path);
        return Task.FromResult(File.Exists(path) ? ClusterBaselines.Load(path) : null);
    }

    public Task<string?> SaveBaselineAsync(EsClusterBaseline baseline, CancellationToken ct)
    {
        var path = ClusterBaselines.BesideStateFile(Path);
        ClusterBaselines.Save(baseline, path);
        return Task.FromResult<string?>(path);
    }
}
