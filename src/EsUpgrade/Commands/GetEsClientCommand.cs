using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EsUpgrade.Assessment;
using EsUpgrade.Errors;
using EsUpgrade.Inventory;

namespace EsUpgrade.Commands;

/// <summary>
/// The HTTP clients each node has seen (Elasticsearch 7.13+): product and version from the user agent, and whether
/// each works with 8.x, and why.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EsClient")]
[OutputType(typeof(EsClient))]
public sealed class GetEsClientCommand : EsClusterCmdlet
{
    /// <summary>Only the clients of these nodes (names, ids, wildcards); from the pipeline, a node's Name or a shard's Node.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Node { get; set; }

    /// <summary>Only clients judged so.</summary>
    [Parameter]
    public ClientCompatibility[]? Compatibility { get; set; }

    /// <summary>The major version to judge against: 8 by default (the cluster's own major on 8.x and later).</summary>
    [Parameter]
    [ValidateRange(8, 99)]
    public int TargetMajor { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryNarrow(Node, nameof(Node), "node", out var names)) return;
        WriteErrorOnFailure(() =>
        {
            var (clients, missing) = OffPipeline(async call =>
            {
                string? selector = null;
                IReadOnlyList<EsException> notFound = System.Array.Empty<EsException>();
                if (names != null)
                {
                    var nodes = await InventoryReader.FindNodesAsync(call.Api, names, call.Cancellation).ConfigureAwait(false);
                    notFound = nodes.Missing;
                    if (nodes.Found.Count == 0) return ((IReadOnlyList<EsClient>)new List<EsClient>(), notFound);
                    selector = string.Join(",", nodes.Found.Select(n => n.Id));
                }
                var major = TargetMajor > 0 ? TargetMajor : System.Math.Max(8, call.Api.Connection.MajorVersion);
                return (await ClientReader.ReadAsync(call.Api, selector, major, call.Cancellation).ConfigureAwait(false), notFound);
            });
            WriteLookup(new Lookup<IReadOnlyList<EsClient>>(clients.Where(c => Compatibility is null || Compatibility.Contains(c.Compatibility)).ToList(), missing));
        }, Connection);
    }
}
