using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;
using EsUpgrade.Indices;
using EsUpgrade.Inventory;
using EsUpgrade.Upgrade;
using static EsUpgrade.Core.Tests.RollingUpgradeTests;

namespace EsUpgrade.Core.Tests;

/// <summary>Batches of nodes restarted together: by zone, or up to N, never leaving a shard without a started copy.</summary>
public class BatchPlannerTests
{
    /// <summary>3 masters and 3 zones of <paramref name="perZone"/> data nodes, with shard allocation awareness on zone.</summary>
    internal static ClusterSpec Zoned(int perZone = 2, params IndexSpec[] more)
    {
        var spec = new ClusterSpec { ClusterName = "zoned", TimeScale = 60 };
        foreach (var m in new[] { "master-1", "master-2", "master-3" }) spec.Nodes.Add(new NodeSpec { Name = m, Version = "7.17.27", Roles = new() { "master" } });
        foreach (var zone in new[] { "a", "b", "c" })
            for (var i = 1; i <= perZone; i++)
                spec.Nodes.Add(new NodeSpec { Name = $"data-{zone}{i}", Version = "7.17.27", Roles = new() { "data", "data_content", "data_hot", "ingest" }, Attributes = { ["zone"] = zone } });
        spec.PersistentSettings["cluster.routing.allocation.awareness.attributes"] = "zone";
        spec.PersistentSettings["cluster.routing.allocation.awareness.force.zone.values"] = "a,b,c";
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = 6, Replicas = 1, Documents = 60_000 });
        spec.Indices.Add(new IndexSpec { Name = "metrics", Shards = 2, Replicas = 2, Documents = 5_000 });
        spec.Indices.AddRange(more);
        return spec;
    }

    static async Task<(UpgradePlan Plan, IReadOnlyList<EsShard> Shards)> ReadAsync(Emulated es)
    {
        var (api, plan) = await PlanAsync(es);
        return (plan, await IndexReader.GetShardsAsync(api, null, default));
    }

    static void AssertEveryBatchLeavesACopy(IReadOnlyList<UpgradeBatch> batches, IReadOnlyList<EsShard> shards)
    {
        foreach (var batch in batches)
        {
            var down = batch.Nodes.Select(n => n.Name).ToHashSet();
            foreach (var shard in shards.GroupBy(s => (s.Index, s.Shard)).Where(g => g.Any(s => s.Node != null && down.Contains(s.Node))))
                Assert.Contains(shard, s => s.State == EsUpgrade.Indices.ShardState.Started && !down.Contains(s.Node!));
        }
    }

    [Fact]
    public async Task By_zone_the_data_nodes_of_each_zone_go_together_and_the_masters_one_at_a_time_the_elected_last()
    {
        await using var es = await Emulated.StartAsync(Zoned());
        var (plan, shards) = await ReadAsync(es);
        var batches = BatchPlanner.Plan(plan.Nodes, shards, new BatchOptions { ByZone = true, ZoneAttribute = "zone" });

        Assert.Equal(new[] { "a", "b", "c" }, batches.Take(3).Select(b => b.Zone));
        Assert.Equal(new[] { "data-a1,data-a2", "data-b1,data-b2", "data-c1,data-c2" }, batches.Take(3).Select(b => string.Join(",", b.Nodes.Select(n => n.Name))));
        Assert.All(batches.Skip(3), b => Assert.True(b.Nodes.Single().IsMasterEligible));
        Assert.True(batches[^1].Nodes.Single().IsElectedMaster);
        Assert.Equal(plan.Nodes.Select(n => n.Name), batches.SelectMany(b => b.Nodes).Select(n => n.Name));
        Assert.Contains("every shard on these nodes has a started copy in another zone", batches[0].Why);
        AssertEveryBatchLeavesACopy(batches, shards);
    }

    [Fact]
    public async Task A_zone_holding_an_index_without_replicas_is_refused_unless_it_may_fall_back_to_one_at_a_time()
    {
        await using var es = await Emulated.StartAsync(Zoned(more: new IndexSpec { Name = "scratch", Shards = 1, Replicas = 0, Documents = 10 }));
        var (plan, shards) = await ReadAsync(es);
        var refused = Assert.Throws<EsException>(() => BatchPlanner.Plan(plan.Nodes, shards, new BatchOptions { ByZone = true, ZoneAttribute = "zone" }));
        Assert.Equal((ErrorIds.BatchUnsafe, EsErrorKind.InvalidState), (refused.ErrorId, refused.Kind));
        Assert.Contains("scratch [0]", refused.Message);
        Assert.Contains("(scratch has no replicas)", refused.Message);
        Assert.Contains("-FallbackToSerial", refused.Message);

        var holder = shards.Single(s => s.Index == "scratch").Node!;
        var fallback = BatchPlanner.Plan(plan.Nodes, shards, new BatchOptions { ByZone = true, ZoneAttribute = "zone", FallbackToSerial = true });
        Assert.Contains(fallback, b => b.Nodes.Count == 1 && b.Nodes[0].Name == holder && b.Why.Contains("one at a time"));
        Assert.Equal(2, fallback.Count(b => b.Nodes.Count == 2));     // the other two zones still go together
    }

    [Fact]
    public async Task Copies_all_in_one_zone_make_that_zone_unsafe()
    {
        // Without awareness the copies of a shard may share a zone: the same shards, both copies put in zone a.
        await using var es = await Emulated.StartAsync(Zoned());
        var (plan, shards) = await ReadAsync(es);
        var crowded = shards.Select(s => Copy(s, s.Node is null ? null : "data-a" + (s.Primary ? "1" : "2"))).Where(s => s.Index == "logs").ToList();
        var refused = Assert.Throws<EsException>(() => BatchPlanner.Plan(plan.Nodes, crowded, new BatchOptions { ByZone = true, ZoneAttribute = "zone" }));
        Assert.Contains("zone a of the hot tier (data-a1, data-a2): 6 shard(s) would have no started copy outside it: logs [0,1,2,3,4,5]", refused.Message);
        Assert.Contains("their copies are all on these nodes", refused.Message);
    }

    static EsShard Copy(EsShard s, string? node) => new() { Connection = s.Connection, Index = s.Index, Shard = s.Shard, Primary = s.Primary, State = s.State, Node = node };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(100)]
    public async Task Up_to_N_data_nodes_go_together_and_never_two_copies_of_a_shard(int maxUnavailable)
    {
        await using var es = await Emulated.StartAsync(Zoned(perZone: 2));
        var (plan, shards) = await ReadAsync(es);
        var batches = BatchPlanner.Plan(plan.Nodes, shards, new BatchOptions { MaxUnavailable = maxUnavailable });
        Assert.All(batches, b => Assert.InRange(b.Nodes.Count, 1, maxUnavailable));
        Assert.All(batches.Where(b => b.Nodes.Any(n => n.IsMasterEligible)), b => Assert.Single(b.Nodes));
        Assert.Equal(plan.Nodes.Select(n => n.Name), batches.SelectMany(b => b.Nodes).Select(n => n.Name));
        AssertEveryBatchLeavesACopy(batches, shards);
        if (maxUnavailable > 1) Assert.Contains(batches, b => b.Nodes.Count > 1);
    }
}
