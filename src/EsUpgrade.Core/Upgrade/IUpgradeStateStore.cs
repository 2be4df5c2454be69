namespace EsUpgrade.Upgrade;

/// <summary>Where the state lives. The file store replaces the file atomically, so a crash leaves the old or the new state, never half.</summary>
public interface IUpgradeStateStore
{
    UpgradeState? Load();
    void Save(UpgradeState state);
    /// <summary>How a later run finds this state again (say, <c>-StatePath 'C:\x.json'</c>); null when it is not kept beyond this run.</summary>
    string? ResumeArgument { get; }
    /// <summary>Holds the state for this run: a second run on the same state is refused while this one lives.</summary>
    System.IDisposable Hold();
}
