using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using EsUpgrade.Assessment;
using EsUpgrade.Errors;
using EsUpgrade.Reports;

namespace EsUpgrade.Commands;

/// <summary>
/// Writes the assessment as one self-contained HTML page (for the change request; prints well) or as JSON: from the
/// objects piped in, or, with none, by running the readiness checks and the deprecation checks for -TargetVersion.
/// </summary>
[Cmdlet(VerbsData.Export, "EsUpgradeReport", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportEsUpgradeReportCommand : EsCmdlet
{
    readonly List<ReportItem> items = new List<ReportItem>();
    EsUpgrade.Connections.EsConnection? target;

    /// <summary>The file to write: .html (or .htm) for the page, .json for machines.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Objects of the assessment: readiness checks, deprecations, node configuration findings, clients, deprecation log groups.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>With no input: the release the checks are run for, in full (8.19.0).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TargetVersion { get; set; }

    /// <summary>With no input: the cluster to check; the session's current connection by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public EsUpgrade.Connections.EsConnection? Connection { get; set; }

    /// <summary>The page's heading; "Upgrade readiness of (cluster)" by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Title { get; set; }

    /// <summary>A rolling upgrade's state file, or cluster:NAME: the page draws each node's timeline (the run's steps, restart, recovery).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>Overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override EsUpgrade.Connections.EsConnection? CallConnection => target;

    readonly Dictionary<string, TimeSpan> estimates = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    protected override void ProcessRecord()
    {
        if (InputObject?.BaseObject is not object value) return;
        foreach (var one in value is object[] array ? array : new[] { value })
        {
            if ((one is PSObject wrapped ? wrapped.BaseObject : one) is Upgrade.UpgradePlan plan)
                foreach (var node in plan.Nodes.Where(n => n.Estimate != null)) estimates[node.Name] = node.Estimate!.Total;
            var item = UpgradeReport.ItemOf(one is PSObject ps ? ps.BaseObject : one);
            if (item is null)
                WriteError(ToErrorRecord(new EsException(EsErrorKind.InvalidArgument, ErrorIds.UnsupportedReportInput,
                    $"A {one.GetType().Name} is not part of a report: pipe the objects of Test-EsUpgradeReadiness, Test-EsDeprecation, Test-EsNodeConfiguration, Get-EsClient, Get-EsDeprecationLog, New-EsUpgradePlan, Invoke-EsRollingUpgrade, Test-EsUpgradeResult, Invoke-EsSnapshotMigration or Compare-EsCluster.", one)));
            else items.Add(item);
        }
    }

    protected override void EndProcessing()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        WriteErrorOnFailure(() =>
        {
            UpgradeReport.IsJson(path);    // the extension is checked before any work
            RefuseToOverwrite(path, Force);
            Upgrade.UpgradeState? state = null;
            if (Upgrade.ClusterUpgradeStateStore.NameIn(StatePath) is string inCluster)
            {
                target ??= EsUpgrade.Connections.ConnectionRegistry.Session.Resolve(Connection);
                state = OffPipeline(call => new Upgrade.ClusterUpgradeStateStore(call.Api, inCluster).LoadAsync(call.Cancellation))
                    ?? throw new EsException(EsErrorKind.NotFound, ErrorIds.InvalidStateFile, $"There is no upgrade state '{StatePath}' in the cluster.", StatePath);
            }
            else if (StatePath != null)
            {
                var statePath = GetUnresolvedProviderPathFromPSPath(StatePath);
                state = new Upgrade.JsonStateFile<Upgrade.UpgradeState>(statePath).Load()
                    ?? throw new EsException(EsErrorKind.NotFound, ErrorIds.InvalidStateFile, $"There is no state file '{statePath}'.", statePath);
            }
            if (items.Count == 0 && MyInvocation.ExpectingInput)
                throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.NothingToReport,
                    "Nothing reportable came down the pipeline (did the command before it fail?): no report is written, rather than an empty one that would read as ready.", Path);
            if (items.Count == 0)
            {
                if (TargetVersion is null)
                    throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.UnsupportedTargetVersion,
                        "With nothing piped in, the report runs the readiness checks: give -TargetVersion (such as 8.19.0), or pipe Test-EsUpgradeReadiness and the other assessment cmdlets into it.", Path);
                target = EsUpgrade.Connections.ConnectionRegistry.Session.Resolve(Connection);
                var version = ReadinessChecker.ParseTarget(TargetVersion);
                var (checks, deprecations) = OffPipeline(call => ReadinessChecker.RunWithFindingsAsync(call.Api, new ReadinessOptions { TargetVersion = version }, call.Cancellation));
                items.AddRange(checks.Select(c => UpgradeReport.ItemOf(c)!));
                items.AddRange(deprecations.Select(d => UpgradeReport.ItemOf(d)!));
                Title ??= $"Upgrade readiness of {target.ClusterName} for {version}";
            }
            if (!ShouldProcess(path, $"Write a report of {items.Count} items")) return;
            var cluster = items.Select(i => i.Cluster).FirstOrDefault(c => c != null);
            UpgradeReport.Write(path, items, Title ?? (cluster is null ? "Elasticsearch upgrade assessment" : $"Upgrade assessment of {cluster}"), DateTimeOffset.UtcNow, state, estimates);
            WriteObject(new FileInfo(path));
        }, Path);
    }
}
