using System.Management.Automation;
using EsUpgrade.Allocation;

namespace EsUpgrade.Commands;

/// <summary>Puts shard allocation back: to what Disable-EsShardAllocation found, or to the default (all).</summary>
[Cmdlet(VerbsLifecycle.Enable, "EsShardAllocation", SupportsShouldProcess = true)]
[OutputType(typeof(AllocationSetting))]
public sealed class EnableEsShardAllocationCommand : EsClusterCmdlet
{
    /// <summary>Reset both scopes to the default (all) instead of restoring the remembered value.</summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    protected override void ProcessRecord()
    {
        WriteErrorOnFailure(() =>
        {
            var connection = TargetConnection;
            if (!ShouldProcess(connection.Name, "Restore cluster.routing.allocation.enable")) return;
            var remembered = Default ? null : AllocationMemory.Take(connection);
            var target = remembered ?? new AllocationSetting(null, null);
            if (remembered is null && !Default)
                WriteVerbose("No earlier Disable-EsShardAllocation in this session: resetting allocation to its default (all).");
            OffPipeline(call => ShardAllocation.RestoreAsync(call.Api, target, call.Cancellation));
            WriteObject(OffPipeline(call => ShardAllocation.GetAsync(call.Api, call.Cancellation)));
        }, Connection);
    }
}
