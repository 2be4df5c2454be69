using System;
using System.Management.Automation;
using EsUpgrade.Snapshots;

namespace EsUpgrade.Commands;

/// <summary>Waits until a snapshot has ended; a PARTIAL or FAILED snapshot is an error naming the failed shards.</summary>
[Cmdlet(VerbsLifecycle.Wait, "EsSnapshot")]
[OutputType(typeof(EsSnapshot))]
public sealed class WaitEsSnapshotCommand : EsClusterCmdlet
{
    /// <summary>The snapshot; from the pipeline, a snapshot's Name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SnapshotNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>The repository; from the pipeline, a snapshot's Repository. When omitted, the one repository that holds the snapshot.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RepositoryNameCompleter))]
    public string? Repository { get; set; }

    /// <summary>How long to wait (a TimeSpan, or seconds); 2 hours by default.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

    protected override void ProcessRecord() =>
        StopOnFailure(() => WriteObject(OffPipeline(async call =>
            await Snapshots.Snapshots.WaitAsync(call.Api, await Snapshots.Snapshots.RepositoryOfAsync(call.Api, Repository, Name, call.Cancellation).ConfigureAwait(false), Name, Timeout, call.Cancellation).ConfigureAwait(false))), Name);
}
