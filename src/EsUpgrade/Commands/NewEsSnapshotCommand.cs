using System;
using System.Management.Automation;
using EsUpgrade.Snapshots;

namespace EsUpgrade.Commands;

/// <summary>Takes a snapshot; with -Wait follows it to the end, and a PARTIAL or FAILED snapshot is an error.</summary>
[Cmdlet(VerbsCommon.New, "EsSnapshot", SupportsShouldProcess = true)]
[OutputType(typeof(EsSnapshot))]
public sealed class NewEsSnapshotCommand : EsClusterCmdlet
{
    /// <summary>The repository; from the pipeline, a repository's (or a snapshot's) Repository.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RepositoryNameCompleter))]
    public string Repository { get; set; } = "";

    /// <summary>The snapshot's name (lowercase); esupgrade-(date-time) by default.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Only these indices (names, wildcards); every index by default.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(IndexNameCompleter))]
    public string[]? Index { get; set; }

    /// <summary>Include the cluster's global state (persistent settings, templates, ILM policies); $true by default.</summary>
    [Parameter]
    public bool IncludeGlobalState { get; set; } = true;

    /// <summary>System features whose indices the snapshot holds (kibana, security, ...; none for none); all of them by default with the global state.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? FeatureState { get; set; }

    /// <summary>Take what can be taken when some primaries are missing (the snapshot ends PARTIAL) instead of refusing.</summary>
    [Parameter]
    public SwitchParameter Partial { get; set; }

    /// <summary>Wait until the snapshot has ended, with progress.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait, how long to wait (a TimeSpan, or seconds); 2 hours by default.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

    protected override void ProcessRecord()
    {
        WriteErrorOnFailure(() =>
        {
            var name = Name ?? Snapshots.Snapshots.DatedName(DateTimeOffset.UtcNow);
            if (!ShouldProcess($"{TargetConnection.Name}: {Repository}/{name}", "Take a snapshot")) return;
            WriteObject(OffPipeline(async call =>
            {
                var snapshot = await Snapshots.Snapshots.CreateAsync(call.Api, Repository, name, Index, IncludeGlobalState, Partial, call.Cancellation, FeatureState).ConfigureAwait(false);
                return Wait ? await Snapshots.Snapshots.WaitAsync(call.Api, Repository, name, Timeout, call.Cancellation).ConfigureAwait(false) : snapshot;
            }));
        }, Repository);
    }
}
