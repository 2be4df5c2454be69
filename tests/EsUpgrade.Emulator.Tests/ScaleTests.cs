using System.Text.Json;
using System.Text.Json.Nodes;
using EsUpgrade.Emulator.Control;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Tests;

/// <summary>Scale mode: 200 nodes and 100,000 shard copies in one process, placed by the same rules, answered at their real size.</summary>
public class ScaleTests
{
    [Fact]
    public void Two_hundred_nodes_hold_100000_copies_one_to_a_zone_balanced_and_all_started()
    {
        var c = new EmulatedCluster(ClusterSpec.Scaled(198, 100_000, 3, "7.17.27"));
        Assert.Equal(201, c.Nodes.Count);
        var copies = c.AllCopies.ToList();
        Assert.Equal(100_000, copies.Count);
        Assert.All(copies, x => Assert.Equal(ShardState.Started, x.State));
        var zone = c.Nodes.ToDictionary(n => n.Id, n => n.Attributes.GetValueOrDefault("zone"));
        Assert.All(copies.GroupBy(x => (x.Index, x.Shard)), g => Assert.Equal(2, g.Select(x => zone[x.NodeId!]).Distinct().Count()));
        // Placed one by one under awareness, then settled as a running cluster's balancer leaves it.
        var perNode = copies.GroupBy(x => x.NodeId).Select(g => g.Count()).ToList();
        Assert.Equal(198, perNode.Count);
        Assert.InRange(perNode.Max() - perNode.Min(), 0, 1);
        Assert.Equal(0, c.MomentsWithoutStartedCopy);
    }

    [Fact]
    public void The_scale_option_makes_masters_zoned_data_nodes_awareness_and_indices_of_ten_shards()
    {
        var (spec, _, _, _) = EmulatorCommandLine.Parse(new[] { "--scale", "9:40:3", "--version", "8.19.0" });
        Assert.Equal(new[] { "master-1", "master-2", "master-3" }, spec.Nodes.Take(3).Select(n => n.Name));
        Assert.All(spec.Nodes.Take(3), n => Assert.Equal(new[] { "master" }, n.Roles));
        Assert.Equal(new[] { 3, 3, 3 }, spec.Nodes.Skip(3).GroupBy(n => n.Attributes["zone"]).Select(g => g.Count()));
        Assert.All(spec.Nodes, n => Assert.Equal("8.19.0", n.Version));
        Assert.Equal("zone", spec.PersistentSettings["cluster.routing.allocation.awareness.attributes"]);
        Assert.Equal("a,b,c", spec.PersistentSettings["cluster.routing.allocation.awareness.force.zone.values"]);
        Assert.Equal(2, spec.Indices.Count);
        Assert.All(spec.Indices, i => Assert.Equal((10, 1), (i.Shards, i.Replicas)));
        Assert.Throws<ArgumentException>(() => EmulatorCommandLine.Parse(new[] { "--scale", "9" }));
    }

    [Fact]
    public async Task Nodes_info_has_a_real_nodes_size_and_cat_shards_json_reads_the_same_written_straight_or_pretty()
    {
        await using var c = await Cluster.StartAsync(ClusterSpec.Scaled(6, 200, 3, "7.17.27"));
        var (_, body) = await c.SendAsync("GET", "/_nodes");
        var nodes = JsonDocument.Parse(body).RootElement.GetProperty("nodes").EnumerateObject().Select(p => p.Value).ToList();
        Assert.Equal(9, nodes.Count);
        // A real node answers tens of kilobytes: its modules, thread pools and JVM arguments make most of it.
        Assert.True(body.Length / nodes.Count > 10_000, $"{body.Length / nodes.Count} bytes a node");
        Assert.All(nodes, n =>
        {
            Assert.True(n.GetProperty("modules").GetArrayLength() >= 60);
            Assert.Equal("fixed", n.GetProperty("thread_pool").GetProperty("write").GetProperty("type").GetString());
            Assert.Contains(n.GetProperty("jvm").GetProperty("input_arguments").EnumerateArray(), a => a.GetString() == "-Xmx4g");
            Assert.True(n.GetProperty("ingest").GetProperty("processors").GetArrayLength() > 30);
        });

        // Unassigned copies have null cells: both ways of writing the table must say so.
        await c.Host.StopNodeAsync("data-a001");
        var (_, straight) = await c.SendAsync("GET", "/_cat/shards?format=json&h=index,shard,prirep,state,docs,node,unassigned.reason");
        var (_, pretty) = await c.SendAsync("GET", "/_cat/shards?format=json&pretty&h=index,shard,prirep,state,docs,node,unassigned.reason");
        var rows = JsonNode.Parse(straight)!.AsArray();
        Assert.Equal(200, rows.Count);
        Assert.Contains(rows, r => r!["state"]!.GetValue<string>() == "UNASSIGNED" && r["node"] is null && r["docs"] is null);
        Assert.True(JsonNode.DeepEquals(rows, JsonNode.Parse(pretty)));
    }
}
