using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EsUpgrade.Errors;
using EsUpgrade.Inventory;

namespace EsUpgrade.Commands;

/// <summary>The cluster's nodes: version, roles, data tiers, addresses, master eligibility, plugins.</summary>
[Cmdlet(VerbsCommon.Get, "EsNode")]
[OutputType(typeof(EsNode))]
public sealed class GetEsNodeCommand : EsClusterCmdlet
{
    /// <summary>Node names, ids or wildcards; also Elasticsearch node selectors such as _master.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Node")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only nodes with one of these roles.</summary>
    [Parameter]
    [ValidateSet("master", "data", "data_content", "data_hot", "data_warm", "data_cold", "data_frozen", "ingest", "ml",
        "remote_cluster_client", "transform", "voting_only", IgnoreCase = true)]
    public string[]? Role { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryNarrow(Name, nameof(Name), "node", out var names)) return;
        WriteErrorOnFailure(() =>
        {
            var lookup = OffPipeline(call => InventoryReader.FindNodesAsync(call.Api, names, call.Cancellation));
            WriteLookup(new Lookup<IReadOnlyList<EsNode>>(
                lookup.Found.Where(n => Role is null || Role.Any(r => n.Roles.Contains(r.ToLowerInvariant()))).ToList(), lookup.Missing));
        }, Connection);
    }
}
