using System;
using System.Linq;
using System.Management.Automation;
using EsUpgrade.Assessment;

namespace EsUpgrade.Commands;

/// <summary>
/// Whether the cluster can go to the target version today: one object per check (Pass, Warning, Fail) with the
/// reason, the remedy and a link; with -Quiet, just $true (nothing failed) or $false.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "EsUpgradeReadiness")]
[OutputType(typeof(ReadinessCheck))]
[OutputType(typeof(bool))]
public sealed class TestEsUpgradeReadinessCommand : EsClusterCmdlet
{
    /// <summary>The release to go to, in full: 8.19.0.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string TargetVersion { get; set; } = "";

    /// <summary>How old the newest SUCCESS snapshot may be (a TimeSpan, or seconds); 24 hours by default.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan MaxSnapshotAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A release table (JSON, {"newest": {"7.17": "7.17.29"}}) in place of the one shipped with the module.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReleaseTable { get; set; }

    /// <summary>Return only $true when no check failed, else $false: for scripts and runbooks.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        WriteErrorOnFailure(() =>
        {
            var options = new ReadinessOptions { TargetVersion = ReadinessChecker.ParseTarget(TargetVersion), MaxSnapshotAge = MaxSnapshotAge };
            if (ReleaseTable != null)
            {
                var path = GetUnresolvedProviderPathFromPSPath(ReleaseTable);
                if (!System.IO.File.Exists(path))
                    throw new Errors.EsException(Errors.EsErrorKind.NotFound, Errors.ErrorIds.InvalidReleaseTable, $"There is no release table '{path}'.", path);
                options.Releases = Assessment.ReleaseTable.Parse(Errors.Files.Guard(path, () => System.IO.File.ReadAllText(path)), path);
            }
            var checks = OffPipeline(call => ReadinessChecker.RunAsync(call.Api, options, call.Cancellation));
            if (Quiet) WriteObject(checks.All(c => c.Status != ReadinessStatus.Fail));
            else foreach (var c in checks) WriteObject(c);
        }, Connection);
    }
}
