using System.Text.Json;
using EsUpgrade.Assessment;
using EsUpgrade.Errors;
using EsUpgrade.NodeConfiguration;
using EsUpgrade.Reports;

namespace EsUpgrade.Core.Tests;

public class ReportTests : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("esupgrade-report-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    static List<ReportItem> Items()
    {
        var objects = new object[]
        {
            new ReadinessCheck { Name = "Plugins", Status = ReadinessStatus.Pass, Detail = "No plugins are installed." },
            new ReadinessCheck { Name = "RecentSnapshot", Status = ReadinessStatus.Fail, Detail = "No snapshot <repository> & no backup.", Remedy = "Take one.", Url = "https://www.elastic.co/snapshots" },
            new EsDeprecation { Category = DeprecationCategory.Index, Level = DeprecationLevel.Warning, Message = "Translog retention settings are deprecated", Resource = "logs", Url = "https://ela.st/es-deprecation-7-translog-settings" },
            new NodeConfigFinding { File = "elasticsearch.yml", Line = 5, Setting = "node.master", Level = DeprecationLevel.Critical, Message = "removed", Replacement = "node.roles: [ master ]", Fix = ConfigFix.Roles, Url = "https://ela.st/es-deprecation-7-node-roles" },
        };
        return objects.Select(o => UpgradeReport.ItemOf(o)!).ToList();
    }

    [Fact]
    public void The_html_page_is_self_contained_worst_first_escaped_and_linked()
    {
        var path = Path.Combine(temp, "report.html");
        UpgradeReport.Write(path, Items(), "Prod <logs>", DateTimeOffset.UtcNow);
        var html = File.ReadAllText(path);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain(" src=", html);
        Assert.Contains("<title>Prod &lt;logs&gt;</title>", html);
        Assert.Contains("No snapshot &lt;repository&gt; &amp; no backup.", html);
        Assert.Contains("<a href=\"https://ela.st/es-deprecation-7-node-roles\">node.master</a>", html);
        Assert.Contains("@media print", html);
        Assert.Contains("Not ready", html);
        var order = new[] { "RecentSnapshot", "Translog retention", "Plugins" }.Select(t => html.IndexOf(t, StringComparison.Ordinal)).ToList();
        Assert.True(order[0] < order[1] && order[1] < order[2], string.Join(",", order));
        Assert.True(html.IndexOf("node.master", StringComparison.Ordinal) < order[1]);
    }

    [Fact]
    public void The_json_report_carries_every_item_and_the_counts()
    {
        var path = Path.Combine(temp, "report.json");
        UpgradeReport.Write(path, Items(), "Prod", DateTimeOffset.UtcNow);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(4, doc.RootElement.GetProperty("items").GetArrayLength());
        Assert.Equal(2, doc.RootElement.GetProperty("counts").GetProperty("Blocker").GetInt32());
        Assert.Equal("Blocker", doc.RootElement.GetProperty("items")[0].GetProperty("severity").GetString());
    }

    [Fact]
    public void Another_extension_is_refused()
    {
        var ex = Assert.Throws<EsException>(() => UpgradeReport.Write(Path.Combine(temp, "report.txt"), Items(), "x", DateTimeOffset.UtcNow));
        Assert.Equal(ErrorIds.InvalidReportPath, ex.ErrorId);
    }

    [Fact]
    public void A_rolling_upgrade_s_state_file_draws_each_node_s_timeline_in_the_page_and_the_json()
    {
        var t0 = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
        Upgrade.UpgradeState.NodeState Node(string name, int startMinute) => new()
        {
            Name = name, StartedAt = t0.AddMinutes(startMinute), Done = true,
            StepEndedAt = new()
            {
                [Upgrade.UpgradeStep.NodeActionStarted] = t0.AddMinutes(startMinute).AddSeconds(10),
                [Upgrade.UpgradeStep.WaitForNode] = t0.AddMinutes(startMinute).AddSeconds(100),
                [Upgrade.UpgradeStep.WaitForHealth] = t0.AddMinutes(startMinute).AddSeconds(160),
            },
        };
        var state = new Upgrade.UpgradeState
        {
            StartedAt = t0, Nodes = { Node("warm-<1>", 0), Node("master-1", 3) },
            Health = { new() { At = t0, Status = "green" }, new() { At = t0.AddSeconds(20), Status = "yellow" }, new() { At = t0.AddSeconds(160), Status = "green" } },
        };
        var checks = new object[] { new Verification.UpgradeResultCheck { Name = "NodeVersions", Status = ReadinessStatus.Pass, Detail = "all 2 nodes run 8.19.0" } };
        var items = checks.Select(o => UpgradeReport.ItemOf(o)!).ToList();
        var html = Path.Combine(temp, "run.html");
        UpgradeReport.Write(html, items, "Run", DateTimeOffset.UtcNow, state, new Dictionary<string, TimeSpan> { ["master-1"] = TimeSpan.FromSeconds(150) });
        var page = File.ReadAllText(html);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(page, "<title>health (green|yellow)</title>").Count);
        Assert.Contains("<tr><td>master-1</td><td>150 s</td><td>160 s</td></tr>", page);
        Assert.Contains("<svg width=", page);
        Assert.Contains("warm-&lt;1&gt;", page);
        Assert.Contains("<title>master-1: restart 90 s</title>", page);
        Assert.Contains("<title>warm-&lt;1&gt;: recovery 60 s</title>", page);
        Assert.Contains("NodeVersions", page);
        Assert.DoesNotContain("http://", page);
        Assert.DoesNotContain(" src=", page);
        var json = Path.Combine(temp, "run.json");
        UpgradeReport.Write(json, items, "Run", DateTimeOffset.UtcNow, state);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var first = doc.RootElement.GetProperty("timeline")[0];
        Assert.Equal(("warm-<1>", 10.0, 90.0, 60.0), (first.GetProperty("node").GetString(), first.GetProperty("stepsSeconds").GetDouble(), first.GetProperty("restartSeconds").GetDouble(), first.GetProperty("recoverySeconds").GetDouble()));
    }
}
