using System;
using System.Management.Automation;
using EsUpgrade.Upgrade;

namespace EsUpgrade.Commands;

/// <summary>The order in which a rolling upgrade takes the nodes, with the reason for each position, and the nodes that restart together.</summary>
[Cmdlet(VerbsCommon.New, "EsUpgradePlan")]
[OutputType(typeof(UpgradePlan))]
public sealed class NewEsUpgradePlanCommand : BatchingCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string TargetVersion { get; set; } = "";

    /// <summary>How long one node takes from stop to rejoin, install included (a TimeSpan, or seconds); 90 seconds by default.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan? NodeRestartTime { get; set; }

    /// <summary>The state file of an earlier run (a rehearsal on a test cluster, or the last upgrade): its measured times replace the table's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Calibration { get; set; }

    protected override void ProcessRecord()
    {
        WriteErrorOnFailure(() =>
        {
            UpgradeState? calibration = null;
            if (Calibration != null)
            {
                var path = GetUnresolvedProviderPathFromPSPath(Calibration);
                calibration = new JsonStateFile<UpgradeState>(path).Load()
                    ?? throw new Errors.EsException(Errors.EsErrorKind.NotFound, Errors.ErrorIds.InvalidStateFile, $"There is no state file '{path}' to calibrate the estimate with.", path);
            }
            var batching = Batching();
            var plan = OffPipeline(async call =>
            {
                // The shards and settings read once, for the batches and the estimate.
                var inputs = await PlanInputs.ReadAsync(call.Api, call.Cancellation).ConfigureAwait(false);
                var made = await UpgradePlanner.PlanAsync(call.Api, TargetVersion, call.Cancellation, batching, inputs).ConfigureAwait(false);
                await DurationEstimator.EstimateAsync(call.Api, made, NodeRestartTime, calibration, call.Cancellation, inputs).ConfigureAwait(false);
                return made;
            });
            foreach (var warning in plan.Warnings) WriteWarning(warning);
            WriteObject(plan);
        }, TargetVersion);
    }
}
