using System.Management.Automation;
using EsUpgrade.Upgrade;

namespace EsUpgrade.Commands;

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
        WriteErrorOnFailure(() =>
        {
            var plan = OffPipeline(call => UpgradePlanner.PlanAsync(call.Api, TargetVersion, call.Cancellation));
            foreach (var warning in plan.Warnings) WriteWarning(warning);
            WriteObject(plan);
        }, TargetVersion);
    }
}
