using EsUpgrade.Assessment;
using EsUpgrade.Connections;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Core.Tests;

public class DeprecationLogTests
{
    static async Task TypedWriteAsync(Emulated es, string opaqueId, string id)
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri(es.Uris[0], $"/logs/event/{id}")) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Opaque-Id", opaqueId);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Contains(response.Headers.GetValues("Warning"), w => w.Contains("[types removal]"));
    }

    [Fact]
    public async Task Deprecated_calls_are_grouped_by_message_and_client()
    {
        var spec = ClusterSpec.Uniform(1, "7.17.29");
        spec.Indices.Add(new IndexSpec { Name = "logs", Replicas = 0 });
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        await using var es = await Emulated.StartAsync(spec);
        using var connection = await es.ConnectAsync();
        var api = new EsApi(connection);
        Assert.Empty((await DeprecationLog.ReadAsync(api, DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None)).Groups);

        await TypedWriteAsync(es, "billing-export", "1");
        await TypedWriteAsync(es, "billing-export", "2");    // same key and X-Opaque-Id: logged once (rate limit)
        await TypedWriteAsync(es, "crm-sync", "3");
        var model = es.Host.Cluster;
        model.AddDeprecationLogEntry(new DeprecationLogEntry(DateTimeOffset.UtcNow.AddDays(-30), "WARN", "index_with_types", "old", "types", "ancient", "", "n", "es-01"));

        var (groups, total, _) = await DeprecationLog.ReadAsync(api, DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None);
        Assert.Equal(2, total);
        Assert.Equal(new[] { "billing-export", "crm-sync" }, groups.Select(g => g.Client).OrderBy(c => c, StringComparer.Ordinal));
        var billing = Assert.Single(groups, g => g.Client == "billing-export");
        Assert.Equal(("index_with_types", 1L, "es-01"), (billing.Key, billing.Count, Assert.Single(billing.Nodes)));

        model.ResetDeprecationCache();
        await TypedWriteAsync(es, "billing-export", "4");
        Assert.Equal(2, (await DeprecationLog.ReadAsync(api, DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None)).Groups.Single(g => g.Client == "billing-export").Count);
    }

    [Fact]
    public async Task Logging_is_turned_off_and_on_persistently_and_a_transient_value_is_reset()
    {
        var spec = ClusterSpec.Uniform(1, "7.17.29");
        spec.Indices.Add(new IndexSpec { Name = "logs", Replicas = 0 });
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        await using var es = await Emulated.StartAsync(spec);
        lock (es.Host.Cluster.Sync) es.Host.Cluster.Transient["cluster.deprecation_indexing.enabled"] = "true";
        using var connection = await es.ConnectAsync();
        var api = new EsApi(connection);
        Assert.True((await DeprecationLog.GetStateAsync(api, CancellationToken.None)).IndexingEnabled);

        var off = await DeprecationLog.SetAsync(api, false, CancellationToken.None);
        Assert.Equal((false, "ERROR", false), (off.IndexingEnabled, off.LoggerLevel, off.LoggingEnabled));
        Assert.False(es.Host.Cluster.Transient.ContainsKey("cluster.deprecation_indexing.enabled"));
        await TypedWriteAsync(es, "billing-export", "1");
        Assert.Empty(es.Host.Cluster.DeprecationLog);

        var on = await DeprecationLog.SetAsync(api, true, CancellationToken.None);
        Assert.True(on.IndexingEnabled && on.LoggingEnabled);
        await TypedWriteAsync(es, "billing-export", "2");
        Assert.Single(es.Host.Cluster.DeprecationLog);
    }
}

public class DeprecationLogCultureTests
{
    [Fact]
    public async Task The_log_is_read_alike_under_a_thai_calendar()
    {
        var spec = ClusterSpec.Uniform(1, "7.17.29");
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        await using var es = await Emulated.StartAsync(spec);
        es.Host.Cluster.AddDeprecationLogEntry(new DeprecationLogEntry(DateTimeOffset.UtcNow.AddHours(-1), "WARN", "k", "recent", "types", "app", "", "n", "es-01"));
        es.Host.Cluster.AddDeprecationLogEntry(new DeprecationLogEntry(DateTimeOffset.UtcNow.AddDays(-30), "WARN", "k", "old", "types", "app", "", "n", "es-01"));
        using var connection = await es.ConnectAsync();
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("th-TH");
        try
        {
            var (groups, _, _) = await DeprecationLog.ReadAsync(new EsApi(connection), DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None);
            Assert.Equal("recent", Assert.Single(groups).Message);
        }
        finally { System.Globalization.CultureInfo.CurrentCulture = culture; }
    }
}
