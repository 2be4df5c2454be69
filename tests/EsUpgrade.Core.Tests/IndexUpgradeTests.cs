using EsUpgrade.Assessment;
using EsUpgrade.Connections;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;
using EsUpgrade.Fixes;

namespace EsUpgrade.Core.Tests;

/// <summary>Reindexing an index created in 6.8 while its readers keep their names; interruptions and failures.</summary>
public class IndexUpgradeTests : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("esupgrade-index-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    static ClusterSpec Spec(double docsPerSecond = 2000)
    {
        var spec = ClusterSpec.Uniform(1, "7.17.29");
        spec.Indices.Add(new IndexSpec { Name = "old-logs", CreatedVersion = "6.8.23", Replicas = 0, Documents = 1000, MappingType = "doc", Aliases = { "logs-read" } });
        spec.Indices.Add(new IndexSpec { Name = "current", Replicas = 0, Documents = 10 });
        spec.ReindexDocsPerSecond = docsPerSecond;
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        return spec;
    }

    IndexUpgradeOptions Options() => new() { StatePath = Path.Combine(temp, "state.json"), PollInterval = TimeSpan.FromMilliseconds(50) };

    [Fact]
    public async Task An_old_index_is_reindexed_aliased_and_verified_and_its_readers_keep_their_names()
    {
        await using var es = await Emulated.StartAsync(Spec());
        using var connection = await es.ConnectAsync();
        var api = new EsApi(connection);
        var result = await IndexUpgrader.RunAsync(api, "old-logs", Options(), CancellationToken.None);

        Assert.Equal(("Upgraded", "reindexed-v8-old-logs", 1000L, 1000L), (result.Status, result.NewIndex, result.DocumentsBefore, result.DocumentsAfter));
        var model = es.Host.Cluster;
        lock (model.Sync)
        {
            Assert.Null(model.Index("old-logs"));
            Assert.Equal(new[] { "logs-read", "old-logs" }, model.Index("reindexed-v8-old-logs")!.Aliases.OrderBy(a => a, StringComparer.Ordinal));
            Assert.False(model.Index("reindexed-v8-old-logs")!.Settings.ContainsKey("index.blocks.write"));
        }
        Assert.Equal(1000, (await api.GetJsonAsync(Wire.EsRequest.Get("/old-logs/_count"), CancellationToken.None)).GetProperty("count").GetInt64());
        Assert.Equal(1000, (await api.GetJsonAsync(Wire.EsRequest.Get("/logs-read/_search"), CancellationToken.None)).GetProperty("hits").GetProperty("total").GetProperty("value").GetInt64());
        Assert.False(File.Exists(Options().StatePath));
        // The deprecation API no longer reports it; a second run says so.
        Assert.DoesNotContain((await DeprecationReader.ReadAsync(api, null, CancellationToken.None)).Found, f => f.Message == "Index created before 7.0");
        Assert.Equal("AlreadyUpgraded", (await IndexUpgrader.RunAsync(api, "old-logs", Options(), CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Interrupted_after_the_task_started_a_second_call_resumes_without_a_second_task()
    {
        await using var es = await Emulated.StartAsync(Spec(docsPerSecond: 200));
        using var connection = await es.ConnectAsync();
        var log = new RecordingLog();
        var api = new EsApi(connection, log);
        using var cancel = new CancellationTokenSource();
        _ = log.WhenLogged(l => l.Contains("reindex task") && l.Contains("started")).ContinueWith(_ => cancel.Cancel());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => IndexUpgrader.RunAsync(api, "old-logs", Options(), cancel.Token));
        // Interrupted before the swap: the old index takes writes again.
        lock (es.Host.Cluster.Sync) Assert.False(es.Host.Cluster.Index("old-logs")!.Settings.ContainsKey("index.blocks.write"));

        var result = await IndexUpgrader.RunAsync(api, "old-logs", Options(), CancellationToken.None);
        Assert.Equal(("Upgraded", 1000L), (result.Status, result.DocumentsAfter));
        Assert.Single(es.Host.Cluster.Tasks);
    }

    [Fact]
    public async Task A_failed_task_lifts_the_write_block_and_names_the_index_and_step()
    {
        var spec = Spec();
        spec.FailingReindex = "old-logs";
        await using var es = await Emulated.StartAsync(spec);
        using var connection = await es.ConnectAsync();
        var ex = await Assert.ThrowsAsync<EsException>(() => IndexUpgrader.RunAsync(new EsApi(connection), "old-logs", Options(), CancellationToken.None));
        Assert.Equal(ErrorIds.IndexUpgradeFailed, ex.ErrorId);
        Assert.Contains("[old-logs] stopped at AwaitReindex", ex.Message);
        Assert.Contains("rejected execution", ex.Message);
        lock (es.Host.Cluster.Sync)
        {
            Assert.False(es.Host.Cluster.Index("old-logs")!.Settings.ContainsKey("index.blocks.write"));
            Assert.Equal(new[] { "logs-read" }, es.Host.Cluster.Index("old-logs")!.Aliases);
        }
    }

    [Fact]
    public async Task An_index_of_this_major_needs_nothing_and_a_missing_one_is_not_found()
    {
        await using var es = await Emulated.StartAsync(Spec());
        using var connection = await es.ConnectAsync();
        var api = new EsApi(connection);
        Assert.Equal("NotNeeded", (await IndexUpgrader.RunAsync(api, "current", Options(), CancellationToken.None)).Status);
        Assert.Equal(ErrorIds.IndexNotFound, (await Assert.ThrowsAsync<EsException>(() => IndexUpgrader.RunAsync(api, "nope", Options(), CancellationToken.None))).ErrorId);
    }

    [Fact]
    public async Task Keeping_the_source_moves_the_aliases_and_leaves_the_old_index_read_only()
    {
        await using var es = await Emulated.StartAsync(Spec());
        using var connection = await es.ConnectAsync();
        var options = Options();
        options.KeepSource = true;
        options.NewName = "logs-v8";
        var result = await IndexUpgrader.RunAsync(new EsApi(connection), "old-logs", options, CancellationToken.None);
        Assert.True(result.KeptSource);
        lock (es.Host.Cluster.Sync)
        {
            var old = es.Host.Cluster.Index("old-logs")!;
            Assert.Empty(old.Aliases);
            Assert.Equal("true", old.Settings["index.blocks.write"]);
            Assert.Equal(new[] { "logs-read" }, es.Host.Cluster.Index("logs-v8")!.Aliases);
        }
    }
}
