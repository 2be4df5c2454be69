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
}
