using EsUpgrade.Connections;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;
using EsUpgrade.Health;
using EsUpgrade.Monitoring;
using EsUpgrade.Wire;

namespace EsUpgrade.Core.Tests;

public class WatchTests
{
    /// <summary>A console window of a few rows that scrolls when written past its bottom, as a terminal does.</summary>
    sealed class ScrollingConsole : IConsoleSurface
    {
        public List<string> Buffer { get; } = new();
        public int Width { get; init; } = 100;
        public int Rows { get; init; } = 8;
        public int Row { get; private set; }
        public int Writes { get; private set; }
        public void MoveTo(int row) => Row = row;
        public void WriteLine(string text)
        {
            Writes++;
            while (Buffer.Count <= Row) Buffer.Add("");
            Buffer[Row] = text;
            if (Row == Rows - 1) Buffer.RemoveAt(0);    // the window scrolls up one row
            else Row++;
        }
    }

    static ClusterSpec Spec()
    {
        var spec = ClusterSpec.Uniform(2, "8.19.0");
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = 2, Replicas = 1, Documents = 100 });
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        return spec;
    }

    [Fact]
    public async Task The_watch_stops_when_health_is_reached_and_each_status_is_redrawn_over_the_last()
    {
        await using var es = await Emulated.StartAsync(Spec());
        var api = new EsApi(await es.ConnectAsync());
        await api.SendAsync(new EsRequest("PUT", "/logs/_settings", "{\"index\":{\"number_of_replicas\":2}}"), CancellationToken.None);    // yellow: no third node
        var console = new ScrollingConsole { Rows = 8 };
        console.MoveTo(6);    // the prompt was near the bottom
        var redraw = new ConsoleRedraw(console);
        var seen = new List<EsClusterStatus>();
        var last = await ClusterWatch.RunAsync(api, new WatchOptions { Until = HealthStatus.Green, Interval = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromMinutes(1) }, async status =>
        {
            seen.Add(status);
            redraw.Draw(status);
            if (seen.Count == 2) await api.SendAsync(new EsRequest("PUT", "/logs/_settings", "{\"index\":{\"number_of_replicas\":1}}"), CancellationToken.None);
        }, CancellationToken.None);
        Assert.Equal(HealthStatus.Green, last!.Status);
        Assert.Equal(HealthStatus.Yellow, seen[0].Status);
        Assert.Equal(2, seen[0].UnassignedShards);    // a second replica per shard has no third node
        Assert.Equal(new[] { "es-01", "es-02" }, seen[0].Nodes.Select(n => n.Name));
        // The view stays in the same rows, scrolled once when first drawn: one health line at the top, no stale line below.
        Assert.Single(console.Buffer, l => l.Contains("health "));
        Assert.Contains(console.Buffer, l => l.Contains("health GREEN"));
        Assert.True(console.Writes >= 3 * seen.Count);
    }

    [Fact]
    public async Task A_cluster_that_never_gets_there_ends_the_watch_with_a_timeout()
    {
        await using var es = await Emulated.StartAsync(Spec());
        var api = new EsApi(await es.ConnectAsync());
        await api.SendAsync(new EsRequest("PUT", "/logs/_settings", "{\"index\":{\"number_of_replicas\":2}}"), CancellationToken.None);
        var count = 0;
        var error = await Assert.ThrowsAsync<EsException>(() => ClusterWatch.RunAsync(api,
            new WatchOptions { Until = HealthStatus.Green, Interval = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromMilliseconds(500) },
            _ => { count++; return Task.CompletedTask; }, CancellationToken.None));
        Assert.Equal((ErrorIds.WatchTimeout, EsErrorKind.Timeout), (error.ErrorId, error.Kind));
        Assert.Contains("was yellow after 00:00:00.5000000, not green", error.Message);
        Assert.True(count >= 2);
    }

    [Fact]
    public void The_view_shows_upgrade_progress_recoveries_and_marks_upgraded_nodes()
    {
        var status = new EsClusterStatus
        {
            Connection = EsConnection.ForWire("prod", new FakeWire(_ => throw new InvalidOperationException("not asked")), new EsServerInfo("n", "c", "u", "8.19.0", null, null)),
            Status = HealthStatus.Yellow, UpgradeDone = 2, UpgradeTotal = 9, UpgradingNode = "warm-1", UpgradeStep = "NodeRestarted",
            Nodes = new[] { new WatchedNode { Name = "hot-1", Version = "8.19.0", Upgraded = true }, new WatchedNode { Name = "warm-1", Version = "7.17.27", IsElectedMaster = true } },
            Recoveries = new[] { new WatchedRecovery { Index = "logs", Shard = 0, Type = "peer", Source = "hot-1", Target = "warm-1", BytesRecovered = 50L << 20, BytesTotal = 200L << 20, Percent = 25 } },
        };
        var lines = ClusterWatch.Render(status, 120);
        Assert.Equal("rolling upgrade: 2 of 9 nodes done, now warm-1 (after NodeRestarted)", lines[1]);
        Assert.Equal("nodes: hot-1 8.19.0 ^  *warm-1 7.17.27", lines[2]);
        Assert.Equal("  logs[0] peer hot-1 -> warm-1  50 of 200 MB  25.0%", lines[4]);
        Assert.All(ClusterWatch.Render(status, 30), l => Assert.True(l.Length <= 30));
    }
}
