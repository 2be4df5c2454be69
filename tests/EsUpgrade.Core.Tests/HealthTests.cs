using System.Text.RegularExpressions;
using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;
using EsUpgrade.Health;
using EsUpgrade.Wire;

namespace EsUpgrade.Core.Tests;

public class HealthTests
{
    static IndexSpec Logs => new() { Name = "logs", Shards = 2, Replicas = 1, Documents = 2000 };

    [Fact]
    public async Task Reads_health_and_index_level()
    {
        await using var es = await Emulated.StartAsync(indices: Logs);
        using var c = await es.ConnectAsync();
        var health = await HealthReader.GetAsync(new EsApi(c), null, HealthLevel.Indices, default);
        Assert.Equal(HealthStatus.Green, health.Status);
        Assert.Equal(4, health.ActiveShards);
        Assert.Equal(100.0, health.ActiveShardsPercent);
        Assert.Equal("logs", Assert.Single(health.Indices).Index);
    }

    [Fact]
    public async Task Waits_for_recovery_after_a_node_comes_back()
    {
        await using var es = await Emulated.StartAsync(indices: Logs);
        using var c = await es.ConnectAsync();
        var api = new EsApi(c, new RecordingLog());
        await es.Host.StopNodeAsync("es-02");
        await es.Host.StartNodeAsync("es-02");
        var before = await HealthReader.GetAsync(api, null, HealthLevel.Cluster, default);
        Assert.NotEqual(HealthStatus.Green, before.Status); // copies are recovering: the wait below has something to wait for

        var after = await HealthReader.WaitAsync(api, new HealthCondition { Status = HealthStatus.Green, NoInitializingShards = true }, HealthLevel.Cluster, TimeSpan.FromSeconds(30), default);
        Assert.Equal(HealthStatus.Green, after.Status);
        Assert.Equal(0, after.InitializingShards);
        Assert.False(after.TimedOut);
    }

    [Fact]
    public async Task Waits_through_a_lost_master()
    {
        await using var es = await Emulated.StartAsync(indices: Logs);
        using var c = await es.ConnectAsync();
        var log = new RecordingLog();
        await es.Host.StopNodeAsync("es-02");
        await es.Host.StopNodeAsync("es-03");
        var wait = HealthReader.WaitAsync(new EsApi(c, log), new HealthCondition { NodeCount = "3" }, HealthLevel.Cluster, TimeSpan.FromSeconds(30), default);
        await es.Host.StartNodeAsync("es-02");
        await es.Host.StartNodeAsync("es-03");
        var health = await wait;
        Assert.Equal(3, health.NumberOfNodes);
    }

    [Fact]
    public async Task Times_out_with_the_last_health_as_target()
    {
        await using var es = await Emulated.StartAsync(nodes: 1);
        using var c = await es.ConnectAsync();
        var log = new RecordingLog();
        var ex = await Assert.ThrowsAsync<EsException>(() =>
            HealthReader.WaitAsync(new EsApi(c, log), new HealthCondition { NodeCount = ">=2" }, HealthLevel.Cluster, TimeSpan.FromMilliseconds(300), default));
        Assert.Equal("ClusterHealthTimeout", ex.ErrorId);
        Assert.Equal(EsErrorKind.Timeout, ex.Kind);
        Assert.IsType<EsClusterHealth>(ex.Target);
        Assert.True(log.ProgressReports.Last().Completed);
    }

    [Theory]
    [InlineData("three")]
    [InlineData(">= 3")]
    [InlineData("3)")]
    public async Task Refuses_a_malformed_node_count(string count)
    {
        var api = new EsApi(EsConnection.ForWire("fake", SlicingWire(new FakeClock()), Server));
        var ex = await Assert.ThrowsAsync<EsException>(() => HealthReader.WaitAsync(api, new HealthCondition { NodeCount = count }, HealthLevel.Cluster, TimeSpan.FromSeconds(1), default));
        Assert.Equal("InvalidNodeCount", ex.ErrorId);
    }

    static readonly EsServerInfo Server = new("n", "fake", "u", "8.19.0", "default", "9.12.0");

    /// <summary>A server whose condition never holds: each long poll takes its whole timeout on the fake clock.</summary>
    static FakeWire SlicingWire(FakeClock clock) => new(request =>
    {
        var ms = int.Parse(Regex.Match(request.Path, @"timeout=(\d+)ms").Groups[1].Value);
        clock.UtcNow += TimeSpan.FromMilliseconds(ms);
        return FakeWire.Response(408, "{\"cluster_name\":\"fake\",\"status\":\"yellow\",\"timed_out\":true,\"number_of_nodes\":2}");
    });

    [Fact]
    public async Task Long_polls_in_slices_until_the_deadline()
    {
        var clock = new FakeClock();
        var wire = SlicingWire(clock);
        var api = new EsApi(EsConnection.ForWire("fake", wire, Server), new RecordingLog(), clock);
        var ex = await Assert.ThrowsAsync<EsException>(() =>
            HealthReader.WaitAsync(api, new HealthCondition { Status = HealthStatus.Green, NodeCount = "ge(3)" }, HealthLevel.Cluster, TimeSpan.FromSeconds(35), default));
        Assert.Equal("ClusterHealthTimeout", ex.ErrorId);
        Assert.Equal(new[] { "10000ms", "10000ms", "10000ms", "5000ms" }, wire.Paths.Select(p => Regex.Match(p, @"timeout=(\d+ms)").Groups[1].Value));
        Assert.All(wire.Paths, p => Assert.StartsWith("/_cluster/health?wait_for_status=green&wait_for_nodes=ge%283%29", p));
    }

    [Fact]
    public void Builds_the_health_path()
    {
        Assert.Equal("/_cluster/health", HealthReader.Path(null, HealthLevel.Cluster, null, null));
        Assert.Equal("/_cluster/health/logs%2Cmetrics?level=shards&wait_for_no_initializing_shards=true&wait_for_no_relocating_shards=true&timeout=1500ms",
            HealthReader.Path("logs,metrics", HealthLevel.Shards, new HealthCondition { NoInitializingShards = true, NoRelocatingShards = true }, TimeSpan.FromMilliseconds(1500)));
    }
}
