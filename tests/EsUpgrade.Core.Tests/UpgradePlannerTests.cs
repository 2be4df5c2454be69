using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;
using EsUpgrade.Upgrade;

namespace EsUpgrade.Core.Tests;

/// <summary>The order of a rolling upgrade and what the planner refuses, without a cluster.</summary>
public class UpgradePlannerTests
{
    const string Target = "8.19.0";

    [Fact]
    public void Plans_tiers_then_other_nodes_then_masters_with_the_elected_master_last()
    {
        var nodes = new EmulatedCluster(RollingUpgradeTests.NineNodes()).Nodes;
        var esNodes = nodes.Select(n => Fake.Node(n.Name, n.Roles, n.Name == "master-1")).ToList();
        var plan = UpgradePlanner.Plan(Fake.Connection(), esNodes, Target);
        Assert.Equal(new[] { "frozen-1", "frozen-2", "warm-1", "warm-2", "hot-1", "hot-2", "master-2", "master-3", "master-1" }, plan.Nodes.Select(n => n.Name));
        Assert.Equal("elected master", plan.Nodes.Last().Group);
        Assert.Contains(plan.Warnings, w => w.Contains("has one URI"));
        Assert.All(plan.Nodes, n => Assert.False(string.IsNullOrEmpty(n.Reason)));
    }

    [Theory]
    [InlineData("9.1.0", "UnsupportedTargetVersion")]
    [InlineData("8.x", "UnsupportedTargetVersion")]
    [InlineData("8.19", "UnsupportedTargetVersion")]   // nodes report three parts; every later comparison is of those
    [InlineData("7.17.28", "UnsupportedTargetVersion")]
    public void Refuses_a_target_that_is_not_8x(string target, string errorId) =>
        Assert.Equal(errorId, Assert.Throws<EsException>(() => UpgradePlanner.Plan(Fake.Connection(), new[] { Fake.Node("a", new[] { "master" }, true) }, target)).ErrorId);

    [Fact]
    public void Refuses_a_cluster_not_on_717()
    {
        var nodes = new[] { Fake.Node("a", new[] { "master" }, true), Fake.Node("b", new[] { "data" }, false, "7.16.3") };
        var ex = Assert.Throws<EsException>(() => UpgradePlanner.Plan(Fake.Connection(), nodes, Target));
        Assert.Equal("ClusterNotOn717", ex.ErrorId);
        Assert.Contains("b (7.16.3)", ex.Message);
    }

    [Fact]
    public async Task Plans_from_the_nodes_the_cluster_reports()
    {
        await using var es = await Emulated.StartAsync(RollingUpgradeTests.NineNodes());
        using var connection = await es.ConnectAsync();
        var plan = await UpgradePlanner.PlanAsync(new Connections.EsApi(connection), Target, default);
        Assert.Equal(9, plan.Nodes.Count);
        Assert.Equal("elected master", plan.Nodes[^1].Group);
        Assert.Equal(connection.ClusterUuid, plan.ClusterUuid);
    }

    [Fact]
    public void A_cluster_already_on_8x_is_told_so_not_sent_back_to_717()
    {
        var nodes = new[] { Fake.Node("a", new[] { "master" }, true, "8.17.0"), Fake.Node("b", new[] { "data" }, false, "8.17.0") };
        var ex = Assert.Throws<EsException>(() => UpgradePlanner.Plan(Fake.Connection(), nodes, Target));
        Assert.Equal(ErrorIds.ClusterAlreadyOn8, ex.ErrorId);
        Assert.Contains("a (8.17.0)", ex.Message);
        Assert.DoesNotContain("7.17 first", ex.Message);
    }

    [Fact]
    public async Task The_plan_warns_about_indices_the_upgrade_would_refuse()
    {
        var spec = RollingUpgradeTests.NineNodes();
        spec.Indices.Add(new IndexSpec { Name = "legacy", Shards = 1, Replicas = 1, Documents = 10, CreatedVersion = "6.8.23" });
        await using var es = await Emulated.StartAsync(spec);
        using var connection = await es.ConnectAsync();
        var plan = await UpgradePlanner.PlanAsync(new Connections.EsApi(connection), Target, default);
        Assert.Contains(plan.Warnings, w => w.Contains("legacy (6.8.23)") && w.Contains("Invoke-EsRollingUpgrade refuses to start"));
    }
}
