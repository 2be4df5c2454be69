using System.Linq;
using System.Management.Automation;
using EsUpgrade.Assessment;
using EsUpgrade.Errors;
using EsUpgrade.Verification;

namespace EsUpgrade.Commands;

/// <summary>
/// Whether the upgrade left the cluster whole: one object per check (Pass, Warning, Fail) with the detail and the remedy —
/// every node on the target version, health, and against a baseline every index, document and alias; with -Quiet,
/// $true when nothing failed.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "EsUpgradeResult")]
[OutputType(typeof(UpgradeResultCheck))]
[OutputType(typeof(bool))]
public sealed class TestEsUpgradeResultCommand : EsClusterCmdlet
{
    /// <summary>The release every node must run: 8.19.0.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string TargetVersion { get; set; } = "";

    /// <summary>The baseline taken before the change: a file Export-EsClusterBaseline wrote, or its object.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNull]
    public object? Baseline { get; set; }

    /// <summary>Return only $true when no check failed, else $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord() =>
        WriteErrorOnFailure(() =>
        {
            var target = ReadinessChecker.ParseTarget(TargetVersion, minimumMajor: 7);    // a 7.x-to-7.17 upgrade is checked too
            var given = Baseline is PSObject ps ? ps.BaseObject : Baseline;
            var baseline = given switch
            {
                null => null,
                EsClusterBaseline b => b,
                System.IO.FileInfo f => ClusterBaselines.Load(f.FullName),
                // The baseline a rolling upgrade with its state in the cluster kept there.
                _ when Upgrade.ClusterUpgradeStateStore.NameIn(given.ToString()) is string inCluster =>
                    OffPipeline(call => new Upgrade.ClusterUpgradeStateStore(call.Api, inCluster).LoadBaselineAsync(call.Cancellation))
                    ?? throw new EsException(EsErrorKind.NotFound, ErrorIds.InvalidBaseline, $"There is no baseline '{given}' in the cluster: a rolling upgrade with -StatePath '{given}' keeps one there when it starts.", given.ToString()),
                var other => ClusterBaselines.Load(GetUnresolvedProviderPathFromPSPath(other.ToString()!)),
            };
            var checks = OffPipeline(call => UpgradeResultChecker.RunAsync(call.Api, target, baseline, call.Cancellation));
            if (Quiet) WriteObject(checks.All(c => c.Status != ReadinessStatus.Fail));
            else foreach (var c in checks) WriteObject(c);
        }, Connection);
}
