using System.Net;
using System.Text.Json;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Tests;

/// <summary>The rules that make upgrades hard, over the model and over HTTP.</summary>
public class UpgradeRuleTests
{
    static ClusterSpec Three(string version = "7.17.27", params IndexSpec[] indices)
    {
        var spec = ClusterSpec.Uniform(3, version);
        spec.Indices.AddRange(indices);
        // These rules are about where and how long copies recover; the shard-store fetch before it has its own tests.
        spec.ShardFetchTime = TimeSpan.Zero;
        spec.ElectionTime = TimeSpan.Zero;
        spec.NodeBootTime = TimeSpan.Zero;      // a started node joins at once, unless a test says how long it boots
        return spec;
    }

    [Fact]
    public void An_8x_node_refuses_to_start_on_a_cluster_with_a_6x_index()
    {
        var c = new EmulatedCluster(Three(indices: new IndexSpec { Name = "old-logs", CreatedVersion = "6.8.23" }));
        c.StopNode("es-01");
        var refusal = c.StartNode("es-01", "8.19.0");
        Assert.StartsWith("java.lang.IllegalStateException: Cannot start this node because it holds metadata for indices with version [6.8.23] with which this node of version [8.19.0] is incompatible.", refusal);
        Assert.Equal(NodeState.Stopped, c.Node("es-01").State);
        Assert.Contains(c.Node("es-01").Log, l => l.StartsWith("fatal exception while booting Elasticsearch"));
        Assert.StartsWith("java.lang.IllegalStateException: cannot upgrade node because incompatible indices created with version [6.8.23]", c.StartNode("es-01", "8.5.0"));
        Assert.Null(c.StartNode("es-01")); // back on 7.17 it starts
    }

    [Theory]
    [InlineData("discovery.zen.minimum_master_nodes: 2", "discovery.zen.minimum_master_nodes")]
    [InlineData("node:\n  master: true\n  data: false", "node.master")]
    public void An_8x_node_refuses_a_removed_setting(string yaml, string key)
    {
        var c = new EmulatedCluster(Three());
        c.StopNode("es-02");
        var refusal = c.StartNode("es-02", "8.19.0", yaml);
        Assert.Equal($"java.lang.IllegalArgumentException: unknown setting [{key}] please check that any required plugins are installed, or check the breaking changes documentation for removed settings", refusal);
        Assert.Null(c.StartNode("es-02", "8.19.0", "cluster.name: emulated\nnode.roles: [ master, data ]\nxpack.security.enabled: false"));
        Assert.True(c.Node("es-02").Running);
    }

    [Fact]
    public void Downgrades_and_skipped_versions_are_refused()
    {
        var c = new EmulatedCluster(Three("7.16.3"));
        c.StopNode("es-01");
        Assert.Equal("java.lang.IllegalStateException: cannot upgrade a node from version [7.16.3] directly to version [8.19.0], upgrade to version [7.17.0] first.", c.StartNode("es-01", "8.19.0"));
        Assert.Null(c.StartNode("es-01", "7.17.27"));
        c.StopNode("es-01");
        Assert.Equal("java.lang.IllegalStateException: cannot downgrade a node from version [7.17.27] to version [7.16.3]", c.StartNode("es-01", "7.16.3"));
    }

    [Fact]
    public void An_8x_node_joins_a_717_cluster_but_a_717_node_cannot_join_an_all_8x_cluster()
    {
        var c = new EmulatedCluster(Three());
        foreach (var name in new[] { "es-01", "es-02" })
        {
            c.StopNode(name);
            Assert.Null(c.StartNode(name, "8.19.0"));
            Assert.True(c.Node(name).Running);
        }
        c.StopNode("es-03");
        Assert.Null(c.StartNode("es-03")); // still 7.17: the others are all 8.x now
        Assert.Equal(NodeState.Isolated, c.Node("es-03").State);
        Assert.Contains("node version [7.17.27] may not join a cluster comprising only nodes of version [8.19.0] or greater", c.Node("es-03").Log.Last());
    }

    [Fact]
    public void Delayed_allocation_waits_for_the_node_then_gives_up_on_it()
    {
        var c = new EmulatedCluster(Three(indices: new IndexSpec { Name = "logs", Shards = 1, Replicas = 1, Settings = { [EmulatedIndex.DelayedTimeoutSetting] = "1m" } }));
        var replica = c.AllCopies.Single(x => !x.Primary);
        var holder = c.NodeById(replica.NodeId)!;
        c.StopNode(holder.Name);
        Assert.Equal(ShardState.Unassigned, replica.State);
        Assert.True(replica.IsDelayed(c.Clock.UtcNow));
        c.Clock.Advance(TimeSpan.FromSeconds(61));
        c.Tick();
        Assert.Equal(ShardState.Initializing, replica.State);
        Assert.NotEqual(holder.Id, replica.NodeId);
    }

    [Fact]
    public void A_returning_node_gets_its_copy_back_quickly_only_if_flushed_since_the_last_write()
    {
        var c = new EmulatedCluster(Three(indices: new IndexSpec { Name = "logs", Shards = 1, Replicas = 1, Documents = 4_000_000 }));
        var index = c.Indices.Single();
        var replica = index.Copies.Single(x => !x.Primary);
        var holder = c.NodeById(replica.NodeId)!.Name;

        c.IndexDocument(index, "late-write");
        c.StopNode(holder);
        c.StartNode(holder);
        Assert.Equal("peer", replica.RecoveryType);
        Assert.True(replica.RecoveryBytes > 0, "unflushed: the files are copied again");
        c.Clock.Advance(TimeSpan.FromHours(1));
        c.Tick();

        c.Flush(c.Indices);
        c.StopNode(holder);
        c.StartNode(holder);
        Assert.Equal(0, replica.RecoveryBytes);
        Assert.Equal(TimeSpan.FromSeconds(1), replica.ReadyAt - replica.RecoveryStartedAt);
    }

    [Fact]
    public void Tier_preference_places_copies_on_the_first_tier_present()
    {
        var spec = new ClusterSpec();
        spec.Nodes.Add(new NodeSpec { Name = "m", Version = "7.17.27", Roles = new() { "master" } });
        spec.Nodes.Add(new NodeSpec { Name = "hot-1", Version = "7.17.27", Roles = new() { "data_hot", "data_content" } });
        spec.Nodes.Add(new NodeSpec { Name = "hot-2", Version = "7.17.27", Roles = new() { "data_hot", "data_content" } });
        spec.Nodes.Add(new NodeSpec { Name = "warm-1", Version = "7.17.27", Roles = new() { "data_warm" } });
        spec.Nodes.Add(new NodeSpec { Name = "warm-2", Version = "7.17.27", Roles = new() { "data_warm" } });
        spec.Indices.Add(new IndexSpec { Name = "old", Shards = 2, Replicas = 1, TierPreference = "data_warm,data_hot" });
        spec.Indices.Add(new IndexSpec { Name = "new", Shards = 2, Replicas = 1, TierPreference = "data_hot" });
        var c = new EmulatedCluster(spec);
        Assert.All(c.Index("old")!.Copies, x => Assert.StartsWith("warm-", c.NodeById(x.NodeId)!.Name));
        Assert.All(c.Index("new")!.Copies, x => Assert.StartsWith("hot-", c.NodeById(x.NodeId)!.Name));
    }

    [Theory]
    [InlineData("none", false, false)]
    [InlineData("new_primaries", false, false)]
    [InlineData("primaries", true, false)]
    [InlineData("all", true, true)]
    public void Allocation_enable_modes(string mode, bool primaryBack, bool replicaBack)
    {
        var c = new EmulatedCluster(Three(indices: new IndexSpec { Name = "logs", Shards = 1, Replicas = 0, Settings = { [EmulatedIndex.DelayedTimeoutSetting] = "0" } }));
        var index = c.Indices.Single();
        var primaryNode = c.NodeById(index.Copies.Single().NodeId)!.Name;
        c.UpdateSettings(new Dictionary<string, string?> { ["cluster.routing.allocation.enable"] = mode }, new Dictionary<string, string?>());
        c.UpdateIndexSettings(index, new Dictionary<string, string?> { ["number_of_replicas"] = "1" });
        c.StopNode(primaryNode);
        c.StartNode(primaryNode);
        Assert.Equal(primaryBack, index.Copies.Single(x => x.Primary).State != ShardState.Unassigned);
        Assert.Equal(replicaBack, index.Copies.Single(x => !x.Primary).State != ShardState.Unassigned);
    }

    [Fact]
    public async Task Documents_count_and_survive_a_primary_loss()
    {
        var spec = Three(indices: new IndexSpec { Name = "logs", Shards = 2, Replicas = 1, Documents = 100 });
        await using var c = await Cluster.StartAsync(spec);
        var bulk = string.Join("\n", Enumerable.Range(0, 20).SelectMany(i => new[] { $"{{\"index\":{{\"_index\":\"logs\",\"_id\":\"d{i}\"}}}}", "{\"n\":1}" })) + "\n";
        var (r, body) = await c.SendAsync("POST", "/_bulk", bulk, contentType: "application/x-ndjson");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.False(JsonDocument.Parse(body).RootElement.GetProperty("errors").GetBoolean());
        var (doc, _) = await c.SendAsync("PUT", "/logs/_doc/d0", "{\"n\":2}");
        Assert.Equal(HttpStatusCode.OK, doc.StatusCode); // an update, not a create
        Assert.Equal(120, (await c.GetJsonAsync("/logs/_count")).GetProperty("count").GetInt64());

        await c.Host.StopNodeAsync("es-03");
        Assert.Equal(120, (await c.GetJsonAsync("/logs/_count")).GetProperty("count").GetInt64());
        var cat = await c.GetJsonAsync("/_cat/indices?format=json");
        Assert.Equal("120", cat[0].GetProperty("docs.count").GetString());
    }

    [Fact]
    public async Task Synced_flush_is_7x_only()
    {
        await using var seven = await Cluster.StartAsync(Three(indices: new IndexSpec { Name = "logs" }));
        var (r7, _) = await seven.SendAsync("POST", "/_flush/synced");
        Assert.Equal(HttpStatusCode.OK, r7.StatusCode);
        Assert.Contains(r7.Headers.GetValues("Warning"), w => w.Contains("Synced flush is deprecated and will be removed in 8.0."));

        await using var eight = await Cluster.StartAsync(Three("8.19.0", new IndexSpec { Name = "logs" }));
        var (r8, body8) = await eight.SendAsync("POST", "/_flush/synced");
        Assert.Equal(HttpStatusCode.BadRequest, r8.StatusCode);
        Assert.Equal("{\"error\":\"no handler found for uri [/_flush/synced] and method [POST]\"}", body8);
        var (flush, _) = await eight.SendAsync("POST", "/_flush");
        Assert.Equal(HttpStatusCode.OK, flush.StatusCode);
    }

    [Fact]
    public async Task Shutdown_api_marks_a_restart()
    {
        await using var c = await Cluster.StartAsync(Three(indices: new IndexSpec { Name = "logs", Shards = 1, Replicas = 1 }));
        var node = c.Model.NodeById(c.Model.AllCopies.Single(x => !x.Primary).NodeId)!;
        var (put, _) = await c.SendAsync("PUT", $"/_nodes/{node.Id}/shutdown", "{\"type\":\"restart\",\"reason\":\"upgrade\",\"allocation_delay\":\"10m\"}");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var status = (await c.GetJsonAsync("/_nodes/shutdown")).GetProperty("nodes")[0];
        Assert.Equal("RESTART", status.GetProperty("type").GetString());
        Assert.Equal("COMPLETE", status.GetProperty("status").GetString());
        Assert.Equal("10m", status.GetProperty("allocation_delay").GetString()); // as in examples/8.x__shutdown.get_node__response.json
        var (bad, badBody) = await c.SendAsync("PUT", $"/_nodes/{node.Id}/shutdown", "{\"type\":\"remove\"}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Validation Failed: 1: the reason for shutdown is required;", badBody);

        await c.Host.StopNodeAsync(node.Name);
        var (_, shards) = await c.SendAsync("GET", "/_cat/shards?h=state,unassigned.reason&format=json");
        Assert.Contains("NODE_RESTARTING", shards);
        var (del, _) = await c.SendAsync("DELETE", $"/_nodes/{node.Id}/shutdown");
        Assert.Equal(HttpStatusCode.OK, del.StatusCode);
    }

    [Fact]
    public async Task Allocation_explain_says_why_a_replica_waits()
    {
        await using var c = await Cluster.StartAsync(Three(indices: new IndexSpec { Name = "logs", Shards = 1, Replicas = 1, Settings = { [EmulatedIndex.DelayedTimeoutSetting] = "0" } }));
        await c.SendAsync("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.allocation.enable\":\"primaries\"}}");
        var holder = c.Model.NodeById(c.Model.AllCopies.Single(x => !x.Primary).NodeId)!.Name;
        await c.Host.StopNodeAsync(holder);
        var explain = await c.GetJsonAsync("/_cluster/allocation/explain");
        Assert.Equal("no", explain.GetProperty("can_allocate").GetString());
        var reasons = explain.GetProperty("node_allocation_decisions").EnumerateArray()
            .SelectMany(d => d.GetProperty("deciders").EnumerateArray()).Select(d => d.GetProperty("explanation").GetString()).ToList();
        Assert.Contains("replica allocations are forbidden due to cluster setting [cluster.routing.allocation.enable=primaries]", reasons);
    }

    [Fact]
    public async Task Ml_upgrade_mode_round_trip()
    {
        await using var c = await Cluster.StartAsync(Three());
        var (r, _) = await c.SendAsync("POST", "/_ml/set_upgrade_mode?enabled=true");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.True((await c.GetJsonAsync("/_ml/info")).GetProperty("upgrade_mode").GetBoolean());
    }

    [Fact]
    public async Task An_isolated_node_answers_only_its_root()
    {
        await using var c = await Cluster.StartAsync(Three());
        foreach (var name in new[] { "es-01", "es-02" })
        {
            await c.Host.StopNodeAsync(name);
            await c.Host.StartNodeAsync(name, "8.19.0");
        }
        await c.Host.StopNodeAsync("es-03");
        await c.Host.StartNodeAsync("es-03");
        var (root, _) = await c.SendAsync("GET", "/", node: 2);
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        var (health, _) = await c.SendAsync("GET", "/_cluster/health", node: 2);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }

    [Fact]
    public async Task By_default_a_started_node_boots_a_while_before_it_joins()
    {
        var spec = ClusterSpec.Uniform(3, "7.17.27");
        spec.TimeScale = 4;     // 2.5 s of real time: longer than opening the node's port
        await using var c = await Cluster.StartAsync(spec);
        Assert.True(spec.NodeBootTime >= TimeSpan.FromSeconds(10));
        await c.Host.StopNodeAsync("es-03");
        await c.Host.StartNodeAsync("es-03");
        var nodes = (await c.GetJsonAsync("/_cat/nodes?format=json&h=name")).EnumerateArray().Select(n => n.GetProperty("name").GetString()).ToList();
        Assert.DoesNotContain("es-03", nodes);
        var health = await c.GetJsonAsync("/_cluster/health?wait_for_nodes=3&timeout=30s");
        Assert.False(health.GetProperty("timed_out").GetBoolean());
    }

    [Fact]
    public void The_ideal_schedule_is_the_union_of_boots_and_recoveries()
    {
        var spec = Three(indices: new IndexSpec { Name = "logs", Shards = 1, Replicas = 1, Documents = 10 });
        spec.NodeBootTime = TimeSpan.FromSeconds(20);
        var c = new EmulatedCluster(spec);
        Assert.Equal(TimeSpan.Zero, c.ImposedWait);
        var holder = c.NodeById(c.AllCopies.Single(x => !x.Primary).NodeId)!.Name;
        c.UpdateSettings(new Dictionary<string, string?> { ["cluster.routing.allocation.enable"] = "primaries" }, new Dictionary<string, string?>());
        c.Flush(c.Indices);
        c.StopNode(holder);
        Assert.Null(c.StartNode(holder));
        c.Clock.Advance(TimeSpan.FromSeconds(25)); // the orchestrator notices 5 s late: not imposed
        c.Tick();
        Assert.Equal(TimeSpan.FromSeconds(20), c.ImposedWait);
        c.UpdateSettings(new Dictionary<string, string?> { ["cluster.routing.allocation.enable"] = null }, new Dictionary<string, string?>());
        c.Clock.Advance(TimeSpan.FromSeconds(3));
        c.Tick();
        Assert.Equal(TimeSpan.FromSeconds(21), c.ImposedWait); // + 1 s operations-based recovery
    }

    [Theory]
    [InlineData("node.roles: [ master, data ]", false)]
    [InlineData("xpack.security.enabled: true", false)]
    [InlineData("xpack.security.enabled: true\nxpack.security.transport.ssl.enabled: true", true)]
    [InlineData("xpack:\n  security:\n    enabled: false", true)]
    public void An_8x_node_with_security_unsaid_and_no_transport_tls_fails_its_bootstrap_check(string yaml, bool starts)
    {
        var c = new EmulatedCluster(Three());
        c.StopNode("es-02");
        var refusal = c.StartNode("es-02", "8.19.0", yaml);
        if (starts) Assert.Null(refusal);
        else Assert.Contains("Transport SSL must be enabled if security is enabled. Please set [xpack.security.transport.ssl.enabled] to [true] or disable security by setting [xpack.security.enabled] to [false]", refusal);
    }
}
