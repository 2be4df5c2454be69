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
    public void A_primary_whose_replica_is_not_started_cannot_lose_its_node()
    {
        var nodes = new[] { Fake.Node("a", Data), Fake.Node("b", Data) };
        var shards = new[]
        {
            Fake.Shard("logs", 0, true, ShardState.Started, "a"),
            Fake.Shard("logs", 0, false, ShardState.Initializing, "b"),
        };
        Assert.Equal("primaries logs[0] on a have replicas that are not started", UpgradeSafety.ExposedPrimaries("a", nodes, shards));
        Assert.Null(UpgradeSafety.ExposedPrimaries("b", nodes, shards));
    }

    [Fact]
    public void Replicas_held_back_by_version_do_not_block_the_next_restart()
    {
        // b runs 8.x and holds the primary; its replica may not go to a, which is older: expected mid-upgrade.
        var nodes = new[] { Fake.Node("a", Data), Fake.Node("b", Data, version: "8.19.0") };
        var shards = new[]
        {
            Fake.Shard("logs", 0, true, ShardState.Started, "b"),
            Fake.Shard("logs", 0, false, ShardState.Unassigned, null),
        };
        Assert.True(UpgradeSafety.ReplicasHeldBackByVersion(nodes, shards));
        Assert.Null(UpgradeSafety.ExposedPrimaries("b", nodes, shards));
    }

    [Fact]
    public void Replicas_of_a_primary_on_an_old_node_are_not_held_back_by_version()
    {
        var nodes = new[] { Fake.Node("a", Data), Fake.Node("b", Data, version: "8.19.0") };
        var shards = new[]
        {
            Fake.Shard("logs", 0, true, ShardState.Started, "a"),
            Fake.Shard("logs", 0, false, ShardState.Unassigned, null),
        };
        Assert.False(UpgradeSafety.ReplicasHeldBackByVersion(nodes, shards));
        Assert.NotNull(UpgradeSafety.ExposedPrimaries("a", nodes, shards));
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
