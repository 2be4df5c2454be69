using System.Management.Automation;
using EsUpgrade.Allocation;
using EsUpgrade.Indices;

namespace EsUpgrade.Commands;

/// <summary>Flushes indices, so that shard copies recover quickly after a restart.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "EsFlush", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FlushResult))]
public sealed class InvokeEsFlushCommand : EsClusterCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Index { get; set; }

    /// <summary>7.x synced flush (deprecated, removed in 8.0).</summary>
    [Parameter]
    public SwitchParameter Synced { get; set; }

    protected override void ProcessRecord()
    {
        var index = Index is null ? null : string.Join(",", Index);
        WriteErrorOnFailure(() =>
        {
            var connection = TargetConnection;
            if (!ShouldProcess($"{connection.Name}: {index ?? "all indices"}", Synced ? "Synced flush" : "Flush")) return;
            WriteObject(OffPipeline(call => Flusher.FlushAsync(call.Api, index, Synced, call.Cancellation)));
        }, Connection);
    }
}
