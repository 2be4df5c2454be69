using System;
using System.Management.Automation;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Migration;

namespace EsUpgrade.Commands;

/// <summary>
/// Copies an index's documents into another index of this cluster, or from another cluster (-SourceConnection, reindex
/// from remote with that connection's address and credentials), as a task followed with progress; resumable by task id;
/// counts compared at the end.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "EsReindex", SupportsShouldProcess = true)]
[OutputType(typeof(EsReindexResult))]
public sealed class InvokeEsReindexCommand : EsClusterCmdlet
{
    /// <summary>The index to read (in -SourceConnection's cluster when given).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = "";

    /// <summary>The index to write in this cluster (-Connection); created by Elasticsearch when missing, with default settings.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>The cluster to read from; this cluster must list its host:port in reindex.remote.whitelist.</summary>
    [Parameter]
    public EsConnection? SourceConnection { get; set; }

    /// <summary>Slices copying in parallel (local only): 0 for one per shard (auto).</summary>
    [Parameter]
    [ValidateRange(0, 1024)]
    public int Slices { get; set; } = 1;

    /// <summary>Follow a reindex task started earlier (its id, node:number) instead of starting one: a resume.</summary>
    [Parameter]
    [ValidatePattern(@"^[^:\s]+:\d+$")]
    public string? TaskId { get; set; }

    /// <summary>How long the copy may run (a TimeSpan, or seconds); 6 hours by default.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(6);

    protected override void ProcessRecord()
    {
        WriteErrorOnFailure(() =>
        {
            var target = TargetConnection;
            if (SourceConnection != null && SourceConnection.ClusterUuid == target.ClusterUuid) SourceConnection = null;
            if (SourceConnection != null && Slices != 1)
                throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.ReindexFailed, "Elasticsearch does not slice a reindex from a remote cluster: leave -Slices out.", Source);
            var from = SourceConnection is null ? Source : $"{SourceConnection.Name}:{Source}";
            if (TaskId is null && !ShouldProcess($"{target.Name}: {Destination}", $"Copy the documents of {from} into it")) return;
            var options = new ReindexOptions { Source = Source, Destination = Destination, Remote = SourceConnection, Slices = Slices, TaskId = TaskId, Timeout = Timeout };
            WriteObject(OffPipeline(call => Reindex.RunAsync(call.Api, options, call.Cancellation)));
        }, Source);
    }
}
