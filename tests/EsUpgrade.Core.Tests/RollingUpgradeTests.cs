using EsUpgrade.Allocation;
using EsUpgrade.MachineLearning;
using EsUpgrade.Connections;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;
using EsUpgrade.Inventory;
using EsUpgrade.Upgrade;
using EsUpgrade.Wire;

namespace EsUpgrade.Core.Tests;

public class RollingUpgradeTests
{
    internal const string Target = "8.19.0";

    /// <summary>
    /// Kills the run right after its Nth save, as a killed process would: from then on nothing it does reaches
    /// the cluster (its wire is dead) or the state file.
    /// </summary>
    internal sealed class CrashingStore : IUpgradeStateStore
    {
        readonly IUpgradeStateStore file;
        readonly int crashAfter;
        readonly FakeWire wire;
        int saves;
        public CrashingStore(string path, int crashAfter, FakeWire wire) : this(new FileUpgradeStateStore(path), crashAfter, wire) { }
        public CrashingStore(IUpgradeStateStore inner, int crashAfter, FakeWire wire) { file = inner; this.crashAfter = crashAfter; this.wire = wire; }
        public int Saves => saves;
        public Task<UpgradeState?> LoadAsync(CancellationToken ct) => file.LoadAsync(ct);
        public string? ResumeArgument => file.ResumeArgument;
        public Task<IDisposable> HoldAsync(CancellationToken ct) => file.HoldAsync(ct);    // a file lock is released when the "killed" run unwinds, as the system frees a dead process's lock
        public Task<EsUpgrade.Verification.EsClusterBaseline?> LoadBaselineAsync(CancellationToken ct) => file.LoadBaselineAsync(ct);
        public Task<string?> SaveBaselineAsync(EsUpgrade.Verification.EsClusterBaseline baseline, CancellationToken ct) => file.SaveBaselineAsync(baseline, ct);
        public async Task SaveAsync(UpgradeState state, CancellationToken ct)
        {
            if (wire.Dead) return;
            await file.SaveAsync(state, ct);
            if (++saves == crashAfter)
            {
                wire.Dead = true;
                throw new IOException("the process was killed");
            }
        }
    }

    internal static async Task<(EsApi Api, UpgradePlan Plan, FakeWire Wire)> KillablePlanAsync(Emulated es)
    {
        var settings = es.Settings();
        // A killed process asks nothing again.
        settings.RetryTimeout = TimeSpan.Zero;
        var wire = new FakeWire(new TransportWire(settings));
        var connection = await Connector.ConnectAsync(null, settings, wire, new RecordingLog(), default);
        var api = new EsApi(connection, new RecordingLog());
        var nodes = await InventoryReader.GetNodesAsync(api, null, default);
        return (api, UpgradePlanner.Plan(connection, nodes, Target), wire);
    }

    internal static ClusterSpec ThreeNodes() => new()
    {
        ClusterName = "three",
        TimeScale = 60,
        Nodes = ClusterSpec.Uniform(3, "7.17.27").Nodes,
        Indices = { new IndexSpec { Name = "logs", Shards = 3, Replicas = 1, Documents = 30_000 }, new IndexSpec { Name = "metrics", Shards = 1, Replicas = 2, Documents = 5_000 } },
    };

    /// <summary>3 master-eligible nodes and 6 data nodes in hot, warm and frozen tiers.</summary>
    public static ClusterSpec NineNodes()
    {
        var spec = new ClusterSpec { ClusterName = "nine", TimeScale = 60 };
        foreach (var n in new[] { "master-1", "master-2", "master-3" }) spec.Nodes.Add(new NodeSpec { Name = n, Version = "7.17.27", Roles = new() { "master" } });
        foreach (var n in new[] { "hot-1", "hot-2" }) spec.Nodes.Add(new NodeSpec { Name = n, Version = "7.17.27", Roles = new() { "data_hot", "data_content", "ingest" } });
        foreach (var n in new[] { "warm-1", "warm-2" }) spec.Nodes.Add(new NodeSpec { Name = n, Version = "7.17.27", Roles = new() { "data_warm" } });
        foreach (var n in new[] { "frozen-1", "frozen-2" }) spec.Nodes.Add(new NodeSpec { Name = n, Version = "7.17.27", Roles = new() { "data_frozen" } });
        spec.Indices.Add(new IndexSpec { Name = "logs-hot", Shards = 2, Replicas = 1, Documents = 200_000, TierPreference = "data_hot" });
        spec.Indices.Add(new IndexSpec { Name = "logs-warm", Shards = 2, Replicas = 1, Documents = 500_000, TierPreference = "data_warm,data_hot" });
        spec.Indices.Add(new IndexSpec { Name = "logs-frozen", Shards = 1, Replicas = 1, Documents = 900_000, TierPreference = "data_frozen" });
        spec.Indices.Add(new IndexSpec { Name = "orders", Shards = 1, Replicas = 1, Documents = 12_345 });
        return spec;
    }

    internal static async Task<(EsApi Api, UpgradePlan Plan)> PlanAsync(Emulated es)
    {
        var connection = await es.ConnectAsync();
        var api = new EsApi(connection, new RecordingLog());
        var nodes = await InventoryReader.GetNodesAsync(api, null, default);
        return (api, UpgradePlanner.Plan(connection, nodes, Target));
    }

    internal static async Task<long> CountAsync(EsApi api) =>
        (await api.GetJsonAsync(EsRequest.Get("/_count"), default)).GetProperty("count").GetInt64();

    internal static void AssertUpgraded(Emulated es)
    {
        lock (es.Host.Cluster.Sync)
        {
            Assert.All(es.Host.Cluster.Nodes, n => Assert.Equal(Target, n.Profile.Number));
            Assert.All(es.Host.Cluster.Nodes, n => Assert.Equal(NodeState.Joined, n.State));
            Assert.All(es.Host.Cluster.Nodes, n => Assert.Equal(1, n.Restarts));
            Assert.Empty(es.Host.Cluster.Persistent);
            Assert.Empty(es.Host.Cluster.Transient);
        }
    }

    [Fact]
    public async Task A_second_run_finding_another_live_run_s_marker_touches_nothing_and_a_stale_marker_is_taken_over()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var (api, plan) = await PlanAsync(es);
        var live = $"other-run|admin-pc|4242|-StatePath 'D:\\up.json'|{DateTimeOffset.UtcNow.AddMinutes(-2):o}";
        await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", $"{{\"persistent\":{{\"{RollingUpgrade.RunMarker}\":\"{live.Replace("\\", "\\\\")}\"}}}}"), default);
        var host = new EmulatorHostActions(es);
        var refused = await Assert.ThrowsAsync<EsException>(() => new RollingUpgrade(api, plan, host, new MemoryUpgradeStateStore()).RunAsync(default));
        Assert.Equal((ErrorIds.RunInProgress, EsErrorKind.InvalidState), (refused.ErrorId, refused.Kind));
        Assert.Contains("on admin-pc (process 4242, -StatePath 'D:\\up.json')", refused.Message);
        Assert.Empty(host.Actions);
        lock (es.Host.Cluster.Sync) Assert.Equal(live, es.Host.Cluster.Persistent[RollingUpgrade.RunMarker]);

        var stale = $"other-run|admin-pc|4242|no state file|{DateTimeOffset.UtcNow.AddHours(-1):o}";
        await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", $"{{\"persistent\":{{\"{RollingUpgrade.RunMarker}\":\"{stale}\"}}}}"), default);
        await new RollingUpgrade(api, plan, host, new MemoryUpgradeStateStore()).RunAsync(default);
        AssertUpgraded(es);    // the marker is cleared with the rest: no persistent setting left
    }

    [Fact]
    public async Task Upgrades_a_three_node_cluster_and_keeps_every_document()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var (api, plan) = await PlanAsync(es);
        var before = await CountAsync(api);
        var host = new EmulatorHostActions(es);
        await new RollingUpgrade(api, plan, host, new MemoryUpgradeStateStore()).RunAsync(default);

        AssertUpgraded(es);
        Assert.Equal(before, await CountAsync(api));
        Assert.Equal(plan.Nodes.Select(n => n.Name), host.Actions);
        Assert.All(host.Results, r => Assert.Equal(NodeUpgradeStatus.Upgraded, r.Status));
        Assert.Equal(plan.Nodes.Last().Name, host.Actions.Last());
    }

    [Fact]
    public async Task Waits_for_relocating_copies_before_restarting_a_node()
    {
        var spec = ThreeNodes();
        spec.ShardFetchTime = TimeSpan.Zero;
        spec.RecoveryBytesPerSecond = 200 * 1024;     // a 10 MB copy moves in about 50 emulated seconds
        await using var es = await Emulated.StartAsync(spec);
        var (api, plan) = await PlanAsync(es);
        // An admin drained es-03 and let it back in: the balancer moves copies onto it for a while.
        var cluster = es.Host.Cluster;
        await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", "{\"transient\":{\"cluster.routing.allocation.exclude._name\":\"es-03\"}}"), default);
        await Health.HealthReader.WaitAsync(api, new Health.HealthCondition { NoRelocatingShards = true }, Health.HealthLevel.Cluster, TimeSpan.FromMinutes(10), default);
        await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", "{\"transient\":{\"cluster.routing.allocation.exclude._name\":null}}"), default);
        lock (cluster.Sync) Assert.True(cluster.AllCopies.Count(c => c.State == ShardState.Relocating) > 0);

        var host = new EmulatorHostActions(es);
        await new RollingUpgrade(api, plan, host, new MemoryUpgradeStateStore()).RunAsync(default);

        Assert.All(host.RelocatingAtAction, n => Assert.Equal(0, n));
        Assert.Contains(((RecordingLog)api.Log).Lines, l => l.Contains("relocating; waiting for the cluster to change"));
        AssertUpgraded(es);
    }

    [Fact]
    public async Task Upgrades_nine_nodes_in_tier_order_with_the_ml_upgrade_mode()
    {
        await using var es = await Emulated.StartAsync(NineNodes());
        var (api, plan) = await PlanAsync(es);
        var before = await CountAsync(api);
        var host = new EmulatorHostActions(es);
        await new RollingUpgrade(api, plan, host, new MemoryUpgradeStateStore(), new RollingUpgradeOptions { UseMlUpgradeMode = true }).RunAsync(default);

        AssertUpgraded(es);
        Assert.Equal(before, await CountAsync(api));
        Assert.Equal(new[] { "frozen-1", "frozen-2", "warm-1", "warm-2", "hot-1", "hot-2", "master-2", "master-3", "master-1" }, host.Actions);
        Assert.False(await MlUpgradeMode.GetAsync(api, default));
        Assert.Equal(Health.HealthStatus.Green, (await Health.HealthReader.GetAsync(api, null, Health.HealthLevel.Cluster, default)).Status);
    }

    [Fact]
    public async Task Survives_a_crash_after_every_checkpoint()
    {
        // First a clean run, to count the checkpoints.
        int checkpoints;
        var dir = Directory.CreateTempSubdirectory("esupgrade-state-");
        await using (var es = await Emulated.StartAsync(ThreeNodes()))
        {
            var (api, plan, wire) = await KillablePlanAsync(es);
            var counting = new CrashingStore(Path.Combine(dir.FullName, "count.json"), int.MaxValue, wire);
            await new RollingUpgrade(api, plan, new EmulatorHostActions(es), counting).RunAsync(default);
            checkpoints = counting.Saves;
        }
        Assert.True(checkpoints > 30, $"only {checkpoints} checkpoints");

        for (var crashAt = 1; crashAt < checkpoints; crashAt++)
        {
            await using var es = await Emulated.StartAsync(ThreeNodes());
            var path = Path.Combine(dir.FullName, $"crash-{crashAt}.json");
            var (api, plan, wire) = await KillablePlanAsync(es);
            var before = await CountAsync(api);
            var host = new EmulatorHostActions(es);
            await Assert.ThrowsAnyAsync<Exception>(() => new RollingUpgrade(api, plan, host, new CrashingStore(path, crashAt, wire)).RunAsync(default));

            // A new process: a new plan from what the cluster looks like now, the same state file.
            var (api2, plan2) = await PlanAsync(es);
            await new RollingUpgrade(api2, plan2, host, new FileUpgradeStateStore(path)).RunAsync(default);

            AssertUpgraded(es); // every node restarted exactly once
            Assert.Equal(before, await CountAsync(api2));
            Assert.NotNull((await new FileUpgradeStateStore(path).LoadAsync(default))!.CompletedAt);
        }
        dir.Delete(recursive: true);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2, 0)]
    [InlineData(1, 30)]
    public async Task A_stop_between_the_restart_and_its_checkpoint_puts_allocation_back_and_does_not_restart_the_node_again(int position, int bootSeconds)
    {
        var spec = ThreeNodes();
        spec.NodeBootTime = TimeSpan.FromSeconds(bootSeconds); // 30 s at scale 60: still booting when the run resumes
        await using var es = await Emulated.StartAsync(spec);
        var path = Path.Combine(Path.GetTempPath(), $"mid-action-{Guid.NewGuid():N}.json");
        var (api, plan) = await PlanAsync(es);
        var host = new EmulatorHostActions(es) { StopAfterRestarting = plan.Nodes[position].Name };
        var stopped = await Assert.ThrowsAsync<EsException>(() => new RollingUpgrade(api, plan, host, new FileUpgradeStateStore(path)).RunAsync(host.Stop.Token));
        Assert.Contains("the run was stopped", stopped.Message);
        lock (es.Host.Cluster.Sync) Assert.Empty(es.Host.Cluster.Persistent);

        var (api2, plan2) = await PlanAsync(es);
        await new RollingUpgrade(api2, plan2, host, new FileUpgradeStateStore(path)).RunAsync(default);
        AssertUpgraded(es);
        Assert.Equal(plan.Nodes.Select(n => n.Name), host.Actions);
        File.Delete(path);
    }

    [Fact]
    public async Task A_node_that_never_rejoins_stops_the_run_with_allocation_put_back()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var (api, plan) = await PlanAsync(es);
        var host = new EmulatorHostActions(es);
        host.NeverStart.Add(plan.Nodes[1].Name);
        var path = Path.Combine(Path.GetTempPath(), $"never-{Guid.NewGuid():N}.json");
        var ex = await Assert.ThrowsAsync<EsException>(() => new RollingUpgrade(api, plan, host, new FileUpgradeStateStore(path),
            new RollingUpgradeOptions { NodeTimeout = TimeSpan.FromSeconds(2) }).RunAsync(default));

        Assert.Equal("RollingUpgradeFailed", ex.ErrorId);
        Assert.Contains($"node {plan.Nodes[1].Name}, step WaitForNode", ex.Message);
        Assert.Contains("Shard allocation was put back", ex.Message);
        Assert.Contains(path, ex.Message);
        Assert.Equal("NodeRejoinTimeout", ((EsException)ex.InnerException!).ErrorId);
        lock (es.Host.Cluster.Sync) Assert.Empty(es.Host.Cluster.Persistent);
        Assert.Equal(NodeUpgradeStatus.Failed, host.Results.Last().Status);
        Assert.Empty((await new FileUpgradeStateStore(path).LoadAsync(default))!.Nodes[1].Completed);    // the next run sets allocation again, then acts unless the node is back

        // Once the node is fixed, the same state file resumes without restarting anything twice.
        // (A node still booting when the run resumes gets the action again: NeverStart would stop it, so wait for the join.)
        await es.Host.StartNodeAsync(plan.Nodes[1].Name, Target);
        await es.Host.Cluster.WaitUntilAsync(() => es.Host.Cluster.Node(plan.Nodes[1].Name).State == NodeState.Joined, TimeSpan.FromSeconds(30), default);
        var (api2, plan2) = await PlanAsync(es);
        await new RollingUpgrade(api2, plan2, host, new FileUpgradeStateStore(path)).RunAsync(default);
        AssertUpgraded(es);
        File.Delete(path);
    }

    [Fact]
    public async Task A_node_that_rejoins_at_the_wrong_version_stops_the_run()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var (api, plan) = await PlanAsync(es);
        var host = new EmulatorHostActions(es) { VersionFor = _ => "8.18.0" };
        var ex = await Assert.ThrowsAsync<EsException>(() => new RollingUpgrade(api, plan, host, new MemoryUpgradeStateStore()).RunAsync(default));
        Assert.Equal("NodeVersionMismatch", ((EsException)ex.InnerException!).ErrorId);
        Assert.Contains("8.18.0", ex.Message);
        lock (es.Host.Cluster.Sync) Assert.Empty(es.Host.Cluster.Persistent);
    }

    [Fact]
    public async Task A_node_that_refuses_to_start_stops_the_run_with_its_log_line()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var (api, plan) = await PlanAsync(es);
        var host = new EmulatorHostActions(es);
        host.Yaml[plan.Nodes[0].Name] = "discovery.zen.minimum_master_nodes: 2\n";
        var store = new MemoryUpgradeStateStore();
        var ex = await Assert.ThrowsAsync<EsException>(() => new RollingUpgrade(api, plan, host, store,
            new RollingUpgradeOptions { UseMlUpgradeMode = true, NodeTimeout = TimeSpan.FromSeconds(2) }).RunAsync(default));
        Assert.Equal(ErrorIds.NodeRejoinTimeout, ((EsException)ex.InnerException!).ErrorId);
        Assert.Contains("The node action said:", ex.Message);
        Assert.Contains("unknown setting [discovery.zen.minimum_master_nodes]", ex.Message);
        Assert.Contains("a setting 8.x removed", ex.Message);
        Assert.Contains("ML upgrade mode was turned off", ex.Message);
        lock (es.Host.Cluster.Sync)
        {
            Assert.Empty(es.Host.Cluster.Persistent);
            Assert.False(es.Host.Cluster.MlUpgradeMode);
        }

        // The admin fixes elasticsearch.yml; the resumed run sets allocation and ML upgrade mode again before the restart.
        host.Yaml[plan.Nodes[0].Name] = "node.roles: [ master, data ]\nxpack.security.enabled: false\n";
        await new RollingUpgrade(api, plan, host, store, new RollingUpgradeOptions { UseMlUpgradeMode = true }).RunAsync(default);
        Assert.All(host.AllocationAtAction, a => Assert.Equal("primaries", a));
        AssertUpgraded(es);
    }

    [Fact]
    public async Task Accepts_the_yellow_of_replicas_that_cannot_go_to_older_nodes()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var (api, plan) = await PlanAsync(es);
        var log = (RecordingLog)api.Log;
        var host = new EmulatorHostActions(es);
        // While the first node restarts, a new index is created: its primary goes to the new node (the least
        // loaded), and its replica can go to no older node until a second node runs 8.x.
        host.AfterRestart = name =>
        {
            if (name != plan.Nodes[0].Name) return;
            var index = es.Host.Cluster.CreateIndex(new IndexSpec { Name = "logs-rollover", Shards = 1, Replicas = 1 });
            lock (es.Host.Cluster.Sync) Assert.Equal(name, es.Host.Cluster.NodeById(index.Copies.Single(c => c.Primary).NodeId)!.Name);
        };
        await new RollingUpgrade(api, plan, host, new MemoryUpgradeStateStore(), new RollingUpgradeOptions { HealthTimeout = TimeSpan.FromSeconds(20) }).RunAsync(default);

        Assert.Contains(log.Lines, l => l.Contains("yellow is expected"));
        AssertUpgraded(es);
        Assert.Equal(Health.HealthStatus.Green, (await Health.HealthReader.GetAsync(api, null, Health.HealthLevel.Cluster, default)).Status);
    }

    [Fact]
    public async Task Restores_an_allocation_setting_that_was_there_before()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var (api, plan) = await PlanAsync(es);
        await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.allocation.enable\":\"all\"}}"), default);
        await new RollingUpgrade(api, plan, new EmulatorHostActions(es), new MemoryUpgradeStateStore()).RunAsync(default);
        lock (es.Host.Cluster.Sync) Assert.Equal("all", es.Host.Cluster.Persistent["cluster.routing.allocation.enable"]);
    }

    [Fact]
    public async Task A_state_file_of_another_cluster_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"other-{Guid.NewGuid():N}.json");
        await new FileUpgradeStateStore(path).SaveAsync(new UpgradeState { ClusterUuid = "someone-else", ClusterName = "other", TargetVersion = Target }, default);
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var (api, plan) = await PlanAsync(es);
        var ex = await Assert.ThrowsAsync<EsException>(() => new RollingUpgrade(api, plan, new EmulatorHostActions(es), new FileUpgradeStateStore(path)).RunAsync(default));
        Assert.Equal("StateMismatch", ex.ErrorId);
        lock (es.Host.Cluster.Sync) Assert.All(es.Host.Cluster.Nodes, n => Assert.Equal(0, n.Restarts));
        File.Delete(path);
    }

    [Fact]
    public async Task A_resumed_run_keeps_the_first_runs_positions_though_the_cluster_now_orders_it_otherwise()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var store = new MemoryUpgradeStateStore();
        var (api, plan) = await PlanAsync(es);
        Assert.Equal(new[] { "es-02", "es-03", "es-01" }, plan.Nodes.Select(n => n.Name));
        var first = new EmulatorHostActions(es) { Confirm = n => n.Name == "es-02" };
        await new RollingUpgrade(api, plan, first, store).RunAsync(default);
        Assert.Equal(new[] { NodeUpgradeStatus.Upgraded, NodeUpgradeStatus.Skipped, NodeUpgradeStatus.Skipped }, first.Results.Select(r => r.Status));

        // The elected master restarts (still 7.17): es-02 is elected, so today's plan puts es-01 first and es-02 last.
        await es.Host.StopNodeAsync("es-01");
        // The others elect a new master (master-routed calls wait for it), then es-01 comes back.
        await api.SendAsync(EsRequest.Get("/_cluster/health?wait_for_nodes=2&timeout=30s"), default);
        await es.Host.StartNodeAsync("es-01");
        await new EsApi(api.Connection).SendAsync(EsRequest.Get("/_cluster/health?wait_for_nodes=3&wait_for_status=yellow&wait_for_no_initializing_shards=true&timeout=30s"), default);
        var (api2, replanned) = await PlanAsync(es);
        Assert.Equal(new[] { "es-01", "es-03", "es-02" }, replanned.Nodes.Select(n => n.Name));

        var second = new EmulatorHostActions(es);
        await new RollingUpgrade(api2, replanned, second, store).RunAsync(default);
        Assert.Equal(new[] { ("es-02", 1), ("es-03", 2), ("es-01", 3) }, second.Results.Select(r => (r.Node, r.Position)));
        Assert.Equal(new[] { "es-03", "es-01" }, second.Actions);
    }

    [Fact]
    public async Task A_rerun_of_a_completed_state_lists_every_node_in_plan_order_and_restarts_none()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var store = new MemoryUpgradeStateStore();
        var (api, plan) = await PlanAsync(es);
        await new RollingUpgrade(api, plan, new EmulatorHostActions(es), store).RunAsync(default);
        var (api2, replanned) = await PlanAsync(es);
        var again = new EmulatorHostActions(es);
        await new RollingUpgrade(api2, replanned, again, store).RunAsync(default);
        Assert.Equal(new[] { 1, 2, 3 }, again.Results.Select(r => r.Position));
        Assert.Equal(plan.Nodes.Select(n => n.Name), again.Results.Select(r => r.Node));
        Assert.All(again.Results, r => Assert.Equal(NodeUpgradeStatus.AlreadyUpgraded, r.Status));
        Assert.Empty(again.Actions);
    }

    [Fact]
    public async Task A_state_path_that_is_a_folder_is_refused()
    {
        var ex = await Assert.ThrowsAsync<EsException>(() => new FileUpgradeStateStore(Path.GetTempPath()).LoadAsync(default));
        Assert.Equal(ErrorIds.InvalidStateFile, ex.ErrorId);
        Assert.Contains("is a folder", ex.Message);
    }

    [Fact]
    public async Task A_hidden_system_index_from_6x_is_caught_before_any_restart()
    {
        var spec = ThreeNodes();
        spec.Indices.Add(new IndexSpec { Name = ".security-6", Shards = 1, Replicas = 1, Documents = 5, CreatedVersion = "6.8.23",
            Settings = { [EmulatedIndex.HiddenSetting] = "true" } });
        await using var es = await Emulated.StartAsync(spec);
        var (api, plan) = await PlanAsync(es);
        var ex = await Assert.ThrowsAsync<EsException>(() => new RollingUpgrade(api, plan, new EmulatorHostActions(es), new MemoryUpgradeStateStore()).RunAsync(default));
        Assert.Equal(ErrorIds.IncompatibleIndices, ex.ErrorId);
        Assert.Contains(".security-6 (6.8.23)", ex.Message);
        lock (es.Host.Cluster.Sync) Assert.All(es.Host.Cluster.Nodes, n => Assert.Equal(0, n.Restarts));
    }

    [Fact]
    public async Task A_replica_still_fetching_its_data_is_waited_for_not_taken_for_the_expected_yellow()
    {
        var spec = NineNodes();
        spec.ShardFetchTime = TimeSpan.FromSeconds(30);    // half a second of real time: the module must see it
        await using var es = await Emulated.StartAsync(spec);
        var (api, plan) = await PlanAsync(es);
        var host = new EmulatorHostActions(es);
        await new RollingUpgrade(api, plan, host, new MemoryUpgradeStateStore()).RunAsync(default);

        AssertUpgraded(es);
        // After warm-2 returned, its logs-warm replica fetched its data for a while; hot-1 waited for it.
        Assert.DoesNotContain("logs-warm", host.UnassignedAtAction["hot-1"]);
        Assert.All(host.UnassignedAtAction, a => Assert.DoesNotContain("logs-frozen", a.Value.Where(_ => a.Key.StartsWith("warm"))));
    }

    [Fact]
    public async Task A_replica_a_filter_keeps_off_its_node_stops_the_run_with_the_deciders_words()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var (api, plan) = await PlanAsync(es);
        await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.allocation.exclude._name\":\"es-03\"}}"), default);
        var ex = await Assert.ThrowsAsync<EsException>(() => new RollingUpgrade(api, plan, new EmulatorHostActions(es), new MemoryUpgradeStateStore()).RunAsync(default));
        Assert.Equal(ErrorIds.RollingUpgradeFailed, ex.ErrorId);
        Assert.Equal(ErrorIds.AllocationBlocked, ((EsException)ex.InnerException!).ErrorId);
        Assert.Contains("[filter] node matches cluster setting [cluster.routing.allocation.exclude]", ex.Message);
        Assert.Contains("es-03", ex.Message);
        lock (es.Host.Cluster.Sync) Assert.False(es.Host.Cluster.Persistent.ContainsKey("cluster.routing.allocation.enable"));
    }

    [Fact]
    public async Task A_last_node_whose_replicas_a_decider_keeps_away_ends_as_upgraded_not_green()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var (api, plan) = await PlanAsync(es);
        Assert.Equal("es-01", plan.Nodes[^1].Name);
        // Above the low watermark: es-01 keeps what it holds but takes nothing back once it restarts. (An exclude
        // filter would drain it first, and a three-copy index could then never be whole on three nodes.)
        es.Host.Cluster.SetDiskUsage("es-01", 88);
        var host = new EmulatorHostActions(es);
        await new RollingUpgrade(api, plan, host, new MemoryUpgradeStateStore()).RunAsync(default);
        Assert.All(host.Results, r => Assert.Equal(NodeUpgradeStatus.Upgraded, r.Status));
        var last = host.Results.Single(r => r.Node == "es-01");
        Assert.StartsWith("upgraded, not green:", last.Warning);
        Assert.Contains("[disk_threshold]", last.Warning);
        Assert.Contains(((RecordingLog)api.Log).Lines, l => l.StartsWith("WARNING [es-01] upgraded, not green"));
    }

    [Fact]
    public async Task A_full_disk_that_keeps_a_replica_off_every_node_stops_the_run_with_the_watermark()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var (api, plan) = await PlanAsync(es);
        foreach (var n in new[] { "es-01", "es-02", "es-03" }) es.Host.Cluster.SetDiskUsage(n, 88);
        var ex = await Assert.ThrowsAsync<EsException>(() => new RollingUpgrade(api, plan, new EmulatorHostActions(es), new MemoryUpgradeStateStore()).RunAsync(default));
        Assert.Equal(ErrorIds.AllocationBlocked, ((EsException)ex.InnerException!).ErrorId);
        Assert.Contains("[disk_threshold] the node is above the low watermark", ex.Message);
        Assert.Contains("Free disk space", ex.Message);
        lock (es.Host.Cluster.Sync) Assert.Empty(es.Host.Cluster.Persistent);
    }

    [Fact]
    public async Task Ml_upgrade_mode_on_a_cluster_without_ml_warns_and_the_upgrade_goes_on()
    {
        var spec = ThreeNodes();
        spec.MlEnabled = false;
        await using var es = await Emulated.StartAsync(spec);
        var (api, plan) = await PlanAsync(es);
        await new RollingUpgrade(api, plan, new EmulatorHostActions(es), new MemoryUpgradeStateStore(), new RollingUpgradeOptions { UseMlUpgradeMode = true }).RunAsync(default);
        AssertUpgraded(es);
        Assert.Single(((RecordingLog)api.Log).Lines, l => l.StartsWith("WARNING") && l.Contains("runs without machine learning"));
        var ex = await Assert.ThrowsAsync<EsException>(() => MachineLearning.MlUpgradeMode.SetAsync(api, true, default));
        Assert.Equal(ErrorIds.MlUnavailable, ex.ErrorId);
    }

    [Fact]
    public async Task Replicas_past_the_retry_limit_stop_the_run_with_the_reroute_remedy()
    {
        var spec = ThreeNodes();
        spec.Indices.Clear();
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = 1, Replicas = 2, Documents = 100 });
        await using var es = await Emulated.StartAsync(spec);
        var (api, plan) = await PlanAsync(es);
        es.Host.Cluster.FailRecoveries(plan.Nodes[0].Name, 10);
        var ex = await Assert.ThrowsAsync<EsException>(() => new RollingUpgrade(api, plan, new EmulatorHostActions(es), new MemoryUpgradeStateStore()).RunAsync(default));
        Assert.Equal(ErrorIds.AllocationBlocked, ((EsException)ex.InnerException!).ErrorId);
        Assert.Contains("[max_retry] shard has exceeded the maximum number of retries [5]", ex.Message);
        Assert.Contains("retry_failed=true", ex.Message);
    }

    [Fact]
    public async Task A_closed_index_from_6x_is_caught_before_any_restart_too()
    {
        var spec = ThreeNodes();
        spec.Indices.Add(new IndexSpec { Name = "archive-2018", Shards = 1, Replicas = 1, Documents = 5, CreatedVersion = "6.8.23" });
        await using var es = await Emulated.StartAsync(spec);
        var (api, plan) = await PlanAsync(es);
        await api.SendAsync(new EsRequest("POST", "/archive-2018/_close"), default);
        var cat = await api.GetJsonAsync(EsRequest.Get("/_cat/indices/archive-2018?format=json&h=status"), default);
        Assert.Equal("close", cat[0].GetProperty("status").GetString());
        var ex = await Assert.ThrowsAsync<EsException>(() => new RollingUpgrade(api, plan, new EmulatorHostActions(es), new MemoryUpgradeStateStore()).RunAsync(default));
        Assert.Equal(ErrorIds.IncompatibleIndices, ex.ErrorId);
        Assert.Contains("archive-2018 (6.8.23)", ex.Message);
    }

    [Fact]
    public async Task A_killed_node_still_listed_at_its_old_version_is_waited_for_not_taken_for_a_mismatch()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var (api, plan) = await PlanAsync(es);
        var log = (RecordingLog)api.Log;
        // The new process starts only once the run has seen the old instance still listed: no race with the clock.
        var host = new EmulatorHostActions(es) { StartLaterWhen = name => log.WhenLogged(l => l.Contains($"{name} is still listed at 7.17.27")) };
        host.KillAndStartLater.Add(plan.Nodes[0].Name);
        await new RollingUpgrade(api, plan, host, new MemoryUpgradeStateStore()).RunAsync(default);
        await Task.WhenAll(host.LateStarts);
        AssertUpgraded(es);
        Assert.Contains(log.Lines, l => l.Contains($"{plan.Nodes[0].Name} is still listed at 7.17.27"));
    }

    [Fact]
    public async Task A_busy_cluster_answering_429_during_the_safety_check_is_asked_again_not_the_end_of_the_run()
    {
        await using var es = await Emulated.StartAsync(ThreeNodes());
        var (api, plan, wire) = await KillablePlanAsync(es);
        var rejected = 0;
        // The safety check's own read of the health (the waits ask with wait_for_* parameters).
        wire.Intercept = r => r.Path == "/_cluster/health" && Interlocked.Increment(ref rejected) <= 2
            ? FakeWire.Response(429, "{\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"rejected execution\"},\"status\":429}")
            : null;
        await new RollingUpgrade(api, plan, new EmulatorHostActions(es), new MemoryUpgradeStateStore()).RunAsync(default);
        AssertUpgraded(es);
        Assert.True(rejected > 2);
    }
}
