using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Tests;

/// <summary>The balancer: copies relocate to a node that came back empty, off an excluded node, never a primary to an older node.</summary>
public class RebalanceTests
{
    /// <summary>Three nodes, three shards with one replica each (two copies a node), nothing delayed or fetched.</summary>
    static ClusterSpec Spec()
    {
        var spec = ClusterSpec.Uniform(3, "7.17.27");
        spec.ShardFetchTime = TimeSpan.Zero;
        spec.NodeBootTime = TimeSpan.Zero;
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = 3, Replicas = 1, Documents = 300_000, Settings = { [EmulatedIndex.DelayedTimeoutSetting] = "0" } });
        spec.TimeScale = 20;
        return spec;
    }

    static int CopiesOn(Cluster c, string node)
    {
        lock (c.Model.Sync) return c.Model.AllCopies.Count(x => x.NodeId == c.Model.Node(node).Id);
    }

    [Fact]
    public async Task A_node_that_returns_empty_receives_relocating_copies_shown_as_src_arrow_dst()
    {
        await using var c = await Cluster.StartAsync(Spec());
        await c.Host.StopNodeAsync("es-03");
        await c.GetJsonAsync("/_cluster/health?wait_for_status=green&timeout=30m&master_timeout=30m");
        Assert.Equal(0, CopiesOn(c, "es-03"));

        await c.Host.StartNodeAsync("es-03");

        var health = await c.GetJsonAsync("/_cluster/health");
        Assert.Equal("green", health.GetProperty("status").GetString());
        Assert.Equal(2, health.GetProperty("relocating_shards").GetInt32());     // cluster_concurrent_rebalance
        var target = c.Model.Node("es-03");
        var rows = (await c.GetJsonAsync("/_cat/shards?format=json")).EnumerateArray()
            .Where(r => r.GetProperty("state").GetString() == "RELOCATING").Select(r => r.GetProperty("node").GetString()).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, node => Assert.Matches($@"^es-0[12] -> {target.Ip} {target.Id} es-03$", node));

        health = await c.GetJsonAsync("/_cluster/health?wait_for_no_relocating_shards=true&timeout=30s");
        Assert.False(health.GetProperty("timed_out").GetBoolean());
        Assert.Equal(2, CopiesOn(c, "es-03"));
        Assert.Equal(2, CopiesOn(c, "es-01"));
    }

    [Fact]
    public async Task With_rebalancing_disabled_the_returned_node_stays_empty()
    {
        await using var c = await Cluster.StartAsync(Spec());
        await c.SendAsync("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.rebalance.enable\":\"none\"}}");
        await c.Host.StopNodeAsync("es-03");
        await c.GetJsonAsync("/_cluster/health?wait_for_status=green&timeout=30m&master_timeout=30m");
        await c.Host.StartNodeAsync("es-03");

        var health = await c.GetJsonAsync("/_cluster/health");
        Assert.Equal(0, health.GetProperty("relocating_shards").GetInt32());
        Assert.Equal(0, CopiesOn(c, "es-03"));
    }

    [Fact]
    public async Task With_rebalancing_of_replicas_only_no_primary_moves()
    {
        await using var c = await Cluster.StartAsync(Spec());
        var (response, _) = await c.SendAsync("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.rebalance.enable\":\"replicas\"}}");
        Assert.Equal(200, (int)response.StatusCode);
        await c.Host.StopNodeAsync("es-03");
        await c.GetJsonAsync("/_cluster/health?wait_for_status=green&timeout=30m&master_timeout=30m");
        await c.Host.StartNodeAsync("es-03");

        var moving = (await c.GetJsonAsync("/_cat/shards?format=json")).EnumerateArray()
            .Where(r => r.GetProperty("state").GetString() == "RELOCATING").Select(r => r.GetProperty("prirep").GetString()).ToList();
        Assert.NotEmpty(moving);
        Assert.All(moving, p => Assert.Equal("r", p));
    }

    [Fact]
    public async Task Nothing_moves_while_a_copy_is_unassigned()
    {
        var spec = Spec();
        spec.Indices.Add(new IndexSpec { Name = "wide", Shards = 1, Replicas = 3 });    // four copies, three nodes: one never assigned
        await using var c = await Cluster.StartAsync(spec);
        await c.Host.StopNodeAsync("es-03");
        await c.Host.StartNodeAsync("es-03");

        var health = await c.GetJsonAsync("/_cluster/health?wait_for_no_initializing_shards=true&timeout=30s");
        Assert.Equal("yellow", health.GetProperty("status").GetString());
        Assert.Equal(0, health.GetProperty("relocating_shards").GetInt32());   // allow_rebalance: indices_all_active
    }

    [Fact]
    public async Task Excluding_a_node_moves_its_copies_off()
    {
        await using var c = await Cluster.StartAsync(Spec());
        await c.SendAsync("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.allocation.exclude._name\":\"es-02\"}}");
        var health = await c.GetJsonAsync("/_cluster/health");
        Assert.True(health.GetProperty("relocating_shards").GetInt32() > 0);
        await c.GetJsonAsync("/_cluster/health?wait_for_no_relocating_shards=true&timeout=30s");
        Assert.Equal(0, CopiesOn(c, "es-02"));
    }

    [Fact]
    public async Task A_primary_never_relocates_to_an_older_node()
    {
        await using var c = await Cluster.StartAsync(Spec());
        await c.Host.StopNodeAsync("es-01");
        await c.Host.StartNodeAsync("es-01", "8.19.0");
        await c.GetJsonAsync("/_cluster/health?wait_for_status=green&wait_for_no_relocating_shards=true&timeout=30s");
        // es-02 leaves: replicas on the 8.x node become primaries there; es-02 comes back (7.17) empty and the balancer fills it.
        await c.Host.StopNodeAsync("es-02");
        await c.GetJsonAsync("/_cluster/health?wait_for_no_initializing_shards=true&wait_for_no_relocating_shards=true&timeout=30s");
        // Yellow (a replica cannot go to a 7.17 node behind its 8.x primary): rebalance anyway, or nothing would move at all.
        await c.SendAsync("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.allocation.allow_rebalance\":\"always\"}}");
        await c.Host.StartNodeAsync("es-02");
        await c.GetJsonAsync("/_cluster/health?wait_for_no_initializing_shards=true&wait_for_no_relocating_shards=true&timeout=30s");
        lock (c.Model.Sync)
        {
            var newer = c.Model.Node("es-01");
            var primaries = c.Model.AllCopies.Where(x => x.Primary && x.NodeId == newer.Id).ToList();
            Assert.NotEmpty(primaries);
            Assert.True(CopiesOn(c, "es-02") > 0);
            var older = c.Model.Node("es-02");
            Assert.DoesNotContain(c.Model.AllCopies, x => x.Primary && x.NodeId == older.Id && x.RecoverySourceNodeId == newer.Id);
            var free = primaries.First(p => c.Model.AllCopies.All(x => x.Shard != p.Shard || x.Index != p.Index || x.NodeId != older.Id));
            Assert.Equal("[node_version] cannot relocate primary shard from a node with version [8.19.0] to a node with older version [7.17.27]",
                c.Model.Decide(free, older, moving: true));
        }
    }
}

/// <summary>indices.recovery.max_bytes_per_sec is a node's, shared by the file copies running through it.</summary>
public class RecoveryBandwidthTests
{
    /// <summary>Two nodes; es-02 holds the replica of each index; each index written since its last flush (a file-based recovery).</summary>
    static async Task<TimeSpan[]> RecoveryTimesAsync(int indexCount)
    {
        var spec = ClusterSpec.Uniform(2, "7.17.27");
        spec.ShardFetchTime = TimeSpan.Zero;
        spec.TimeScale = 50;
        spec.RecoveryBytesPerSecond = 10L * 1024 * 1024;
        for (var i = 0; i < indexCount; i++)
            spec.Indices.Add(new IndexSpec { Name = $"logs-{i}", Shards = 1, Replicas = 1, Documents = 20 * 1024 });   // 20 MiB: 2 s alone
        await using var c = await Cluster.StartAsync(spec);
        foreach (var index in c.Model.Indices) c.Model.IndexDocument(index, null);
        await c.Host.StopNodeAsync("es-02");
        await c.Host.StartNodeAsync("es-02");
        // At 50x, 30 emulated seconds of master_timeout are 0.6 real ones: a loaded machine may need more for the election.
        await c.GetJsonAsync("/_cluster/health?wait_for_status=green&timeout=30m&master_timeout=30m");
        lock (c.Model.Sync)
            return c.Model.AllCopies.Where(x => !x.Primary).Select(x => x.ReadyAt - x.RecoveryStartedAt).ToArray();
    }

    [Fact]
    public async Task Two_file_copies_into_one_node_each_take_twice_as_long_as_one_alone()
    {
        var alone = Assert.Single(await RecoveryTimesAsync(1));
        var together = await RecoveryTimesAsync(2);
        Assert.Equal(3, alone.TotalSeconds, 1);                       // 1 s fixed + 20 MiB at 10 MiB/s
        Assert.All(together, t => Assert.Equal(5, t.TotalSeconds, 1)); // 1 s fixed + 20 MiB at 5 MiB/s each
    }
}
