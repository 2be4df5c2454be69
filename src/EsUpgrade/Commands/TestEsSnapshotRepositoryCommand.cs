using System.Management.Automation;
using EsUpgrade.Snapshots;

namespace EsUpgrade.Commands;

/// <summary>Asks every master and data node to write and read a test file in the repository; returns the nodes that could.</summary>
[Cmdlet(VerbsDiagnostic.Test, "EsSnapshotRepository")]
[OutputType(typeof(RepositoryVerification))]
public sealed class TestEsSnapshotRepositoryCommand : EsClusterCmdlet
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
            WriteErrorOnFailure(() => WriteObject(OffPipeline(call => SnapshotRepositories.VerifyAsync(call.Api, name, call.Cancellation))), name);
    }
}
