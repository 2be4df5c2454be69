using System.Management.Automation;
using EsUpgrade.Allocation;
using EsUpgrade.Indices;

namespace EsUpgrade.Commands;

/// <summary>Flushes indices, so that shard copies recover quickly after a restart.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "EsFlush", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FlushResult))]
public sealed class InvokeEsFlushCommand : EsClusterCmdlet
{
    /// <summary>Index names, aliases or wildcards; all indices when none. From the pipeline, an index's Name or a shard's Index.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(IndexNameCompleter))]
    public string[]? Index { get; set; }

    /// <summary>7.x synced flush (deprecated, removed in 8.0).</summary>
    [Parameter]
    public SwitchParameter Synced { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryNarrow(Index, nameof(Index), "index", out var names)) return;
        WriteErrorOnFailure(() =>
        {
            var connection = TargetConnection;
            if (!ShouldProcess($"{connection.Name}: {(names is null ? "all indices" : string.Join(", ", names))}", Synced ? "Synced flush" : "Flush")) return;
            WriteLookup(OffPipeline(call => Flusher.FlushIndicesAsync(call.Api, names, Synced, call.Cancellation)));
        }, Connection);
    }
}
