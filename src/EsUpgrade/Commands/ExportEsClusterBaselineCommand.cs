using System.Management.Automation;
using EsUpgrade.Errors;
using EsUpgrade.Verification;

namespace EsUpgrade.Commands;

/// <summary>
/// Writes what the cluster holds now — versions, nodes, health, indices with document counts and aliases, templates,
/// ILM policies, cluster settings — as JSON, for Test-EsUpgradeResult to check against after the change.
/// </summary>
[Cmdlet(VerbsData.Export, "EsClusterBaseline", SupportsShouldProcess = true)]
[OutputType(typeof(EsClusterBaseline))]
public sealed class ExportEsClusterBaselineCommand : EsClusterCmdlet
{
    /// <summary>The JSON file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() =>
        WriteErrorOnFailure(() =>
        {
            var path = GetUnresolvedProviderPathFromPSPath(Path);
            RefuseToOverwrite(path, Force);
            if (!ShouldProcess(path, $"Write the baseline of {TargetConnection.Name}")) return;
            var baseline = OffPipeline(call => ClusterBaselines.TakeAsync(call.Api, call.Cancellation));
            ClusterBaselines.Save(baseline, path);
            WriteObject(baseline);
        }, Path);
}
