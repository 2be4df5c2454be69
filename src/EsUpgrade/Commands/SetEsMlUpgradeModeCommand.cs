using System.Management.Automation;
using EsUpgrade.Allocation;
using EsUpgrade.MachineLearning;

namespace EsUpgrade.Commands;

/// <summary>Turns machine learning upgrade mode on or off (jobs and datafeeds pause while nodes restart).</summary>
[Cmdlet(VerbsCommon.Set, "EsMlUpgradeMode", SupportsShouldProcess = true)]
[OutputType(typeof(bool))]
public sealed class SetEsMlUpgradeModeCommand : EsClusterCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public bool Enabled { get; set; }

    protected override void ProcessRecord()
    {
        WriteErrorOnFailure(() =>
        {
            var connection = TargetConnection;
            if (!ShouldProcess(connection.Name, $"Set ML upgrade mode {(Enabled ? "on" : "off")}")) return;
            OffPipeline(call => MlUpgradeMode.SetAsync(call.Api, Enabled, call.Cancellation));
            WriteObject(OffPipeline(call => MlUpgradeMode.GetAsync(call.Api, call.Cancellation)));
        }, Connection);
    }
}
