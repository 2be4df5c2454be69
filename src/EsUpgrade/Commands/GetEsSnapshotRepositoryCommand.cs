using System.Management.Automation;
using EsUpgrade.Snapshots;

namespace EsUpgrade.Commands;

/// <summary>The registered snapshot repositories.</summary>
[Cmdlet(VerbsCommon.Get, "EsSnapshotRepository")]
[OutputType(typeof(EsSnapshotRepository))]
public sealed class GetEsSnapshotRepositoryCommand : EsClusterCmdlet
{
    /// <summary>Repository names or wildcards; from the pipeline, a repository's Name or a snapshot's Repository.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Repository")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RepositoryNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryNarrow(Name, nameof(Name), "snapshot repository", out var names)) return;
        WriteErrorOnFailure(() => WriteLookup(OffPipeline(call => SnapshotRepositories.FindAsync(call.Api, names, call.Cancellation))), Connection);
    }
}
