using EsUpgrade.Allocation;
using EsUpgrade.Health;
using EsUpgrade.Indices;
using EsUpgrade.Upgrade;

namespace EsUpgrade.Core.Tests;

/// <summary>ECK's restart predicates as plain functions: no cluster, just what a cluster would report.</summary>
public class UpgradeSafetyTests
{
    static readonly string[] Data = { "data_hot", "data_content" };

    [Fact]
    public void A_planned_node_missing_from_the_cluster_blocks_any_other_restart()
    {
        var present = new[] { Fake.Node("a", Data), Fake.Node("b", Data) };
        Assert.Null(UpgradeSafety.MissingNodes("c", new[] { "a", "b", "c" }, present));
        Assert.Contains("c are not in the cluster", UpgradeSafety.MissingNodes("a", new[] { "a", "b", "c" }, present));
    }

    [Theory]
    [InlineData(HealthStatus.Green, 0, 0, null)]
    [InlineData(HealthStatus.Yellow, 0, 0, null)]
    [InlineData(HealthStatus.Red, 0, 0, "the cluster is red")]
    [InlineData(HealthStatus.Green, 2, 0, "2 shard copies initializing and 0 relocating")]
    [InlineData(HealthStatus.Green, 0, 1, "0 shard copies initializing and 1 relocating")]
    public void Red_or_moving_shards_are_unsafe(HealthStatus status, int initializing, int relocating, string? expected) =>
        Assert.Equal(expected, UpgradeSafety.HealthProblem(Fake.Health(status, initializing, relocating)));

    [Fact]
    public void A_primary_whose_replica_is_not_started_is_exposed_on_its_node_only()
    {
        var shards = new[]
        {
            Fake.Shard("logs", 0, true, ShardState.Started, "a"),
            Fake.Shard("logs", 0, false, ShardState.Initializing, "b"),
            Fake.Shard("logs", 1, true, ShardState.Started, "a"),
            Fake.Shard("logs", 1, false, ShardState.Started, "b"),
        };
        Assert.Equal(new[] { ("logs", 0) }, UpgradeSafety.ExposedShards("a", shards));
        Assert.Empty(UpgradeSafety.ExposedShards("b", shards));
    }

    static AllocationExplanation Explained(string canAllocate, params (string Decider, string Explanation)[] deciders) => new()
    {
        Index = "logs", Shard = 0, CanAllocate = canAllocate,
        Deciders = deciders.Select(d => new DeciderVerdict("es-01", d.Decider, "NO", d.Explanation)).ToList(),
    };

    [Theory]
    [InlineData("awaiting_info")]
    [InlineData("throttled")]
    [InlineData("allocation_delayed")]
    [InlineData("yes")]
    public void Fetching_throttled_delayed_or_allocatable_means_wait(string canAllocate) =>
        Assert.Equal(ReplicaVerdict.Wait, UpgradeSafety.Judge(Explained(canAllocate)).Verdict);

    [Fact]
    public void A_replica_refused_by_version_is_the_expected_yellow()
    {
        var e = Explained("no", ("node_version", "cannot allocate replica shard to a node with version [7.17.27] since this is older than the primary version [8.19.0]"),
            ("same_shard", "a copy of this shard is already allocated to this node"));
        Assert.Equal(ReplicaVerdict.HeldBackByVersion, UpgradeSafety.Judge(e).Verdict);
    }

    [Theory]
    [InlineData("disk_threshold", "the node is above the low watermark cluster setting [cluster.routing.allocation.disk.watermark.low=85%]", "Free disk space")]
    [InlineData("filter", "node matches cluster setting [cluster.routing.allocation.exclude] filters [_name:\"es-01\"]", "cluster.routing.allocation.exclude")]
    [InlineData("max_retry", "shard has exceeded the maximum number of retries [5] on failed allocation attempts", "retry_failed=true")]
    public void A_decider_no_restart_changes_blocks_with_its_words_and_the_remedy(string decider, string explanation, string remedy)
    {
        var (verdict, reason) = UpgradeSafety.Judge(Explained("no", ("node_version", "older"), (decider, explanation)));
        Assert.Equal(ReplicaVerdict.Blocked, verdict);
        Assert.Contains($"[{decider}] {explanation}", reason);
        Assert.Contains(remedy, reason);
    }

    [Fact]
    public void A_node_whose_only_objection_is_its_version_makes_it_the_expected_yellow_though_another_node_is_full()
    {
        var e = new AllocationExplanation
        {
            Index = "logs", CanAllocate = "no",
            Deciders = new[]
            {
                new DeciderVerdict("old-full", "disk_threshold", "NO", "the node is above the low watermark"),
                new DeciderVerdict("old-full", "node_version", "NO", "older than the primary"),
                new DeciderVerdict("old-ok", "node_version", "NO", "older than the primary"),
            },
        };
        Assert.Equal(ReplicaVerdict.HeldBackByVersion, UpgradeSafety.Judge(e).Verdict);
    }

    [Fact]
    public void A_replica_no_node_can_hold_is_blocked_too()
    {
        var (verdict, reason) = UpgradeSafety.Judge(Explained("no", ("same_shard", "a copy of this shard is already allocated to this node")));
        Assert.Equal(ReplicaVerdict.Blocked, verdict);
        Assert.Contains("lower index.number_of_replicas", reason);
    }

    [Fact]
    public void The_elected_master_waits_for_every_other_node()
    {
        var nodes = new[] { Fake.Node("m1", new[] { "master" }, master: true), Fake.Node("d1", Data, version: "8.19.0"), Fake.Node("d2", Data) };
        Assert.Equal("m1 is the elected master and goes last; not yet upgraded: d2", UpgradeSafety.MasterGoesLast("m1", false, nodes, "8.19.0"));
        Assert.Null(UpgradeSafety.MasterGoesLast("d2", false, nodes, "8.19.0"));
        var upgraded = new[] { nodes[0], nodes[1], Fake.Node("d2", Data, version: "8.19.0") };
        Assert.Null(UpgradeSafety.MasterGoesLast("m1", true, upgraded, "8.19.0"));
    }
}

/// <summary>Reading _cat/shards as a real cluster writes it.</summary>
public class ShardReadingTests
{
    [Fact]
    public async Task A_relocating_copy_is_read_as_on_its_source_node_moving_to_its_target()
    {
        const string cat = "[{\"index\":\"logs\",\"shard\":\"0\",\"prirep\":\"p\",\"state\":\"RELOCATING\",\"docs\":\"10\",\"store\":\"100\",\"node\":\"es-01 -> 10.0.0.2 Xy7rT0aBQ2m es-02\",\"unassigned.reason\":null}," +
            "{\"index\":\"logs\",\"shard\":\"0\",\"prirep\":\"r\",\"state\":\"UNASSIGNED\",\"docs\":null,\"store\":null,\"node\":null,\"unassigned.reason\":\"NODE_LEFT\"}]";
        var api = new Connections.EsApi(Connections.EsConnection.ForWire("fake", FakeWire.Fixed(200, cat), new Connections.EsServerInfo("n", "c", "u", "8.19.0", null, null)));
        var shards = await IndexReader.GetShardsAsync(api, null, default);
        Assert.Equal(("es-01", "es-02"), (shards[0].Node, shards[0].RelocatingNode));
        Assert.Equal(ShardState.Relocating, shards[0].State);
        // The primary moving off es-01 is still es-01's: restarting es-01 would leave logs[0] with no copy.
        Assert.Equal(new[] { ("logs", 0) }, UpgradeSafety.ExposedShards("es-01", shards));
    }
}
