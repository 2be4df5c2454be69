using System.Management.Automation;
using EsUpgrade.Snapshots;

namespace EsUpgrade.Commands;

/// <summary>The snapshots in a repository (in every repository when none is given).</summary>
[Cmdlet(VerbsCommon.Get, "EsSnapshot")]
[OutputType(typeof(EsSnapshot))]
public sealed class GetEsSnapshotCommand : EsClusterCmdlet
{
    /// <summary>The repository; from the pipeline, a repository's or a snapshot's Repository.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RepositoryNameCompleter))]
    public string? Repository { get; set; }

    /// <summary>Snapshot names or wildcards; from the pipeline, a snapshot's Name.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SnapshotNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryNarrow(Name, nameof(Name), "snapshot", out var narrowed)) return;
        WriteErrorOnFailure(() => WriteLookup(OffPipeline(call => Snapshots.Snapshots.FindAsync(call.Api, Repository, narrowed, call.Cancellation))), Repository);
    }
}
