using System.Management.Automation;
using EsUpgrade.Monitoring;

namespace EsUpgrade.Commands;

/// <summary>Each node's load as _nodes/stats shows it: heap, CPU, load average, disk, open HTTP connections, documents.</summary>
[Cmdlet(VerbsCommon.Get, "EsNodeStats")]
[OutputType(typeof(EsNodeStats))]
public sealed class GetEsNodeStatsCommand : EsClusterCmdlet
{
    /// <summary>Node names or wildcards; every node by default. From the pipeline: a node's Name (or a shard's Node).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Node")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryNarrow(Name, nameof(Name), "node", out var names)) return;
        WriteErrorOnFailure(() => WriteLookup(OffPipeline(call => StatsReader.FindNodesAsync(call.Api, names, call.Cancellation))), Connection);
    }
}
