using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Tests;

/// <summary>indices.recovery.max_bytes_per_sec paces file-based recoveries, and a change applies to those running.</summary>
public class RecoveryRateTests
{
    static TimeSpan ReplicaRecoveryTime(string? rate)
    {
        var spec = ClusterSpec.Uniform(2, "8.19.0");
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        spec.Indices.Add(new IndexSpec { Name = "big", Shards = 1, Replicas = 0, Documents = 400 * 1024 });    // 400 MiB
        var cluster = new EmulatedCluster(spec);
        if (rate != null) cluster.UpdateSettings(new Dictionary<string, string?> { ["indices.recovery.max_bytes_per_sec"] = rate }, new Dictionary<string, string?>());
        lock (cluster.Sync) cluster.UpdateIndexSettings(cluster.Index("big")!, new Dictionary<string, string?> { ["index.number_of_replicas"] = "1" });
        lock (cluster.Sync)
        {
            var replica = cluster.Index("big")!.Copies.Single(c => !c.Primary);
            Assert.Equal(ShardState.Initializing, replica.State);
            return replica.ReadyAt - replica.RecoveryStartedAt;
        }
    }

    [Fact]
    public void A_faster_setting_shortens_a_file_copy()
    {
        Assert.Equal(11, ReplicaRecoveryTime(null).TotalSeconds, 1);       // 1 s fixed + 400 MiB at 40 MiB/s
        Assert.Equal(6, ReplicaRecoveryTime("80mb").TotalSeconds, 1);
    }
}

public class RecoveryApiTests
{
    [Fact]
    public async Task Recovery_shows_a_restore_from_its_snapshot_and_a_peer_copy_with_bytes()
    {
        var spec = ClusterSpec.Uniform(2, "8.19.0");
        spec.Indices.Add(new IndexSpec { Name = "big", Shards = 1, Replicas = 0, Documents = 400 * 1024 });
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        await using var c = await Cluster.StartAsync(spec);
        var (response, _) = await c.SendAsync("PUT", "/big/_settings", """{"index":{"number_of_replicas":1}}""");
        Assert.True(response.IsSuccessStatusCode);
        var recovery = await c.GetJsonAsync("/big/_recovery?active_only=true");
        var shard = Assert.Single(recovery.GetProperty("big").GetProperty("shards").EnumerateArray());
        Assert.Equal(("PEER", "INDEX", false), (shard.GetProperty("type").GetString(), shard.GetProperty("stage").GetString(), shard.GetProperty("primary").GetBoolean()));
        Assert.Equal(400L * 1024 * 1024, shard.GetProperty("index").GetProperty("size").GetProperty("total_in_bytes").GetInt64());
        Assert.Equal("es-01", shard.GetProperty("source").GetProperty("name").GetString());
    }
}
