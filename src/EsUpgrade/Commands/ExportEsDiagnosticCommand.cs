using System.Management.Automation;
using EsUpgrade.Errors;
using EsUpgrade.Monitoring;

namespace EsUpgrade.Commands;

/// <summary>
/// Writes a zip of the API outputs support asks for (cluster and node info and stats, health, settings, allocation
/// explain, shards, recovery, tasks, deprecations, ...), secrets removed, one file per API plus a manifest; an API that
/// fails is listed, not fatal.
/// </summary>
[Cmdlet(VerbsData.Export, "EsDiagnostic", SupportsShouldProcess = true)]
[OutputType(typeof(EsDiagnosticBundle))]
public sealed class ExportEsDiagnosticCommand : EsClusterCmdlet
{
    /// <summary>The zip file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>A rolling upgrade's state file to include.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() =>
        WriteErrorOnFailure(() =>
        {
            var path = GetUnresolvedProviderPathFromPSPath(Path);
            RefuseToOverwrite(path, Force);
            if (!ShouldProcess(path, $"Write the diagnostics of {TargetConnection.Name}")) return;
            var state = StatePath is null ? null : GetUnresolvedProviderPathFromPSPath(StatePath);
            var bundle = OffPipeline(call => DiagnosticCollector.CollectAsync(call.Api, path, state, call.Cancellation));
            foreach (var failed in bundle.Entries)
                if (failed.Status != "Ok") WriteVerbose($"{failed.Path}: {failed.Error}");
            WriteObject(bundle);
        }, Path);
}
