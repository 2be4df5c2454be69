using System.Management.Automation;
using EsUpgrade.Fixes;

namespace EsUpgrade.Commands;

/// <summary>Upgrades an ML model snapshot to the running version (the model snapshot upgrade API, 7.16+).</summary>
[Cmdlet(VerbsData.Update, "EsMlModelSnapshot", SupportsShouldProcess = true)]
[OutputType(typeof(ModelSnapshotChange))]
public sealed class UpdateEsMlModelSnapshotCommand : EsClusterCmdlet
{
    /// <summary>The anomaly-detection job.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string JobId { get; set; } = "";

    /// <summary>The model snapshot.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string SnapshotId { get; set; } = "";

    /// <summary>Wait until the upgrade has completed.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override void ProcessRecord()
    {
        WriteErrorOnFailure(() =>
        {
            if (!ShouldProcess($"{TargetConnection.Name}: model snapshot {SnapshotId} of job {JobId}", "Upgrade")) return;
            WriteObject(OffPipeline(call => ModelSnapshots.UpgradeAsync(call.Api, JobId, SnapshotId, Wait, call.Cancellation)));
        }, $"{JobId}/{SnapshotId}");
    }
}
