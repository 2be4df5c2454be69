using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EsUpgrade.Assessment;
using EsUpgrade.Errors;
using EsUpgrade.NodeConfiguration;

namespace EsUpgrade.Reports;

/// <summary>How much a report item stands in the way, worst first.</summary>
public enum ReportSeverity { Blocker = 0, Warning = 1, Info = 2, Pass = 3 }

/// <summary>One line of a report, whatever it came from: a readiness check, a deprecation, a configuration finding, a client, a log group.</summary>
public sealed class ReportItem
{
    public ReportSeverity Severity { get; set; }
    public string Kind { get; set; } = "";
    public string Title { get; set; } = "";
    public string? Resource { get; set; }
    public string? Detail { get; set; }
    public string? Remedy { get; set; }
    public string? Url { get; set; }
    public string? Cluster { get; set; }
}

/// <summary>
/// The change-request page: one self-contained HTML file (no external assets, readable printed, worst first, each
/// item with its link) or JSON for machines, from the objects the assessment cmdlets write.
/// </summary>
public static class UpgradeReport
{
    /// <summary>A report item for an object of the assessment, or null for an object that is none.</summary>
    public static ReportItem? ItemOf(object value) => value switch
    {
        ReadinessCheck c => new ReportItem
        {
            Severity = c.Status switch { ReadinessStatus.Fail => ReportSeverity.Blocker, ReadinessStatus.Warning => ReportSeverity.Warning, _ => ReportSeverity.Pass },
            Kind = "Readiness", Title = c.Name, Detail = c.Detail + (c.Affected.Count > 0 ? " Affected: " + string.Join(", ", c.Affected.Take(20)) + (c.Affected.Count > 20 ? $" and {c.Affected.Count - 20} more" : "") : ""),
            Remedy = c.Remedy, Url = c.Url, Cluster = c.Connection?.ClusterName,
        },
        EsDeprecation d => new ReportItem
        {
            Severity = d.Level switch { DeprecationLevel.Critical => ReportSeverity.Blocker, DeprecationLevel.Warning => ReportSeverity.Warning, _ => ReportSeverity.Info },
            Kind = "Deprecation (" + d.Category + (d.Source == FindingSource.EsUpgrade ? ", EsUpgrade" : "") + ")", Title = d.Message, Resource = d.Resource,
            Detail = d.Details, Remedy = d.Remedy, Url = d.Url, Cluster = d.Connection?.ClusterName,
        },
        NodeConfigFinding f => new ReportItem
        {
            Severity = f.Level switch { DeprecationLevel.Critical => ReportSeverity.Blocker, DeprecationLevel.Warning => ReportSeverity.Warning, _ => ReportSeverity.Info },
            Kind = "Node configuration", Title = f.Setting, Resource = f.Line > 0 ? $"{f.File}:{f.Line}" : f.File, Detail = f.Message,
            Remedy = f.Replacement is null ? null : "Write " + f.Replacement + (f.Fix != ConfigFix.None ? " (Convert-EsNodeConfiguration does)" : ""), Url = f.Url,
        },
        EsClient c => new ReportItem
        {
            Severity = c.Compatibility switch { ClientCompatibility.Incompatible => ReportSeverity.Blocker, ClientCompatibility.CompatibilityMode => ReportSeverity.Warning, ClientCompatibility.Unknown => ReportSeverity.Info, _ => ReportSeverity.Pass },
            Kind = "Client", Title = $"{c.Product} {c.Version}".Trim(), Resource = $"{c.RemoteAddress} via {c.Node}" + (c.OpaqueId is null ? "" : $" ({c.OpaqueId})"),
            Detail = c.Reason, Url = "https://www.elastic.co/guide/en/elasticsearch/reference/8.19/rest-api-compatibility.html", Cluster = c.Connection?.ClusterName,
        },
        DeprecationLogGroup g => new ReportItem
        {
            Severity = string.Equals(g.Level, "CRITICAL", StringComparison.OrdinalIgnoreCase) ? ReportSeverity.Blocker : ReportSeverity.Warning,
            Kind = "Deprecated call", Title = g.Message, Resource = g.Client,
            Detail = string.Format(CultureInfo.InvariantCulture, "{0} calls from {1:u} to {2:u} on {3}.", g.Count, g.FirstSeen, g.LastSeen, string.Join(", ", g.Nodes)), Cluster = g.Connection?.ClusterName,
        },
        Verification.UpgradeResultCheck c => new ReportItem
        {
            Severity = c.Status switch { ReadinessStatus.Fail => ReportSeverity.Blocker, ReadinessStatus.Warning => ReportSeverity.Warning, _ => ReportSeverity.Pass },
            Kind = "Result", Title = c.Name, Detail = c.Detail, Remedy = c.Remedy, Cluster = c.Connection?.ClusterName,
        },
        Upgrade.NodeUpgradeResult r => new ReportItem
        {
            Severity = r.Status == Upgrade.NodeUpgradeStatus.Failed ? ReportSeverity.Blocker : r.Warning != null ? ReportSeverity.Warning
                : r.Status == Upgrade.NodeUpgradeStatus.Skipped ? ReportSeverity.Info : ReportSeverity.Pass,
            Kind = "Node upgrade", Title = $"{r.Position}. {r.Node}: {r.Status}", Resource = $"{r.FromVersion} → {r.ToVersion}",
            Detail = (r.DurationSeconds is double d ? string.Format(CultureInfo.InvariantCulture, "{0:0} s. ", d) : "") + (r.Warning ?? ""), Cluster = r.Connection?.ClusterName,
        },
        Upgrade.UpgradePlan p => new ReportItem
        {
            Severity = ReportSeverity.Info, Kind = "Plan", Title = $"{p.Nodes.Count} nodes to {p.TargetVersion}: {string.Join(" > ", p.Nodes.Select(n => n.Name))}",
            Detail = p.EstimatedDuration is TimeSpan e ? string.Format(CultureInfo.InvariantCulture, "Estimated {0:0} min, from {1}.", e.TotalMinutes, p.EstimateBasis) : null,
            Cluster = p.ClusterName,
        },
        Migration.EsMigratedIndex m => new ReportItem
        {
            Severity = m.Status == "Complete" ? ReportSeverity.Pass : ReportSeverity.Blocker, Kind = "Migration", Title = $"{m.Index}: {m.Route}, {m.Status}",
            Resource = m.Snapshot, Detail = string.Format(CultureInfo.InvariantCulture, "{0} documents in {1}, {2} in the new cluster.", m.SourceDocuments, m.SourceCluster, m.DestinationDocuments),
            Cluster = m.Connection?.ClusterName,
        },
        Migration.ClusterDifference d => new ReportItem
        {
            Severity = ReportSeverity.Warning, Kind = "Difference (" + d.Kind + ")", Title = d.Name, Detail = d.Detail, Cluster = d.Difference,
        },
        _ => null,
    };

    /// <summary>A rolling upgrade's timeline, from its state file: per node, when it started and when each phase ended.</summary>
    public sealed class TimelineNode
    {
        public string Name { get; set; } = "";
        public DateTimeOffset Start { get; set; }
        public DateTimeOffset? ActionStarted { get; set; }
        public DateTimeOffset? Joined { get; set; }
        public DateTimeOffset? Healthy { get; set; }
        public bool Done { get; set; }
    }

    public static IReadOnlyList<TimelineNode> Timeline(Upgrade.UpgradeState state) =>
        state.Nodes.Where(n => n.StartedAt != null).OrderBy(n => n.StartedAt).Select(n => new TimelineNode
        {
            Name = n.Name, Start = n.StartedAt!.Value, Done = n.Done,
            ActionStarted = n.StepEndedAt.TryGetValue(Upgrade.UpgradeStep.NodeActionStarted, out var a) ? a : (DateTimeOffset?)null,
            Joined = n.StepEndedAt.TryGetValue(Upgrade.UpgradeStep.WaitForNode, out var j) ? j : (DateTimeOffset?)null,
            Healthy = n.StepEndedAt.TryGetValue(Upgrade.UpgradeStep.WaitForHealth, out var h) ? h : n.EndedAt,
        }).ToList();

    /// <summary>Writes the report; the format follows the extension (.html, .htm, .json).</summary>
    public static void Write(string path, IReadOnlyList<ReportItem> items, string title, DateTimeOffset generated, Upgrade.UpgradeState? state = null,
        IReadOnlyDictionary<string, TimeSpan>? estimates = null)
    {
        var sorted = items.OrderBy(i => i.Severity).ThenBy(i => i.Kind, StringComparer.Ordinal).ThenBy(i => i.Title, StringComparer.Ordinal).ToList();
        var timeline = state is null ? Array.Empty<TimelineNode>() : Timeline(state);
        var health = state?.Health ?? new List<Upgrade.UpgradeState.HealthSample>();
        var text = IsJson(path) ? Json(sorted, title, generated, timeline) : Html(sorted, title, generated, timeline, health, estimates);
        Files.Guard(path, () => File.WriteAllText(path, text, new UTF8Encoding(false)));
    }

    /// <summary>True for a .json path, false for .html or .htm; any other extension is an InvalidReportPath.</summary>
    public static bool IsJson(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".json") return true;
        if (extension == ".html" || extension == ".htm") return false;
        throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidReportPath,
            $"'{path}' ends in neither .html nor .json: the extension says which report to write.", path);
    }

    public static string Verdict(IReadOnlyList<ReportItem> items) =>
        items.Any(i => i.Severity == ReportSeverity.Blocker) ? "Not ready: clear the blockers first."
        : items.Any(i => i.Severity == ReportSeverity.Warning) ? "Ready, with warnings to read."
        : "Ready.";

    static string Json(IReadOnlyList<ReportItem> items, string title, DateTimeOffset generated, IReadOnlyList<TimelineNode> timeline) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["timeline"] = timeline.Select(t => new Dictionary<string, object?>
            {
                ["node"] = t.Name, ["start"] = t.Start.ToString("o", CultureInfo.InvariantCulture), ["done"] = t.Done,
                ["stepsSeconds"] = t.ActionStarted is DateTimeOffset a ? (a - t.Start).TotalSeconds : (double?)null,
                ["restartSeconds"] = t.ActionStarted is DateTimeOffset a2 && t.Joined is DateTimeOffset j ? (j - a2).TotalSeconds : (double?)null,
                ["recoverySeconds"] = t.Joined is DateTimeOffset j2 && t.Healthy is DateTimeOffset h ? (h - j2).TotalSeconds : (double?)null,
            }).ToList(),
            ["title"] = title,
            ["generated"] = generated.ToString("o", CultureInfo.InvariantCulture),
            ["verdict"] = Verdict(items),
            ["counts"] = Enum.GetValues(typeof(ReportSeverity)).Cast<ReportSeverity>().ToDictionary(s => s.ToString(), s => items.Count(i => i.Severity == s)),
            ["items"] = items.Select(i => new Dictionary<string, object?>
            {
                ["severity"] = i.Severity.ToString(), ["kind"] = i.Kind, ["title"] = i.Title, ["resource"] = i.Resource, ["detail"] = i.Detail,
                ["remedy"] = i.Remedy, ["url"] = i.Url, ["cluster"] = i.Cluster,
            }).ToList(),
        }, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    static string H(string? s) => WebUtility.HtmlEncode(s ?? "");

    /// <summary>
    /// The rolling upgrade as an inline SVG, one row per node on one time axis: the run's own steps (grey), the restart
    /// from the node action to the rejoin (blue), the recovery to health (green). No script, no external reference.
    /// </summary>
    static string Svg(IReadOnlyList<TimelineNode> nodes, IReadOnlyList<Upgrade.UpgradeState.HealthSample> health)
    {
        var start = nodes.Min(n => n.Start);
        var end = nodes.Max(n => n.Healthy ?? n.Joined ?? n.ActionStarted ?? n.Start);
        var span = Math.Max(1, (end - start).TotalSeconds);
        const int label = 150, width = 900, row = 22;
        double X(DateTimeOffset t) => label + (width - label - 10) * (t - start).TotalSeconds / span;
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        var b = new StringBuilder();
        var height = nodes.Count * row + 44;
        b.Append($"<svg width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Rolling upgrade timeline\">\n");
        for (var i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            var y = 10 + i * row;
            b.Append($"<text x=\"0\" y=\"{y + 14}\" font-size=\"12\">{H(n.Name)}</text>");
            void Bar(DateTimeOffset? from, DateTimeOffset? to, string colour, string what)
            {
                if (from is not DateTimeOffset f || to is not DateTimeOffset t || t < f) return;
                b.Append($"<rect x=\"{F(X(f))}\" y=\"{y}\" width=\"{F(Math.Max(1, X(t) - X(f)))}\" height=\"{row - 6}\" fill=\"{colour}\"><title>{H(n.Name)}: {what} {F((t - f).TotalSeconds)} s</title></rect>");
            }
            Bar(n.Start, n.ActionStarted, "#bbbbbb", "steps before the restart");
            Bar(n.ActionStarted, n.Joined, "#4a7fd4", "restart");
            Bar(n.Joined, n.Healthy, "#4caf50", "recovery");
            b.Append('\n');
        }
        // Health under the nodes: one band, coloured by each status the run saw from its change to the next.
        var bandY = 10 + nodes.Count * row;
        var samples = health.Where(h => h.At <= end).ToList();
        for (var i = 0; i < samples.Count; i++)
        {
            var from = samples[i].At < start ? start : samples[i].At;
            var to = i + 1 < samples.Count ? samples[i + 1].At : end;
            var colour = samples[i].Status switch { "green" => "#4caf50", "yellow" => "#f2c200", _ => "#d9342b" };
            b.Append($"<rect x=\"{F(X(from))}\" y=\"{bandY}\" width=\"{F(Math.Max(1, X(to) - X(from)))}\" height=\"6\" fill=\"{colour}\"><title>health {H(samples[i].Status)}</title></rect>");
        }
        if (samples.Count > 0) b.Append($"<text x=\"0\" y=\"{bandY + 7}\" font-size=\"11\">health</text>\n");
        var axisY = nodes.Count * row + 28;
        b.Append($"<text x=\"{label}\" y=\"{axisY}\" font-size=\"11\">{H(start.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture))} UTC</text>");
        b.Append($"<text x=\"{width - 10}\" y=\"{axisY}\" font-size=\"11\" text-anchor=\"end\">+{F(span / 60)} min</text>\n</svg>\n");
        return b.ToString();
    }

    static string Html(IReadOnlyList<ReportItem> items, string title, DateTimeOffset generated, IReadOnlyList<TimelineNode> timeline,
        IReadOnlyList<Upgrade.UpgradeState.HealthSample> health, IReadOnlyDictionary<string, TimeSpan>? estimates)
    {
        var b = new StringBuilder();
        b.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(H(title)).Append("</title>\n<style>\n")
         .Append("body{font-family:Segoe UI,Helvetica,Arial,sans-serif;margin:2em;color:#1a1a1a}h1{font-size:1.5em}table{border-collapse:collapse;width:100%}")
         .Append("th,td{border:1px solid #bbb;padding:.35em .5em;vertical-align:top;text-align:left;font-size:.9em}th{background:#eee}")
         .Append(".Blocker td:first-child{background:#f8d0d0;font-weight:bold}.Warning td:first-child{background:#fbe8b0}.Info td:first-child{background:#dde8f5}.Pass td:first-child{background:#d5efd5}")
         .Append(".verdict{font-size:1.15em;font-weight:bold}a{color:#0645ad;word-break:break-all}")
         .Append("@media print{body{margin:0}a{color:#000}a[href]:after{content:\" (\" attr(href) \")\";font-size:.8em}tr{page-break-inside:avoid}th{background:#eee !important;-webkit-print-color-adjust:exact}}\n")
         .Append("</style></head><body>\n");
        b.Append("<h1>").Append(H(title)).Append("</h1>\n<p>Generated ").Append(H(generated.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))).Append(" by EsUpgrade.</p>\n");
        b.Append("<p class=\"verdict\">").Append(H(Verdict(items))).Append("</p>\n<p>");
        b.Append(string.Join(" · ", Enum.GetValues(typeof(ReportSeverity)).Cast<ReportSeverity>().Select(s => $"{items.Count(i => i.Severity == s)} {s}"))).Append("</p>\n");
        if (timeline.Count > 0)
            b.Append("<h2>Rolling upgrade</h2>\n<p>Each node: the run's steps (grey), the restart from the node action to its rejoin (blue), the recovery to health (green).</p>\n")
             .Append(Svg(timeline, health));
        if (timeline.Count > 0 && estimates is { Count: > 0 })
        {
            // Estimate against actual: what the plan said each node would take, and what it took.
            b.Append("<table><thead><tr><th>Node</th><th>Estimated</th><th>Actual</th></tr></thead><tbody>\n");
            foreach (var t in timeline)
            {
                var actual = (t.Healthy ?? t.Joined ?? t.Start) - t.Start;
                b.Append("<tr><td>").Append(H(t.Name)).Append("</td><td>")
                 .Append(estimates.TryGetValue(t.Name, out var e) ? H(string.Format(CultureInfo.InvariantCulture, "{0:0} s", e.TotalSeconds)) : "")
                 .Append("</td><td>").Append(H(string.Format(CultureInfo.InvariantCulture, "{0:0} s", actual.TotalSeconds))).Append("</td></tr>\n");
            }
            b.Append("</tbody></table>\n");
        }
        b.Append("<table><thead><tr><th>Severity</th><th>Kind</th><th>Finding</th><th>Where</th><th>Detail</th><th>What to do</th></tr></thead><tbody>\n");
        foreach (var i in items)
        {
            b.Append("<tr class=\"").Append(i.Severity).Append("\"><td>").Append(i.Severity).Append("</td><td>").Append(H(i.Kind)).Append("</td><td>");
            b.Append(i.Url is { Length: > 0 } url && (url.StartsWith("https://", StringComparison.Ordinal) || url.StartsWith("http://", StringComparison.Ordinal))
                ? $"<a href=\"{H(url)}\">{H(i.Title)}</a>" : H(i.Title));
            b.Append("</td><td>").Append(H(i.Resource)).Append(i.Cluster is null ? "" : (i.Resource is null ? "" : "<br>") + "cluster " + H(i.Cluster))
             .Append("</td><td>").Append(H(i.Detail)).Append("</td><td>").Append(H(i.Remedy)).Append("</td></tr>\n");
        }
        b.Append("</tbody></table>\n</body></html>\n");
        return b.ToString();
    }
}
