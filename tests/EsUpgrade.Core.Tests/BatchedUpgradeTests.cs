using EsUpgrade.Emulator.Model;
using EsUpgrade.Inventory;
using EsUpgrade.Upgrade;
using static EsUpgrade.Core.Tests.BatchPlannerTests;
using static EsUpgrade.Core.Tests.RollingUpgradeTests;

namespace EsUpgrade.Core.Tests;

/// <summary>The rolling upgrade by batches: a zone at a time, or up to N data nodes, against the emulator.</summary>
public class BatchedUpgradeTests
{
    static void AssertUpgradedOnce(Emulated es)
    {
        lock (es.Host.Cluster.Sync)
        {
            Assert.All(es.Host.Cluster.Nodes, n => Assert.Equal((Target, NodeState.Joined, 1), (n.Profile.Number, n.State, n.Restarts)));
            Assert.False(es.Host.Cluster.Persistent.ContainsKey("cluster.routing.allocation.enable"));
            Assert.Equal(0, es.Host.Cluster.MomentsWithoutStartedCopy);
        }
    }

    [Fact]
    public async Task By_zone_each_zone_restarts_together_no_shard_ever_lacks_a_started_copy_and_masters_go_one_at_a_time()
    {
        await using var es = await Emulated.StartAsync(Zoned());
        var (api, _) = await PlanAsync(es);
        var plan = await UpgradePlanner.PlanAsync(api, Target, default, new BatchOptions { ByZone = true });
        Assert.Equal("a", plan.Batches[0].Zone);     // the attribute came from the cluster's awareness setting
        var host = new EmulatorHostActions(es);
        await new RollingUpgrade(api, plan, host, new MemoryUpgradeStateStore()).RunAsync(default);

        AssertUpgradedOnce(es);
        Assert.Equal(9, host.Results.Count(r => r.Status == NodeUpgradeStatus.Upgraded));
        // The two nodes of a zone act at once (the second starts while the first is under way); the masters alone.
        Assert.Equal(new[] { 0, 1, 0, 1, 0, 1, 0, 0, 0 }, host.InFlightAtAction);
        Assert.Equal(new[] { 2, 2, 2, 2, 2, 2, 1, 1, 1 }, host.TogetherAtAction);
        Assert.All(host.MastersDownAtAction, m => Assert.Equal(0, m));
        Assert.Equal(new[] { "data-a", "data-a", "data-b", "data-b", "data-c", "data-c" }, host.Actions.Take(6).Select(a => a[..6]));
    }

    [Fact]
    public async Task A_batch_s_safety_check_reads_the_shards_once_for_all_its_nodes()
    {
        await using var es = await Emulated.StartAsync(Zoned());
        var (api, _, wire) = await KillablePlanAsync(es);
        var plan = await UpgradePlanner.PlanAsync(api, Target, default, new BatchOptions { ByZone = true });
        var reads = 0;
        int? readsAtFirstAction = null;
        wire.Intercept = r =>
        {
            if (r.Path.StartsWith("/_cat/shards", StringComparison.Ordinal)) Interlocked.Increment(ref reads);
            return null;
        };
        var host = new EmulatorHostActions(es) { BeforeAction = _ => readsAtFirstAction ??= Volatile.Read(ref reads) };
        await new RollingUpgrade(api, plan, host, new MemoryUpgradeStateStore()).RunAsync(default);
        AssertUpgradedOnce(es);
        // Zone a's two nodes and the zone as a whole, judged from one read of a green cluster.
        Assert.Equal(1, readsAtFirstAction);
    }

    [Fact]
    public async Task Up_to_N_data_nodes_restart_together_and_no_shard_ever_lacks_a_started_copy()
    {
        await using var es = await Emulated.StartAsync(Zoned(perZone: 2));
        var (api, _) = await PlanAsync(es);
        var plan = await UpgradePlanner.PlanAsync(api, Target, default, new BatchOptions { MaxUnavailable = 3 });
        var host = new EmulatorHostActions(es);
        await new RollingUpgrade(api, plan, host, new MemoryUpgradeStateStore()).RunAsync(default);
        AssertUpgradedOnce(es);
        Assert.Contains(host.InFlightAtAction, d => d >= 1);
        Assert.All(host.InFlightAtAction, d => Assert.InRange(d, 0, 2));
    }

    [Fact]
    public async Task A_run_killed_in_the_middle_of_a_batch_resumes_and_restarts_no_node_twice()
    {
        // The checkpoints of the first batch (a zone of two): safety, allocation, flush, ML, action started, actions,
        // waits, allocation back, recovery. A kill after each of the first few.
        foreach (var crashAt in new[] { 5, 6, 7, 9 })
        {
            await using var es = await Emulated.StartAsync(Zoned());
            var (api, _, wire) = await KillablePlanAsync(es);
            var plan = await UpgradePlanner.PlanAsync(api, Target, default, new BatchOptions { ByZone = true });
            var path = Path.Combine(Path.GetTempPath(), $"esupgrade-batch-{Guid.NewGuid():N}.json");
            var host = new EmulatorHostActions(es);
            await Assert.ThrowsAnyAsync<Exception>(() => new RollingUpgrade(api, plan, host, new CrashingStore(path, crashAt, wire)).RunAsync(default));

            // A new process: a new plan, the same state file: the first run's batches are followed.
            var (api2, plan2) = await PlanAsync(es);
            await new RollingUpgrade(api2, plan2, host, new FileUpgradeStateStore(path)).RunAsync(default);
            AssertUpgradedOnce(es);
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_failed_action_in_a_batch_stops_the_run_safely_and_the_resume_finishes_the_batch()
    {
        await using var es = await Emulated.StartAsync(Zoned());
        var (api, _) = await PlanAsync(es);
        var plan = await UpgradePlanner.PlanAsync(api, Target, default, new BatchOptions { ByZone = true });
        var path = Path.Combine(Path.GetTempPath(), $"esupgrade-batchfail-{Guid.NewGuid():N}.json");
        var host = new EmulatorHostActions(es) { BeforeAction = node => { if (node == "data-a2") throw new InvalidOperationException("the install share is unreachable"); } };
        var failed = await Assert.ThrowsAsync<EsUpgrade.Errors.EsException>(() => new RollingUpgrade(api, plan, host, new FileUpgradeStateStore(path)).RunAsync(default));
        Assert.Contains("stopped at node data-a2, step NodeAction", failed.Message);
        Assert.Contains("the install share is unreachable", failed.Message);
        lock (es.Host.Cluster.Sync) Assert.False(es.Host.Cluster.Persistent.ContainsKey("cluster.routing.allocation.enable"));

        // The next run: data-a1 was restarted already, data-a2 not; the batch goes on from there.
        host.BeforeAction = null;
        var (api2, plan2) = await PlanAsync(es);
        await new RollingUpgrade(api2, plan2, host, new FileUpgradeStateStore(path)).RunAsync(default);
        AssertUpgradedOnce(es);
        File.Delete(path);
    }

    [Fact]
    public async Task An_action_under_way_that_fails_after_another_of_its_batch_failed_is_recorded_with_its_own_error()
    {
        await using var es = await Emulated.StartAsync(Zoned());
        var (api, _) = await PlanAsync(es);
        var plan = await UpgradePlanner.PlanAsync(api, Target, default, new BatchOptions { ByZone = true });
        var host = new EmulatorHostActions(es)
        {
            During = async (node, ct) =>
            {
                if (node == "data-a1") throw new InvalidOperationException("data-a1: the package is corrupt");
                if (node != "data-a2") return;
                // Under way when data-a1 fails (the run cancels its "do not begin" token), then failing on its own.
                try { await Task.Delay(Timeout.Infinite, ct); }
                catch (OperationCanceledException) { }
                throw new InvalidOperationException("data-a2: the disk is full");
            },
        };
        await Assert.ThrowsAsync<EsUpgrade.Errors.EsException>(() => new RollingUpgrade(api, plan, host, new MemoryUpgradeStateStore()).RunAsync(default));
        var a2 = host.Results.Single(r => r.Node == "data-a2");
        Assert.Equal(NodeUpgradeStatus.Failed, a2.Status);
        Assert.Contains("data-a2: the disk is full", a2.Error);
        lock (es.Host.Cluster.Sync) Assert.False(es.Host.Cluster.Persistent.ContainsKey("cluster.routing.allocation.enable"));
    }

    [Fact]
    public async Task Nodes_of_a_zone_go_together_even_when_their_names_interleave_the_zones()
    {
        var spec = Zoned(perZone: 0);
        var zones = new[] { "a", "b", "c", "a", "b", "c" };
        for (var i = 0; i < zones.Length; i++)
            spec.Nodes.Add(new NodeSpec { Name = $"es-data-{i}", Version = "7.17.27", Roles = new() { "data", "data_content", "data_hot" }, Attributes = { ["zone"] = zones[i] } });
        await using var es = await Emulated.StartAsync(spec);
        var (api, _) = await PlanAsync(es);
        var plan = await UpgradePlanner.PlanAsync(api, Target, default, new BatchOptions { ByZone = true });
        Assert.Equal(new[] { "es-data-0", "es-data-3", "es-data-1", "es-data-4", "es-data-2", "es-data-5" }, plan.Nodes.Take(6).Select(n => n.Name));
        Assert.Equal(Enumerable.Range(1, 9), plan.Nodes.Select(n => n.Position));
        var host = new EmulatorHostActions(es);
        await new RollingUpgrade(api, plan, host, new MemoryUpgradeStateStore()).RunAsync(default);
        Assert.Equal(new[] { 0, 1, 0, 1, 0, 1, 0, 0, 0 }, host.InFlightAtAction);
        AssertUpgradedOnce(es);
    }
}
