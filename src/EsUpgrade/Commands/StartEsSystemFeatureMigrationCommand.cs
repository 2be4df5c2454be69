using System;
using System.Management.Automation;
using EsUpgrade.Fixes;

namespace EsUpgrade.Commands;

/// <summary>Starts migrating the system indices that need it (POST _migration/system_features); -Wait follows it to the end.</summary>
[Cmdlet(VerbsLifecycle.Start, "EsSystemFeatureMigration", SupportsShouldProcess = true)]
[OutputType(typeof(EsSystemFeature))]
public sealed class StartEsSystemFeatureMigrationCommand : EsClusterCmdlet
{
    /// <summary>Wait until no feature is in progress, with progress; a feature that ends in ERROR is an error naming its index and cause.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait, how long to wait (a TimeSpan, or seconds); 60 minutes by default.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(60);

    protected override void ProcessRecord()
    {
        WriteErrorOnFailure(() =>
        {
            if (!ShouldProcess(TargetConnection.Name, "Migrate the system features that need it")) return;
            foreach (var f in OffPipeline(call => SystemFeatures.MigrateAsync(call.Api, Wait, Timeout, call.Cancellation))) WriteObject(f);
        }, Connection);
    }
}
