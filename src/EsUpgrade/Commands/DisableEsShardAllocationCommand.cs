using System.Management.Automation;
using EsUpgrade.Allocation;

namespace EsUpgrade.Commands;

/// <summary>Restricts shard allocation (primaries only by default) before restarting a node; remembers what it was.</summary>
[Cmdlet(VerbsLifecycle.Disable, "EsShardAllocation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AllocationChange))]
public sealed class DisableEsShardAllocationCommand : EsClusterCmdlet
{
    [Parameter(Position = 0)]
    [ValidateSet("Primaries", "NewPrimaries", "None", IgnoreCase = true)]
    public string Mode { get; set; } = "Primaries";

    /// <summary>Set it transiently (lost on a full cluster restart). Elastic advises persistent settings.</summary>
    [Parameter]
    public SwitchParameter Transient { get; set; }

    protected override void ProcessRecord()
    {
        var mode = (AllocationMode)System.Enum.Parse(typeof(AllocationMode), Mode, ignoreCase: true);
        WriteErrorOnFailure(() =>
        {
            var connection = TargetConnection;
            if (!ShouldProcess(connection.Name, $"Set cluster.routing.allocation.enable to {ShardAllocation.ModeValue(mode)}")) return;
            var change = OffPipeline(call => ShardAllocation.DisableAsync(call.Api, mode, !Transient, call.Cancellation));
            AllocationMemory.Remember(connection, change.Previous);
            WriteObject(change);
        }, Connection);
    }
}
