using EsUpgrade.Connections;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;
using EsUpgrade.Inventory;
using EsUpgrade.Upgrade;
using EsUpgrade.Verification;
using EsUpgrade.Wire;
using static EsUpgrade.Core.Tests.RollingUpgradeTests;

namespace EsUpgrade.Core.Tests;

/// <summary>State kept in the cluster (-StatePath cluster:NAME): what a runbook whose sandbox is lost resumes from.</summary>
public class ClusterStateStoreTests
{
    /// <summary>Short beats, so that a dead holder goes stale within a test.</summary>
    static readonly ClusterLockTiming Fast = new() { HeartbeatEvery = TimeSpan.FromMilliseconds(100), StaleAfter = TimeSpan.FromSeconds(1), Poll = TimeSpan.FromMilliseconds(100) };

    static async Task<EsApi> ApiAsync(Emulated es, RecordingLog? log = null) => new(await es.ConnectAsync(), log ?? new RecordingLog());

    [Fact]
    public async Task State_and_baseline_are_kept_in_a_hidden_index_and_read_back()
    {
        await using var es = await Emulated.StartAsync(3);
        var api = await ApiAsync(es);
        var store = new ClusterUpgradeStateStore(api, "to-8", Fast);
        Assert.Null(await store.LoadAsync(default));
        Assert.Null(await store.LoadBaselineAsync(default));

        var baseline = await ClusterBaselines.TakeAsync(api, default);
        Assert.Contains("to-8.baseline", await store.SaveBaselineAsync(baseline, default));
        using (await store.HoldAsync(default))
            await store.SaveAsync(new UpgradeState { ClusterUuid = "u1", ClusterName = "c", TargetVersion = Target, Nodes = { new UpgradeState.NodeState { Name = "es-01", Completed = { UpgradeStep.Flush } } } }, default);

        var again = new ClusterUpgradeStateStore(await ApiAsync(es), "to-8");
        var state = await again.LoadAsync(default);
        Assert.Equal(("u1", UpgradeStep.Flush), (state!.ClusterUuid, state.Nodes[0].Completed.Single()));
        Assert.Equal(baseline.TotalDocuments, (await again.LoadBaselineAsync(default))!.TotalDocuments);
        Assert.Equal("-StatePath 'cluster:to-8'", again.ResumeArgument);
        var index = es.Host.Cluster.Index(ClusterUpgradeStateStore.IndexName)!;
        Assert.True(index.Hidden);
        Assert.Equal((1, 1), (index.NumberOfShards, index.NumberOfReplicas));
        Assert.DoesNotContain("to-8.lock", index.Written.Keys);   // released with the hold
    }

    [Fact]
    public async Task A_second_run_is_refused_while_the_first_one_beats()
    {
        await using var es = await Emulated.StartAsync(3);
        using var first = await new ClusterUpgradeStateStore(await ApiAsync(es), "to-8", Fast).HoldAsync(default);
        var log = new RecordingLog();
        var second = new ClusterUpgradeStateStore(new EsApi(await es.ConnectAsync(), log), "to-8", Fast);
        var refused = await Assert.ThrowsAsync<EsException>(() => second.HoldAsync(default));
        Assert.Equal((ErrorIds.StateFileInUse, EsErrorKind.InvalidState), (refused.ErrorId, refused.Kind));
        Assert.Contains($"in use by {ClusterStateLock.Owner}: its heartbeat moved while this run waited", refused.Message);
        Assert.Contains(log.Lines, l => l.Contains("is held by") && l.Contains("Waiting up to 1 s"));
    }

    [Fact]
    public async Task A_dead_runs_lock_is_taken_over_once_its_heartbeat_has_been_still_long_enough()
    {
        await using var es = await Emulated.StartAsync(3);
        var api = await ApiAsync(es);
        // A lock whose holder died: nothing beats it any more.
        await new ClusterUpgradeStateStore(api, "to-8").SaveBaselineAsync(new EsClusterBaseline(), default);
        await api.SendAsync(new EsRequest("PUT", $"/{ClusterUpgradeStateStore.IndexName}/_create/to-8.lock", """{"owner":"sandbox-7 process 42","token":"dead","beat":9}"""), default);

        var log = new RecordingLog();
        var store = new ClusterUpgradeStateStore(new EsApi(await es.ConnectAsync(), log), "to-8", Fast);
        var started = DateTimeOffset.UtcNow;
        using (await store.HoldAsync(default))
        {
            Assert.True(DateTimeOffset.UtcNow - started >= Fast.StaleAfter, "took over before the lock was stale");
            Assert.Contains(log.Lines, l => l.Contains("was held by sandbox-7 process 42, whose heartbeat stopped") && l.Contains("this run took it over"));
            await store.SaveAsync(new UpgradeState { ClusterUuid = "u1", TargetVersion = Target }, default);
        }
    }

    [Fact]
    public async Task A_run_that_lost_its_lock_stops_without_writing()
    {
        await using var es = await Emulated.StartAsync(3);
        var api = await ApiAsync(es);
        var store = new ClusterUpgradeStateStore(api, "to-8", Fast);
        using var held = await store.HoldAsync(default);
        await store.SaveAsync(new UpgradeState { ClusterUuid = "mine", TargetVersion = Target }, default);
        // Another run took the lock over (this one's beats went unseen, say, through a long network partition).
        es.Host.Cluster.IndexDocument(es.Host.Cluster.Index(ClusterUpgradeStateStore.IndexName)!, "to-8.lock", """{"owner":"runbook job 2","token":"other"}""");

        var lost = await Assert.ThrowsAsync<EsException>(() => store.SaveAsync(new UpgradeState { ClusterUuid = "overwritten", TargetVersion = Target }, default));
        Assert.Equal(ErrorIds.StateFileInUse, lost.ErrorId);
        Assert.Contains("runbook job 2 holds it now", lost.Message);
        Assert.Equal("mine", (await new ClusterUpgradeStateStore(api, "to-8").LoadAsync(default))!.ClusterUuid);
    }

    [Fact]
    public async Task A_cluster_of_one_data_node_and_a_bad_name_are_refused()
    {
        await using var es = await Emulated.StartAsync(1);
        var api = await ApiAsync(es);
        var one = await Assert.ThrowsAsync<EsException>(() => new ClusterUpgradeStateStore(api, "to-8").HoldAsync(default));
        Assert.Equal((ErrorIds.StateStoreUnsuitable, EsErrorKind.InvalidArgument), (one.ErrorId, one.Kind));
        var bad = Assert.Throws<EsException>(() => new ClusterUpgradeStateStore(api, "../x"));
        Assert.Equal(ErrorIds.InvalidStateFile, bad.ErrorId);
        Assert.Equal("x.json", ClusterUpgradeStateStore.NameIn("cluster:x.json"));
        Assert.Null(ClusterUpgradeStateStore.NameIn(@"C:\state\x.json"));
    }

    [Fact]
    public async Task A_killed_run_is_resumed_from_the_cluster_by_its_restarted_job_and_no_node_restarts_twice()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var (api, plan, wire) = await KillablePlanAsync(es);
        var host = new EmulatorHostActions(es);
        var before = await CountAsync(api);
        // Killed mid-way: its lock stays behind (a dead process releases nothing) and its heartbeat stops.
        await Assert.ThrowsAnyAsync<Exception>(() => new RollingUpgrade(api, plan, host, new CrashingStore(new ClusterUpgradeStateStore(api, "job", Fast), 12, wire)).RunAsync(default));
        Assert.Contains("job.lock", es.Host.Cluster.Index(ClusterUpgradeStateStore.IndexName)!.Written.Keys);

        // The restarted job, on another machine with an empty disk: a new plan, the same state name.
        var (api2, plan2) = await PlanAsync(es);
        await new RollingUpgrade(api2, plan2, host, new ClusterUpgradeStateStore(api2, "job", Fast)).RunAsync(default);

        AssertUpgraded(es);
        Assert.Equal(before, await CountAsync(api2));
        Assert.NotNull((await new ClusterUpgradeStateStore(api2, "job").LoadAsync(default))!.CompletedAt);
        Assert.DoesNotContain("job.lock", es.Host.Cluster.Index(ClusterUpgradeStateStore.IndexName)!.Written.Keys);
    }

    [Fact]
    public async Task A_run_whose_lock_was_taken_over_leaves_allocation_and_state_to_the_run_that_took_it()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var (api, plan) = await PlanAsync(es);
        var host = new EmulatorHostActions(es);
        // During the second node's action another run takes the lock over (this run's beats went unseen).
        host.BeforeAction = node =>
        {
            if (node != plan.Nodes[1].Name) return;
            lock (es.Host.Cluster.Sync)
                es.Host.Cluster.IndexDocument(es.Host.Cluster.Index(ClusterUpgradeStateStore.IndexName)!, "job.lock", """{"owner":"runbook job 2","token":"other"}""");
        };
        var stopped = await Assert.ThrowsAsync<EsException>(() => new RollingUpgrade(api, plan, host, new ClusterUpgradeStateStore(api, "job", Fast)).RunAsync(default));
        Assert.Equal(ErrorIds.RollingUpgradeFailed, stopped.ErrorId);
        Assert.Contains("runbook job 2 holds it now", stopped.Message);
        Assert.EndsWith("Allocation and the state were left to that run.", stopped.Message);
        // Allocation stays as the run had set it for the node's restart: the run holding the state puts it back.
        lock (es.Host.Cluster.Sync) Assert.Equal("primaries", es.Host.Cluster.Persistent["cluster.routing.allocation.enable"]);
        Assert.Contains("job.lock", es.Host.Cluster.Index(ClusterUpgradeStateStore.IndexName)!.Written.Keys);
    }
}
