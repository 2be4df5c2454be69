using System.Management.Automation;
using EsUpgrade.Inventory;
using EsUpgrade.Upgrade;

namespace EsUpgrade.Commands
{
    /// <summary>The order in which a rolling upgrade takes the nodes, with the reason for each position.</summary>
    [Cmdlet(VerbsCommon.New, "EsUpgradePlan")]
    [OutputType(typeof(UpgradePlan))]
    public sealed class NewEsUpgradePlanCommand : EsClusterCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string TargetVersion { get; set; } = "";

        protected override void ProcessRecord()
        {
            TryRun(() =>
            {
                var plan = Run(async (log, ct) =>
                {
                    var api = Api(log);
                    var nodes = await InventoryReader.GetNodesAsync(api, null, ct).ConfigureAwait(false);
                    return UpgradePlanner.Plan(api.Connection, nodes, TargetVersion);
                });
                foreach (var warning in plan.Warnings) WriteWarning(warning);
                WriteObject(plan);
            }, TargetVersion);
        }
    }
}
