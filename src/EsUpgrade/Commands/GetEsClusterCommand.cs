using System.Management.Automation;
using EsUpgrade.Inventory;

namespace EsUpgrade.Commands;

/// <summary>The cluster at a glance: name, health, node counts, versions present, elected master.</summary>
[Cmdlet(VerbsCommon.Get, "EsCluster")]
[OutputType(typeof(EsCluster))]
public sealed class GetEsClusterCommand : EsClusterCmdlet
{
    protected override void ProcessRecord() =>
        WriteErrorOnFailure(() => WriteObject(OffPipeline(call => InventoryReader.GetClusterAsync(call.Api, call.Cancellation))), Connection);
}
