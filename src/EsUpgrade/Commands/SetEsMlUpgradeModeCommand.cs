using System.Management.Automation;
using EsUpgrade.Allocation;

namespace EsUpgrade.Commands
{
    /// <summary>Turns machine learning upgrade mode on or off (jobs and datafeeds pause while nodes restart).</summary>
    [Cmdlet(VerbsCommon.Set, "EsMlUpgradeMode", SupportsShouldProcess = true)]
    [OutputType(typeof(bool))]
    public sealed class SetEsMlUpgradeModeCommand : EsClusterCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public bool Enabled { get; set; }

        protected override void ProcessRecord()
        {
            TryRun(() =>
            {
                var connection = ResolveConnection(Connection);
                if (!ShouldProcess(connection.Name, $"Set ML upgrade mode {(Enabled ? "on" : "off")}")) return;
                Run((log, ct) => ClusterOperations.SetMlUpgradeModeAsync(Api(log), Enabled, ct));
                WriteObject(Run((log, ct) => ClusterOperations.GetMlUpgradeModeAsync(Api(log), ct)));
            }, Connection);
        }
    }
}
