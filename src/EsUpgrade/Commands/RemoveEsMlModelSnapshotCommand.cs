using System.Management.Automation;
using EsUpgrade.Fixes;

namespace EsUpgrade.Commands;

/// <summary>Deletes an ML model snapshot (not the job's active one, which Elasticsearch refuses to delete).</summary>
[Cmdlet(VerbsCommon.Remove, "EsMlModelSnapshot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ModelSnapshotChange))]
public sealed class RemoveEsMlModelSnapshotCommand : EsClusterCmdlet
{
    /// <summary>The anomaly-detection job.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string JobId { get; set; } = "";

    /// <summary>The model snapshot.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string SnapshotId { get; set; } = "";

    protected override void ProcessRecord()
    {
        WriteErrorOnFailure(() =>
        {
            if (!ShouldProcess($"{TargetConnection.Name}: model snapshot {SnapshotId} of job {JobId}", "Delete")) return;
            WriteObject(OffPipeline(call => ModelSnapshots.DeleteAsync(call.Api, JobId, SnapshotId, call.Cancellation)));
        }, $"{JobId}/{SnapshotId}");
    }
}
