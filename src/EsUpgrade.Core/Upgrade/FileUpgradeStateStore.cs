namespace EsUpgrade.Upgrade;

/// <summary>The rolling upgrade's state in a JSON file, replaced atomically on every save.</summary>
public sealed class FileUpgradeStateStore : IUpgradeStateStore
{
    readonly JsonStateFile<UpgradeState> file;

    public FileUpgradeStateStore(string path) => file = new JsonStateFile<UpgradeState>(path);

    public string Path => file.Path;

    public string ResumeArgument => $"-StatePath '{Path}'";

    public UpgradeState? Load() => file.Load();

    public void Save(UpgradeState state) => file.Save(state);

    public System.IDisposable Hold() => file.Hold();
}
