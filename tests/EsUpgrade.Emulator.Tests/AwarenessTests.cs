using System.Net;
using System.Text.Json;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Tests;

/// <summary>Shard allocation awareness: node attributes, the awareness decider and forced values, as zone-by-zone upgrades rely on them.</summary>
public class AwarenessTests
{
    /// <summary>3 zones of 2 data nodes, 3 masters without data; an index whose 3 copies of each shard fit one a zone.</summary>
    static ClusterSpec Zones(bool forced, string version = "7.17.27")
    {
        var spec = new ClusterSpec { ClusterName = "zones", TimeScale = 60, ShardFetchTime = TimeSpan.Zero, ElectionTime = TimeSpan.Zero, NodeBootTime = TimeSpan.Zero };
        foreach (var m in new[] { "master-1", "master-2", "master-3" }) spec.Nodes.Add(new NodeSpec { Name = m, Version = version, Roles = new() { "master" } });
        foreach (var zone in new[] { "a", "b", "c" })
            for (var i = 1; i <= 2; i++)
                spec.Nodes.Add(new NodeSpec { Name = $"data-{zone}{i}", Version = version, Roles = new() { "data", "data_content", "data_hot" }, Attributes = { ["zone"] = zone } });
        spec.PersistentSettings["cluster.routing.allocation.awareness.attributes"] = "zone";
        if (forced) spec.PersistentSettings["cluster.routing.allocation.awareness.force.zone.values"] = "a,b,c";
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = 4, Replicas = 2, Documents = 4000 });
        return spec;
    }

    static string ZoneOf(EmulatedCluster c, ShardCopy copy) => c.Nodes.Single(n => n.Id == copy.NodeId).Attributes["zone"];

    [Fact]
    public void Copies_of_a_shard_are_spread_one_to_a_zone()
    {
        var c = new EmulatedCluster(Zones(forced: false));
        foreach (var shard in c.Index("logs")!.Copies.GroupBy(x => x.Shard))
            Assert.Equal(new[] { "a", "b", "c" }, shard.Select(x => ZoneOf(c, x)).OrderBy(z => z));
    }

    [Fact]
    public async Task With_forced_values_the_copies_of_a_zone_that_is_away_wait_for_it_with_the_deciders_words()
    {
        await using var c = await Cluster.StartAsync(Zones(forced: true));
        await c.Host.StopNodeAsync("data-c1");
        await c.Host.StopNodeAsync("data-c2");
        var health = await c.GetJsonAsync("/_cluster/health?wait_for_no_initializing_shards=true&timeout=30s");
        Assert.Equal("yellow", health.GetProperty("status").GetString());
        Assert.Equal(4, health.GetProperty("unassigned_shards").GetInt32());
        // Every shard still has a started copy in zones a and b.
        Assert.All(c.Model.Index("logs")!.Copies.GroupBy(x => x.Shard), g => Assert.Equal(2, g.Count(x => x.State == ShardState.Started)));

        var explain = await c.GetJsonAsync("/_cluster/allocation/explain");
        var texts = explain.GetProperty("node_allocation_decisions").EnumerateArray()
            .SelectMany(d => d.GetProperty("deciders").EnumerateArray()).Where(d => d.GetProperty("decider").GetString() == "awareness")
            .Select(d => d.GetProperty("explanation").GetString()).ToList();
        Assert.Contains(texts, t => System.Text.RegularExpressions.Regex.IsMatch(t!,
            @"^there are \[3\] copies of this shard and \[3\] values for attribute \[zone\] \(\[a, b\] from nodes in the cluster and \[a, b, c\] from forced awareness\) so there may be at most \[1\] copies of this shard allocated to nodes with each value, but \(including this copy\) there would be \[2\] copies allocated to nodes with \[node.attr.zone: [ab]\]$"));

        await c.Host.StartNodeAsync("data-c1");
        await c.Host.StartNodeAsync("data-c2");
        health = await c.GetJsonAsync("/_cluster/health?wait_for_status=green&timeout=30m");
        Assert.Equal("green", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Without_forced_values_the_copies_of_a_zone_that_is_away_crowd_into_the_others()
    {
        await using var c = await Cluster.StartAsync(Zones(forced: false));
        await c.Host.StopNodeAsync("data-c1");
        await c.Host.StopNodeAsync("data-c2");
        var health = await c.GetJsonAsync("/_cluster/health?wait_for_status=green&timeout=30m");
        Assert.Equal("green", health.GetProperty("status").GetString());
        Assert.All(c.Model.Index("logs")!.Copies.GroupBy(x => x.Shard), g => Assert.Equal(2, g.Select(x => ZoneOf(c.Model, x)).Distinct().Count()));
    }

    [Fact]
    public async Task A_node_without_the_attribute_takes_no_copy_and_a_forced_setting_other_than_values_is_refused()
    {
        var spec = Zones(forced: false);
        spec.Nodes.Add(new NodeSpec { Name = "data-x", Version = "7.17.27", Roles = new() { "data", "data_content", "data_hot" } });
        var model = new EmulatedCluster(spec);
        var replica = model.Index("logs")!.Copies.First(x => !x.Primary);
        Assert.Equal("[awareness] node does not contain the awareness attribute [zone]; required attributes cluster setting [cluster.routing.allocation.awareness.attributes=zone]",
            model.Decide(replica, model.Nodes.Single(n => n.Name == "data-x"), moving: true));
        Assert.DoesNotContain(model.Index("logs")!.Copies, x => x.NodeId == model.Nodes.Single(n => n.Name == "data-x").Id);

        await using var c = await Cluster.StartAsync(3, "8.19.0");
        var (r, body) = await c.SendAsync("PUT", "/_cluster/settings", """{"persistent":{"cluster.routing.allocation.awareness.force.zone.value":"a"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("invalid forced awareness setting [cluster.routing.allocation.awareness.force.zone.value]", body);
        Assert.Equal(HttpStatusCode.OK, (await c.SendAsync("PUT", "/_cluster/settings", """{"persistent":{"cluster.routing.allocation.awareness.force.zone.values":"a,b"}}""")).Response.StatusCode);
    }
}
