using System.Management.Automation;
using EsUpgrade.Snapshots;

namespace EsUpgrade.Commands;

/// <summary>Unregisters a snapshot repository; its files (and snapshots) stay where they are.</summary>
[Cmdlet(VerbsLifecycle.Unregister, "EsSnapshotRepository", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class UnregisterEsSnapshotRepositoryCommand : EsClusterCmdlet
{
    /// <summary>The repository; from the pipeline, a repository's Name or a snapshot's Repository.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Repository")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RepositoryNameCompleter))]
    public string[] Name { get; set; } = null!;

    protected override void ProcessRecord()
    {
        if (!TryNarrow(Name, nameof(Name), "snapshot repository", out var names) || names is null) return;
        foreach (var name in names)
            WriteErrorOnFailure(() =>
            {
                if (!ShouldProcess($"{TargetConnection.Name}: {name}", "Unregister the snapshot repository (its files stay)")) return;
                OffPipeline(call => SnapshotRepositories.UnregisterAsync(call.Api, name, call.Cancellation));
            }, name);
    }
}
