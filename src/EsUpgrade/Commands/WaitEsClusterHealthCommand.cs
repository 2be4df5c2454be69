using System;
using System.Management.Automation;
using EsUpgrade.Health;

namespace EsUpgrade.Commands;

/// <summary>
/// Waits until the cluster reaches a health condition, with Elasticsearch's own long poll (it answers
/// the moment the condition holds), showing progress; returns the health or fails with a timeout.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "EsClusterHealth")]
[OutputType(typeof(EsClusterHealth))]
public sealed class WaitEsClusterHealthCommand : EsClusterCmdlet
{
    [Parameter(Position = 0)]
    public HealthStatus? Status { get; set; }

    [Parameter]
    public SwitchParameter NoInitializingShards { get; set; }

    [Parameter]
    public SwitchParameter NoRelocatingShards { get; set; }

    /// <summary>Elasticsearch's wait_for_nodes: 5, ">=5", "ge(5)", "<3", ...</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NodeCount { get; set; }

    /// <summary>Index names, aliases or wildcards; from the pipeline, an index's Name or an index health's Index.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(IndexNameCompleter))]
    public string[]? Index { get; set; }

    [Parameter]
    public HealthLevel Level { get; set; } = HealthLevel.Cluster;

    /// <summary>A TimeSpan, "hh:mm:ss", or seconds. Default 10 minutes.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    protected override void ProcessRecord()
    {
        var condition = new HealthCondition
        {
            Status = Status,
            NoInitializingShards = NoInitializingShards,
            NoRelocatingShards = NoRelocatingShards,
            NodeCount = NodeCount,
        };
        if (!TryNarrow(Index, nameof(Index), "index", out var names)) return;
        if (names != null) condition.Index = string.Join(",", names);
        // A wait that times out means the cluster is not ready: scripts must not go on as if it were.
        StopOnFailure(() => WriteObject(OffPipeline(async call =>
        {
            if (names != null) await HealthReader.RequireIndicesAsync(call.Api, names, call.Cancellation).ConfigureAwait(false);
            return await HealthReader.WaitAsync(call.Api, condition, Level, Timeout, call.Cancellation).ConfigureAwait(false);
        })), Connection);
    }
}
