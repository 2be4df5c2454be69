using System.Management.Automation;
using EsUpgrade.Snapshots;

namespace EsUpgrade.Commands;

/// <summary>Deletes a snapshot (the files of what no other snapshot shares go with it).</summary>
[Cmdlet(VerbsCommon.Remove, "EsSnapshot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveEsSnapshotCommand : EsClusterCmdlet
{
    /// <summary>The snapshot; from the pipeline, a snapshot's Name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SnapshotNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>The repository; from the pipeline, a snapshot's Repository. When omitted, the one repository that holds the snapshot.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RepositoryNameCompleter))]
    public string? Repository { get; set; }

    protected override void ProcessRecord() =>
        WriteErrorOnFailure(() =>
        {
            var repository = OffPipeline(call => Snapshots.Snapshots.RepositoryOfAsync(call.Api, Repository, Name, call.Cancellation));
            if (!ShouldProcess($"{TargetConnection.Name}: {repository}/{Name}", "Delete the snapshot")) return;
            OffPipeline(call => Snapshots.Snapshots.DeleteAsync(call.Api, repository, Name, call.Cancellation));
        }, Name);
}
