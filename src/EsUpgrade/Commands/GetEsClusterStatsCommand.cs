using System.Management.Automation;
using EsUpgrade.Monitoring;

namespace EsUpgrade.Commands;

/// <summary>The cluster summed up by _cluster/stats: nodes and their versions, indices, shards, documents, store, heap, disk.</summary>
[Cmdlet(VerbsCommon.Get, "EsClusterStats")]
[OutputType(typeof(EsClusterStats))]
public sealed class GetEsClusterStatsCommand : EsClusterCmdlet
{
    protected override void ProcessRecord() =>
        WriteErrorOnFailure(() => WriteObject(OffPipeline(call => StatsReader.GetClusterAsync(call.Api, call.Cancellation))), Connection);
}
