using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EsUpgrade.Errors;
using EsUpgrade.Indices;

namespace EsUpgrade.Commands;

/// <summary>Shard copies: index, shard, primary or replica, state, node, and why an unassigned copy is unassigned.</summary>
[Cmdlet(VerbsCommon.Get, "EsShard")]
[OutputType(typeof(EsShard))]
public sealed class GetEsShardCommand : EsClusterCmdlet
{
    /// <summary>Index names, aliases or wildcards; from the pipeline, an index's Name or a shard's Index.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(IndexNameCompleter))]
    public string[]? Index { get; set; }

    /// <summary>Only these shard numbers; from the pipeline, a shard's Shard.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int[]? Shard { get; set; }

    [Parameter]
    public ShardState[]? State { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryNarrow(Index, nameof(Index), "index", out var names)) return;
        var shards = Shard;
        WriteErrorOnFailure(() =>
        {
            var lookup = OffPipeline(call => IndexReader.FindShardsAsync(call.Api, names, call.Cancellation));
            WriteLookup(new Lookup<IReadOnlyList<EsShard>>(
                lookup.Found.Where(s => (State is null || State.Contains(s.State)) && (shards is null || shards.Contains(s.Shard))).ToList(), lookup.Missing));
        }, Connection);
    }
}
