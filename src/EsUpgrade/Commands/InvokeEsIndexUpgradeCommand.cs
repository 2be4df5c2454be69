using System;
using System.Management.Automation;
using EsUpgrade.Fixes;

namespace EsUpgrade.Commands;

/// <summary>
/// Reindexes an index created before 7.0 into a new index, moves its aliases and gives its name to the new index as
/// an alias, so readers and writers keep working; resumable after an interruption, and verified by document count.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "EsIndexUpgrade", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(IndexUpgradeResult))]
public sealed class InvokeEsIndexUpgradeCommand : EsClusterCmdlet
{
    /// <summary>The indices to reindex; from the pipeline, names, an index's Name or a shard's Index.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(IndexNameCompleter))]
    public string[] Index { get; set; } = null!;

    /// <summary>The new index's name (one index only); reindexed-v8-(name) by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NewName { get; set; }

    /// <summary>Keep the old index, read-only, and make no alias of its name.</summary>
    [Parameter]
    public SwitchParameter KeepSource { get; set; }

    /// <summary>Reindex even an index the running major reads as it is.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The checkpoint file (one index only); by default one per cluster and index in the user's local application data.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>How long the reindex may run (a TimeSpan, or seconds); 24 hours by default.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(24);

    protected override void ProcessRecord()
    {
        if (!TryNarrow(Index, nameof(Index), "index", out var names) || names is null) return;
        foreach (var index in names)
        {
            WriteErrorOnFailure(() =>
            {
                var connection = TargetConnection;
                if ((NewName != null || StatePath != null) && names.Length > 1)
                    throw new Errors.EsException(Errors.EsErrorKind.InvalidArgument, Errors.ErrorIds.IndexUpgradeFailed, "-NewName and -StatePath name one index: give one -Index with them.", index);
                var newName = NewName ?? "reindexed-v8-" + index;
                if (!ShouldProcess($"{connection.Name}: {index}", KeepSource ? $"Reindex into {newName} and move its aliases; keep {index} read-only"
                                                                            : $"Reindex into {newName}, move its aliases, delete {index} and make its name an alias of {newName}"))
                    return;
                var options = new IndexUpgradeOptions
                {
                    NewName = NewName, KeepSource = KeepSource, Force = Force, Timeout = Timeout,
                    StatePath = StatePath is null ? IndexUpgrader.DefaultStatePath(connection.ClusterUuid, index) : GetUnresolvedProviderPathFromPSPath(StatePath),
                };
                WriteObject(OffPipeline(call => IndexUpgrader.RunAsync(call.Api, index, options, call.Cancellation)));
            }, index);
        }
    }
}
