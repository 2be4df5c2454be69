using System;
using System.Linq;
using System.Management.Automation;
using EsUpgrade.Connections;
using EsUpgrade.Migration;

namespace EsUpgrade.Commands;

/// <summary>
/// The new-cluster route from 7.x to 8.x in one command: snapshot the source, restore into the destination what it can
/// read, reindex from the source what it cannot, compare; one result per index. Checkpointed: a second run with the same
/// -StatePath resumes, and a run after the end checks again.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "EsSnapshotMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(EsMigratedIndex))]
public sealed class InvokeEsSnapshotMigrationCommand : EsCmdlet
{
    /// <summary>The 7.x cluster.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public EsConnection Source { get; set; } = null!;

    /// <summary>The new 8.x cluster.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public EsConnection Destination { get; set; } = null!;

    /// <summary>The source's snapshot repository; the destination must reach the same storage (it is registered there read-only when missing).</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RepositoryNameCompleter))]
    public string Repository { get; set; } = "";

    /// <summary>The snapshot's name; esupgrade-(date-time) by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SnapshotName { get; set; }

    /// <summary>Only these indices (names, wildcards); every regular index by default.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(IndexNameCompleter))]
    public string[]? Index { get; set; }

    /// <summary>The checkpoint file; by default one per pair of clusters in the user's local application data. In Azure Automation, a path on storage that outlives the sandbox.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>The state file of an earlier migration (a rehearsal): its measured rates make the estimate -WhatIf shows.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Calibration { get; set; }

    /// <summary>How long each long step (snapshot, restore, each reindex) may run (a TimeSpan, or seconds); 12 hours by default.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(12);

    protected override void ProcessRecord() =>
        StopOnFailure(() =>
        {
            SnapshotMigration.CheckClusters(Source, Destination);
            var options = new MigrationOptions
            {
                Repository = Repository, Snapshot = SnapshotName, Index = Index, Timeout = Timeout,
                StatePath = StatePath is null ? SnapshotMigration.DefaultStatePath(Source, Destination) : GetUnresolvedProviderPathFromPSPath(StatePath),
            };
            var resuming = System.IO.File.Exists(options.StatePath);
            System.Collections.Generic.IReadOnlyList<MigrationPlanItem>? plan = null;
            if (!resuming)
            {
                plan = OffPipeline(call => SnapshotMigration.PlanAsync(new EsApi(Source, call.Log), new EsApi(Destination, call.Log), options, call.Cancellation));
                var rates = Calibration is null ? new MigrationRates()
                    : new Upgrade.JsonStateFile<MigrationState>(GetUnresolvedProviderPathFromPSPath(Calibration)).Load()?.Measured
                      ?? throw new Errors.EsException(Errors.EsErrorKind.InvalidArgument, Errors.ErrorIds.InvalidStateFile, $"'{Calibration}' is no migration state file with measured rates (a run that took its snapshot writes them).", Calibration);
                var total = SnapshotMigration.Estimate(plan, rates);
                var approved = ShouldProcess($"{Source.Name} -> {Destination.Name}",
                    $"Migrate {plan.Count} indices through a snapshot in {Repository}: about {total.TotalMinutes:0.#} min ({rates.Basis})");
                foreach (var item in plan)
                    approved &= ShouldProcess($"{Source.Name} -> {Destination.Name}: {item.Index}",
                        item.Route == MigrationRoute.Restore ? $"Restore from a snapshot in {Repository} ({item.Documents} documents, ~{item.Estimate.TotalSeconds:0} s)"
                            : $"Reindex from {Source.Name} ({item.Reason}; {item.Documents} documents, ~{item.Estimate.TotalSeconds:0} s)");
                if (!approved) return;
            }
            else if (!ShouldProcess($"{Source.Name} -> {Destination.Name}", $"Resume the migration recorded in {options.StatePath}")) return;
            var results = OffPipeline(call => SnapshotMigration.RunAsync(new EsApi(Source, call.Log), new EsApi(Destination, call.Log), options, call.Cancellation, plan));
            foreach (var r in results)
            {
                if (r.Status != "Complete") WriteWarning($"[{r.Index}] {r.Status}: {r.DestinationDocuments} of {r.SourceDocuments} documents in {Destination.Name}, aliases [{string.Join(", ", r.Aliases)}].");
                WriteObject(r);
            }
        }, Destination);
}
