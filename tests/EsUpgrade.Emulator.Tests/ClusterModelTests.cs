using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Tests;

/// <summary>The cluster model alone: masters, allocation rules, recovery on the model's clock.</summary>
public class ClusterModelTests
{
    static EmulatedCluster Cluster(int nodes, string version, int shards = 2, int replicas = 1)
    {
        var spec = ClusterSpec.Uniform(nodes, version);
        spec.ShardFetchTime = TimeSpan.Zero;    // where copies go, not the fetch before (AllocationOverTimeTests)
        spec.ElectionTime = TimeSpan.Zero;      // nor the election after a master leaves (HealthApiTests)
        spec.NodeBootTime = TimeSpan.Zero;      // nor a node's start-up (UpgradeRuleTests)
        // No delayed allocation here: these tests are about where copies go, not when.
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = shards, Replicas = replicas, Documents = 100_000,
            Settings = { [EmulatedIndex.DelayedTimeoutSetting] = "0" } });
        return new EmulatedCluster(spec);
    }

    static IEnumerable<ShardCopy> Copies(EmulatedCluster c) => c.Indices.SelectMany(i => i.Copies);

    [Fact]
    public void A_new_cluster_is_green_with_copies_spread()
    {
        var c = Cluster(3, "7.17.27");
        Assert.All(Copies(c), copy => Assert.Equal(ShardState.Started, copy.State));
        foreach (var group in Copies(c).GroupBy(x => x.Shard))
            Assert.Equal(group.Count(), group.Select(x => x.NodeId).Distinct().Count());
        Assert.Equal("green", c.Indices[0].Health);
    }

    [Fact]
    public void Quorum_lost_when_half_the_masters_are_down()
    {
        var c = Cluster(3, "7.17.27");
        c.StopNode("es-01");
        Assert.NotNull(c.Master);
        c.StopNode("es-02");
        Assert.Null(c.Master);
        var error = Assert.Throws<EsError>(() => c.RequireMaster());
        Assert.Equal(503, error.Status);
        Assert.Equal("master_not_discovered_exception", error.Type);
        Assert.Null(error.Reason);
        c.StartNode("es-02");
        Assert.NotNull(c.Master);
    }

    [Fact]
    public void A_replica_is_promoted_when_its_primary_node_leaves()
    {
        var c = Cluster(3, "7.17.27", shards: 1, replicas: 1);
        var primaryNode = c.Nodes.First(n => n.Id == Copies(c).Single(x => x.Primary).NodeId);
        c.StopNode(primaryNode.Name);
        var primary = Copies(c).Single(x => x.Primary);
        Assert.Equal(ShardState.Started, primary.State);
        Assert.NotEqual(primaryNode.Id, primary.NodeId);
    }

    [Fact]
    public void Allocation_primaries_keeps_replicas_unassigned_until_all()
    {
        var c = Cluster(2, "7.17.27", shards: 1, replicas: 1);
        c.UpdateSettings(new Dictionary<string, string?> { ["cluster.routing.allocation.enable"] = "primaries" }, new Dictionary<string, string?>());
        var replicaNode = c.Nodes.First(n => n.Id == Copies(c).Single(x => !x.Primary).NodeId);
        c.StopNode(replicaNode.Name);
        c.StartNode(replicaNode.Name);
        Assert.Equal(ShardState.Unassigned, Copies(c).Single(x => !x.Primary).State);
        Assert.Equal("yellow", c.Indices[0].Health);

        c.UpdateSettings(new Dictionary<string, string?> { ["cluster.routing.allocation.enable"] = null }, new Dictionary<string, string?>());
        Assert.Equal(ShardState.Initializing, Copies(c).Single(x => !x.Primary).State);
    }

    [Fact]
    public void A_replica_never_goes_to_a_node_older_than_its_primary()
    {
        var c = Cluster(2, "7.17.27", shards: 1, replicas: 1);
        var primary = Copies(c).Single(x => x.Primary);
        var primaryNode = c.Nodes.First(n => n.Id == primary.NodeId);
        var other = c.Nodes.First(n => n != primaryNode);
        // Upgrade the primary's node: its replica on the 7.17 node can no longer be placed there.
        c.StopNode(primaryNode.Name);
        Assert.Equal(other.Id, Copies(c).Single(x => x.Primary).NodeId); // promoted on the old node
        c.StartNode(primaryNode.Name, "8.19.0");
        c.Clock.Advance(TimeSpan.FromMinutes(10));
        c.Tick();
        Assert.All(Copies(c), x => Assert.Equal(ShardState.Started, x.State)); // replica may go to the newer node

        c.StopNode(other.Name);                 // now the primary is on the 8.x node
        c.StartNode(other.Name);                // the 7.17 node comes back
        c.Clock.Advance(TimeSpan.FromMinutes(10));
        c.Tick();
        var replica = Copies(c).Single(x => !x.Primary);
        Assert.Equal(ShardState.Unassigned, replica.State);
        Assert.Equal("yellow", c.Indices[0].Health);
    }

    [Fact]
    public void Recovery_takes_time_on_the_clock()
    {
        var c = Cluster(3, "7.17.27", shards: 1, replicas: 1);
        var replicaNode = c.Nodes.First(n => n.Id == Copies(c).Single(x => !x.Primary).NodeId);
        c.StopNode(replicaNode.Name);
        var moving = Copies(c).Single(x => !x.Primary);
        Assert.Equal(ShardState.Initializing, moving.State);
        c.Tick();
        Assert.Equal(ShardState.Initializing, moving.State);
        c.Clock.Advance(moving.ReadyAt - c.Clock.UtcNow + TimeSpan.FromMilliseconds(1));
        c.Tick();
        Assert.Equal(ShardState.Started, moving.State);
    }

    [Theory]
    [InlineData("cluster.routing.allocation.enable", "sometimes", "Illegal allocation.enable value [SOMETIMES]")]
    [InlineData("cluster.routing.rebalance.enable", "new_primaries", "Illegal rebalance.enable value [NEW_PRIMARIES]")]
    [InlineData("no.such.setting", "1", "persistent setting [no.such.setting], not recognized")]
    public void Bad_settings_are_refused_as_elasticsearch_refuses_them(string key, string value, string reason)
    {
        var c = Cluster(1, "8.19.0");
        var error = Assert.Throws<EsError>(() => c.UpdateSettings(new Dictionary<string, string?> { [key] = value }, new Dictionary<string, string?>()));
        Assert.Equal(400, error.Status);
        Assert.Equal(reason, error.Reason);
    }
}
