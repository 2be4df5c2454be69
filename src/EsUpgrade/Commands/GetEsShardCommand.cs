using System.Linq;
using System.Management.Automation;
using EsUpgrade.Indices;

namespace EsUpgrade.Commands;

/// <summary>Shard copies: index, shard, primary or replica, state, node, and why an unassigned copy is unassigned.</summary>
[Cmdlet(VerbsCommon.Get, "EsShard")]
[OutputType(typeof(EsShard))]
public sealed class GetEsShardCommand : EsClusterCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Index { get; set; }

    [Parameter]
    public ShardState[]? State { get; set; }

    protected override void ProcessRecord()
    {
        var expression = Index is null ? null : string.Join(",", Index);
        WriteErrorOnFailure(() =>
        {
            foreach (var shard in OffPipeline(call => IndexReader.GetShardsAsync(call.Api, expression, call.Cancellation))
                .Where(s => State is null || State.Contains(s.State)))
                WriteObject(shard);
        }, Connection);
    }
}
