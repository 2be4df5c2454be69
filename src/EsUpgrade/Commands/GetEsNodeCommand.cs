using System.Linq;
using System.Management.Automation;
using EsUpgrade.Inventory;

namespace EsUpgrade.Commands;

/// <summary>The cluster's nodes: version, roles, data tiers, addresses, master eligibility, plugins.</summary>
[Cmdlet(VerbsCommon.Get, "EsNode")]
[OutputType(typeof(EsNode))]
public sealed class GetEsNodeCommand : EsClusterCmdlet
{
    /// <summary>Node names, ids or wildcards; also Elasticsearch node selectors such as _master.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only nodes with one of these roles.</summary>
    [Parameter]
    [ValidateSet("master", "data", "data_content", "data_hot", "data_warm", "data_cold", "data_frozen", "ingest", "ml",
        "remote_cluster_client", "transform", "voting_only", IgnoreCase = true)]
    public string[]? Role { get; set; }

    protected override void ProcessRecord()
    {
        var selector = Name is null ? null : string.Join(",", Name);
        WriteErrorOnFailure(() =>
        {
            var nodes = OffPipeline(call => InventoryReader.GetNodesAsync(call.Api, selector, call.Cancellation));
            foreach (var node in nodes.Where(n => Role is null || Role.Any(r => n.Roles.Contains(r.ToLowerInvariant()))))
                WriteObject(node);
        }, Connection);
    }
}
