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
        _ => null,
    };

    /// <summary>Writes the report; the format follows the extension (.html, .htm, .json).</summary>
    public static void Write(string path, IReadOnlyList<ReportItem> items, string title, DateTimeOffset generated)
    {
        var sorted = items.OrderBy(i => i.Severity).ThenBy(i => i.Kind, StringComparer.Ordinal).ThenBy(i => i.Title, StringComparer.Ordinal).ToList();
        var text = IsJson(path) ? Json(sorted, title, generated) : Html(sorted, title, generated);
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

    static string Json(IReadOnlyList<ReportItem> items, string title, DateTimeOffset generated) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
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

    static string Html(IReadOnlyList<ReportItem> items, string title, DateTimeOffset generated)
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
