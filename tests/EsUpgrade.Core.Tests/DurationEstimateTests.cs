using EsUpgrade.Indices;
using EsUpgrade.Upgrade;

namespace EsUpgrade.Core.Tests;

public class DurationEstimateTests
{
    static UpgradePlan Plan() => new()
    {
        Nodes = new[]
        {
            new PlannedNode { Name = "warm-1", Group = "warm tier", Position = 1 },
            new PlannedNode { Name = "warm-2", Group = "warm tier", Position = 2 },
            new PlannedNode { Name = "master-1", Group = "elected master", Position = 3 },
        },
    };

    static IReadOnlyList<EsShard> Shards() => Enumerable.Range(0, 5).Select(i => new EsShard { Index = "logs", Shard = i, Node = "warm-1", StoreBytes = 100L << 20 })
        .Concat(Enumerable.Range(0, 2).Select(i => new EsShard { Index = "logs", Shard = i, Node = "warm-2", StoreBytes = 100L << 20 })).ToList();

    [Fact]
    public void The_table_gives_restart_plus_ops_recovery_two_at_a_time_and_says_so()
    {
        var plan = Plan();
        DurationEstimator.Estimate(plan, Shards(), 40L << 20, TimeSpan.FromMinutes(2), null);
        var warm1 = plan.Nodes[0].Estimate!;
        Assert.Equal((TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(3), DurationEstimator.StepOverhead), (warm1.Restart, warm1.Recovery, warm1.Overhead));
        Assert.Contains("5 copies recovering from operations", warm1.Basis);
        Assert.Contains("500 MB would take 13 s more if written during it", warm1.Basis);
        Assert.Equal(TimeSpan.FromSeconds(3 * 125 + 3 + 1 + 0), plan.EstimatedDuration);
        Assert.StartsWith("the table: 120 s a restart", plan.EstimateBasis);
    }

    [Fact]
    public void A_batch_takes_as_long_as_its_slowest_node_not_the_sum_of_its_nodes()
    {
        var plan = Plan();
        DurationEstimator.Estimate(plan, Shards(), 40L << 20, TimeSpan.FromMinutes(2), null);
        var serial = plan.EstimatedDuration;
        plan.Batches = new[]
        {
            new UpgradeBatch { Number = 1, Nodes = new[] { plan.Nodes[0], plan.Nodes[1] } },
            new UpgradeBatch { Number = 2, Nodes = new[] { plan.Nodes[2] } },
        };
        // warm-1 (5 copies: 3 s of recovery) and warm-2 (2 copies: 1 s) restart together; the master alone.
        Assert.Equal(TimeSpan.FromSeconds(125 + 3 + 125 + 0), DurationEstimator.TotalOf(plan));
        Assert.Equal(serial, TimeSpan.FromSeconds(3 * 125 + 3 + 1 + 0));
    }

    [Fact]
    public void A_calibration_uses_each_node_s_measured_phases_else_its_group_s_mean()
    {
        var t0 = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
        UpgradeState.NodeState Measured(string name, string group, int restart, int recovery) => new()
        {
            Name = name, Group = group, StartedAt = t0, Done = true,
            StepEndedAt = new()
            {
                [UpgradeStep.NodeActionStarted] = t0.AddSeconds(4),
                [UpgradeStep.WaitForNode] = t0.AddSeconds(4 + restart),
                [UpgradeStep.WaitForHealth] = t0.AddSeconds(4 + restart + recovery),
            },
        };
        var calibration = new UpgradeState { StartedAt = t0, Nodes = { Measured("warm-1", "warm tier", 40, 20), Measured("master-9", "elected master", 30, 2) } };
        var plan = Plan();
        DurationEstimator.Estimate(plan, Shards(), 40L << 20, null, calibration);
        Assert.Equal((TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(4), "calibration: this node's earlier run"),
            (plan.Nodes[0].Estimate!.Restart, plan.Nodes[0].Estimate!.Recovery, plan.Nodes[0].Estimate!.Overhead, plan.Nodes[0].Estimate!.Basis));
        Assert.Equal("calibration: the mean of 1 warm tier node(s)", plan.Nodes[1].Estimate!.Basis);
        Assert.Equal(TimeSpan.FromSeconds(36), plan.Nodes[2].Estimate!.Total);
        Assert.Equal(TimeSpan.FromSeconds(64 + 64 + 36), plan.EstimatedDuration);
    }

    [Theory]
    [InlineData("40mb", 40L << 20)]
    [InlineData("1gb", 1L << 30)]
    [InlineData("512kb", 512L << 10)]
    [InlineData("100b", 100L)]
    [InlineData("2.5mb", (long)(2.5 * (1 << 20)))]
    public void Byte_sizes_are_read_as_Elasticsearch_writes_them(string text, long bytes) => Assert.Equal(bytes, DurationEstimator.ParseBytes(text));
}
