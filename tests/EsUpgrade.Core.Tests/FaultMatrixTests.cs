using EsUpgrade.Connections;
using EsUpgrade.Emulator.Http;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;
using EsUpgrade.Inventory;
using EsUpgrade.Upgrade;
using EsUpgrade.Wire;

namespace EsUpgrade.Core.Tests;

/// <summary>
/// The fault matrix: a 3-node rolling upgrade to 8.x under each kind of fault an admin meets, switched on mid-run
/// through the emulator. Each ends completed, or stopped safely (allocation and ML upgrade mode put back, or said
/// loudly why not) and then resumed to completion from its state file — with the invariants: no node restarted
/// more than the fault forces, never another master-eligible node down when one is restarted, allocation back,
/// every document still there. The README's fault table lists these tests.
/// </summary>
public class FaultMatrixTests
{
    const string Target = RollingUpgradeTests.Target;

    sealed class Run : IAsyncDisposable
    {
        public required Emulated Es { get; init; }
        public required EsApi Api { get; init; }
        public required UpgradePlan Plan { get; init; }
        public required RecordingLog Log { get; init; }
        public required EmulatorHostActions Host { get; init; }
        public required long Documents { get; init; }
        public string StatePath { get; } = Path.Combine(Path.GetTempPath(), $"faults-{Guid.NewGuid():N}.json");
        public RollingUpgradeOptions Options { get; set; } = new() { UseMlUpgradeMode = true };

        public string Node(int position) => Plan.Nodes[position].Name;
        public Task RunAsync() => new RollingUpgrade(Api, Plan, Host, new FileUpgradeStateStore(StatePath), Options).RunAsync(default);

        /// <summary>Switches a wire fault on as the action of the node at <paramref name="position"/> begins.</summary>
        public FaultRule AtAction(int position, FaultRule rule)
        {
            Host.BeforeAction = name =>
            {
                if (name == Node(position) && rule.Id.Length == 0) Es.Host.Faults.Add(rule, Es.Host.Cluster.Clock.UtcNow);
            };
            return rule;
        }

        public async ValueTask DisposeAsync()
        {
            File.Delete(StatePath);
            await Es.DisposeAsync();
        }
    }

    static async Task<Run> StartAsync(ClusterSpec? spec = null)
    {
        var es = await Emulated.StartAsync(spec ?? RollingUpgradeTests.ThreeNodes());
        var log = new RecordingLog();
        var connection = await es.ConnectAsync();
        var api = new EsApi(connection, log);
        var nodes = await InventoryReader.GetNodesAsync(api, null, default);
        return new Run
        {
            Es = es, Api = api, Log = log, Host = new EmulatorHostActions(es),
            Plan = UpgradePlanner.Plan(connection, nodes, Target),
            Documents = await RollingUpgradeTests.CountAsync(api),
        };
    }

    /// <summary>Allocation back as it was (all) and ML upgrade mode off: what a stopped run must leave.</summary>
    static void AssertPutBack(Run run)
    {
        lock (run.Es.Host.Cluster.Sync)
        {
            Assert.Equal("all", run.Es.Host.Cluster.Setting("cluster.routing.allocation.enable"));
            Assert.False(run.Es.Host.Cluster.MlUpgradeMode);
        }
    }

    /// <summary>The stop names the node, the step and how to resume.</summary>
    static EsException AssertStopped(Run run, EsException ex, int position, string step)
    {
        Assert.Equal(ErrorIds.RollingUpgradeFailed, ex.ErrorId);
        Assert.Contains($"node {run.Node(position)}, step {step}", ex.Message);
        Assert.Contains(run.StatePath, ex.Message);
        return (EsException)ex.InnerException!;
    }

    /// <summary>
    /// Every node at the target and in the cluster, restarted once (<paramref name="forcedAgain"/>: the one node whose action
    /// the fault made run twice, started twice unless its first start was refused), never with another master-eligible node down, nothing left in the settings, every document there.
    /// </summary>
    static async Task AssertCompletedAsync(Run run, string? forcedAgain = null, long lost = 0, bool startedTwice = true)
    {
        lock (run.Es.Host.Cluster.Sync)
        {
            foreach (var node in run.Es.Host.Cluster.Nodes)
            {
                Assert.Equal(Target, node.Profile.Number);
                Assert.Equal(NodeState.Joined, node.State);
                Assert.Equal(node.Name == forcedAgain && startedTwice ? 2 : 1, node.Restarts);
            }
            Assert.Empty(run.Es.Host.Cluster.Persistent);
            Assert.Empty(run.Es.Host.Cluster.Transient);
            Assert.False(run.Es.Host.Cluster.MlUpgradeMode);
        }
        Assert.All(run.Host.MastersDownAtAction, down => Assert.Equal(0, down));
        foreach (var group in run.Host.Actions.GroupBy(a => a))
            Assert.Equal(group.Key == forcedAgain ? 2 : 1, group.Count());
        Assert.Equal(run.Documents - lost, await RollingUpgradeTests.CountAsync(run.Api));
    }

    /// <summary>A transient wire fault from the second node's action on: retried (said on the verbose stream), never a failed upgrade.</summary>
    async Task TransientAsync(FaultRule rule, string said)
    {
        await using var run = await StartAsync();
        run.AtAction(1, rule);
        await run.RunAsync();
        Assert.True(rule.Hits > 0, "the fault never hit");
        Assert.Contains(run.Log.Lines, l => l.StartsWith("VERBOSE", StringComparison.Ordinal) && l.Contains(said) && l.Contains("Retry"));
        await AssertCompletedAsync(run);
    }

    [Fact]
    public async Task Latency_fixed_and_jittered_on_every_call()
    {
        await using var run = await StartAsync();
        var rule = run.Es.Host.Faults.Add(new FaultRule { Kind = FaultKind.Latency, LatencyMs = 15, JitterMs = 30 }, run.Es.Host.Cluster.Clock.UtcNow);
        await run.RunAsync();
        Assert.True(rule.Hits > 20);
        await AssertCompletedAsync(run);
    }

    [Fact]
    public Task Rejected_execution_429_burst() =>
        TransientAsync(new FaultRule { Kind = FaultKind.Rejected, Count = 4 }, "es_rejected_execution_exception");

    [Fact]
    public Task Circuit_breaking_429_with_Retry_After() =>
        TransientAsync(new FaultRule { Kind = FaultKind.CircuitBreaking, Count = 3, RetryAfter = 1 }, "circuit_breaking_exception");

    [Fact]
    public Task Cluster_event_timeout_503_on_settings_updates() =>
        TransientAsync(new FaultRule { Kind = FaultKind.ClusterEventTimeout, Method = "PUT", Path = "^/_cluster/settings", Count = 3 }, "process_cluster_event_timeout_exception");

    [Fact]
    public Task Bare_503() =>
        TransientAsync(new FaultRule { Kind = FaultKind.Unavailable, Count = 4 }, "HTTP 503");

    [Fact]
    public Task Connection_reset_before_the_answer() =>
        TransientAsync(new FaultRule { Kind = FaultKind.Reset, Method = "GET", Count = 4 }, "No node of the cluster could be reached");

    [Fact]
    public Task Truncated_body() =>
        TransientAsync(new FaultRule { Kind = FaultKind.Truncated, Method = "GET", Path = "^/_(cluster/health|cat)", Count = 3 }, "No node of the cluster could be reached");

    [Fact]
    public Task Html_502_from_a_load_balancer() =>
        TransientAsync(new FaultRule { Kind = FaultKind.BadGateway, Count = 4 }, "HTTP 502");

    [Fact]
    public async Task Master_lost_for_a_minute_and_a_half()
    {
        await using var run = await StartAsync();
        run.Host.BeforeAction = name =>
        {
            if (name == run.Node(1)) run.Es.Host.Cluster.LoseMaster(TimeSpan.FromSeconds(90));
        };
        await run.RunAsync();
        Assert.Contains(run.Log.Lines, l => l.Contains("master_not_discovered_exception") && l.Contains("Retry"));
        await AssertCompletedAsync(run);
    }

    [Fact]
    public async Task Recovery_ten_times_slower()
    {
        await using var run = await StartAsync();
        run.Es.Host.Cluster.RecoverySlowdown = 10;
        await run.RunAsync();
        await AssertCompletedAsync(run);
    }

    [Fact]
    public async Task Node_process_killed_instead_of_a_clean_stop()
    {
        await using var run = await StartAsync();
        foreach (var node in run.Plan.Nodes) run.Host.KillAndStartLater.Add(node.Name);
        await run.RunAsync();
        await Task.WhenAll(run.Host.LateStarts);
        await AssertCompletedAsync(run);
    }

    [Fact]
    public async Task Credentials_revoked_mid_run_stop_loudly_with_the_call_to_run_then_resume()
    {
        await using var run = await StartAsync();
        var revoked = run.AtAction(1, new FaultRule { Kind = FaultKind.Unauthorized });
        run.Options.NodeTimeout = TimeSpan.FromSeconds(5);
        var ex = await Assert.ThrowsAsync<EsException>(run.RunAsync);
        var cause = AssertStopped(run, ex, 1, "WaitForNode");
        Assert.Equal(EsErrorKind.Authentication, cause.Kind);
        // Nothing answers these credentials: the run cannot put allocation back, and says so with the exact call.
        Assert.Contains("SHARD ALLOCATION COULD NOT BE PUT BACK", ex.Message);
        Assert.Contains("PUT _cluster/settings {\"persistent\":{\"cluster.routing.allocation.enable\":null}", ex.Message);
        Assert.Contains("ML UPGRADE MODE COULD NOT BE TURNED OFF", ex.Message);
        Assert.Contains(run.Log.Lines, l => l.StartsWith("WARNING", StringComparison.Ordinal) && l.Contains("SHARD ALLOCATION COULD NOT BE PUT BACK"));

        // New credentials: the resume puts everything back and completes.
        run.Es.Host.Faults.Remove(revoked.Id);
        await run.RunAsync();
        await AssertCompletedAsync(run);
    }

    [Fact]
    public async Task Node_never_rejoins_stops_safely_then_resumes()
    {
        await using var run = await StartAsync();
        run.Es.Host.Cluster.FailNextStart(run.Node(1), EmulatedCluster.StartFault.NeverJoin);
        run.Options.NodeTimeout = TimeSpan.FromSeconds(3);
        var ex = await Assert.ThrowsAsync<EsException>(run.RunAsync);
        Assert.Equal(ErrorIds.NodeRejoinTimeout, AssertStopped(run, ex, 1, "WaitForNode").ErrorId);
        AssertPutBack(run);

        // The resume runs the node's action again (it never joined); the other nodes are not touched twice.
        run.Options.NodeTimeout = TimeSpan.FromMinutes(1);
        await run.RunAsync();
        await AssertCompletedAsync(run, forcedAgain: run.Node(1));
    }

    [Fact]
    public async Task Node_rejoins_at_another_version_stops_safely_then_resumes()
    {
        await using var run = await StartAsync();
        run.Es.Host.Cluster.FailNextStart(run.Node(1), EmulatedCluster.StartFault.OtherVersion, "8.18.0");
        var ex = await Assert.ThrowsAsync<EsException>(run.RunAsync);
        Assert.Equal(ErrorIds.NodeVersionMismatch, AssertStopped(run, ex, 1, "WaitForNode").ErrorId);
        Assert.Contains("8.18.0", ex.Message);
        AssertPutBack(run);

        await run.RunAsync();
        await AssertCompletedAsync(run, forcedAgain: run.Node(1));
    }

    [Fact]
    public async Task Node_refuses_to_start_stops_with_its_log_line_then_resumes()
    {
        await using var run = await StartAsync();
        run.Es.Host.Cluster.FailNextStart(run.Node(2), EmulatedCluster.StartFault.Refuse);
        run.Options.NodeTimeout = TimeSpan.FromSeconds(3);
        var ex = await Assert.ThrowsAsync<EsException>(run.RunAsync);
        Assert.Equal(ErrorIds.NodeRejoinTimeout, AssertStopped(run, ex, 2, "WaitForNode").ErrorId);
        Assert.Contains("failed to obtain node locks", ex.Message);
        AssertPutBack(run);

        // Its action runs again (the start it did was refused); it started once.
        await run.RunAsync();
        await AssertCompletedAsync(run, forcedAgain: run.Node(2), startedTwice: false);
    }

    [Fact]
    public async Task Primary_lost_red_cluster_stops_safely_then_resumes_once_the_index_is_dealt_with()
    {
        var spec = RollingUpgradeTests.ThreeNodes();
        spec.Indices.Add(new IndexSpec { Name = "orders", Shards = 1, Replicas = 1, Documents = 777 });
        await using var run = await StartAsync(spec);
        run.Host.AfterRestart = name =>
        {
            if (name == run.Node(0)) run.Es.Host.Cluster.LosePrimary("orders", 0);
        };
        run.Options.HealthTimeout = TimeSpan.FromSeconds(5);
        run.Options.SafetyTimeout = TimeSpan.FromSeconds(5);
        var ex = await Assert.ThrowsAsync<EsException>(run.RunAsync);
        Assert.Contains($"node {run.Node(0)}, step WaitForHealth", ex.Message);
        Assert.Contains(run.StatePath, ex.Message);
        AssertPutBack(run);
        Assert.Single(run.Host.Actions);

        // The admin gives up the lost index (or restores it from a snapshot); the resume completes.
        await run.Api.SendAsync(new EsRequest("DELETE", "/orders"), default);
        await run.RunAsync();
        await AssertCompletedAsync(run, lost: 777);
    }

    [Fact]
    public async Task Disk_over_the_high_watermark_stops_safely_then_resumes_once_space_is_freed()
    {
        await using var run = await StartAsync();
        run.Host.AfterRestart = name =>
        {
            if (name == run.Node(0)) run.Es.Host.Cluster.SetDiskUsage(name, 92);
        };
        run.Options.HealthTimeout = TimeSpan.FromSeconds(10);
        var ex = await Assert.ThrowsAsync<EsException>(run.RunAsync);
        var cause = AssertStopped(run, ex, 0, "WaitForHealth");
        Assert.Contains("watermark", cause.Message);
        AssertPutBack(run);

        run.Es.Host.Cluster.SetDiskUsage(run.Node(0), 40);
        run.Options.HealthTimeout = TimeSpan.FromMinutes(1);
        await run.RunAsync();
        await AssertCompletedAsync(run);
    }
}
