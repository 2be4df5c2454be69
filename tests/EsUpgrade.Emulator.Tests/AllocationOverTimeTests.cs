using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Tests;

/// <summary>Allocation that takes time (BEHAVIOUR.md §13) and the deciders' words for it (§2d).</summary>
public class AllocationOverTimeTests
{
    static ClusterSpec Spec(string version = "7.17.27")
    {
        var spec = ClusterSpec.Uniform(3, version);
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = 1, Replicas = 1, Documents = 10, Settings = { [EmulatedIndex.DelayedTimeoutSetting] = "0" } });
        spec.ShardFetchTime = TimeSpan.FromSeconds(5);
        spec.TimeScale = 10;    // the fetch lasts half a second of real time
        return spec;
    }

    static async Task<string> ReplicaHolderAsync(Cluster c) =>
        c.Model.NodeById(c.Model.AllCopies.Single(x => !x.Primary).NodeId)!.Name;

    [Theory]
    [InlineData("7.17.27", "cannot allocate because information about existing shard data is still being retrieved from some of the nodes")]
    [InlineData("8.19.0", "Elasticsearch is retrieving information about this shard from one or more nodes. It will make an allocation decision after it receives this information. Please wait.")]
    public async Task A_returning_replica_waits_for_its_shard_data_yellow_with_nothing_initializing(string version, string explanation)
    {
        await using var c = await Cluster.StartAsync(Spec(version));
        var holder = await ReplicaHolderAsync(c);
        await c.SendAsync("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.allocation.enable\":\"primaries\"}}");
        await c.Host.StopNodeAsync(holder);
        await c.Host.StartNodeAsync(holder);
        await c.SendAsync("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.allocation.enable\":null}}");

        var health = await c.GetJsonAsync("/_cluster/health");
        Assert.Equal("yellow", health.GetProperty("status").GetString());
        Assert.Equal(0, health.GetProperty("initializing_shards").GetInt32());
        Assert.Equal(1, health.GetProperty("number_of_in_flight_fetch").GetInt32());
        var explain = await c.GetJsonAsync("/_cluster/allocation/explain");
        Assert.Equal("awaiting_info", explain.GetProperty("can_allocate").GetString());
        Assert.Equal(explanation, explain.GetProperty("allocate_explanation").GetString());
        Assert.False(explain.TryGetProperty("node_allocation_decisions", out _));
        Assert.False(explain.GetProperty("unassigned_info").TryGetProperty("delayed", out _));

        // Once fetched, the replica goes back to its node.
        health = await c.GetJsonAsync("/_cluster/health?wait_for_status=green&timeout=30m&master_timeout=30m");
        Assert.Equal("green", health.GetProperty("status").GetString());
        Assert.Equal(0, health.GetProperty("number_of_in_flight_fetch").GetInt32());
    }

    [Fact]
    public async Task An_excluded_node_is_refused_by_the_filter_decider()
    {
        await using var c = await Cluster.StartAsync(Spec());
        var holder = await ReplicaHolderAsync(c);
        await c.SendAsync("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.allocation.exclude._name\":\"es-0*\"}}");
        await c.Host.StopNodeAsync(holder);
        var explain = await c.GetJsonAsync("/_cluster/allocation/explain");
        Assert.Equal("no", explain.GetProperty("can_allocate").GetString());
        Assert.Equal("cannot allocate because allocation is not permitted to any of the nodes", explain.GetProperty("allocate_explanation").GetString());
        var deciders = explain.GetProperty("node_allocation_decisions").EnumerateArray().SelectMany(d => d.GetProperty("deciders").EnumerateArray()).Select(d => d.GetProperty("decider").GetString()).ToList();
        Assert.Contains("filter", deciders);
    }

    [Fact]
    public async Task The_index_level_enable_setting_decides_too()
    {
        await using var c = await Cluster.StartAsync(Spec("8.19.0"));
        var holder = await ReplicaHolderAsync(c);
        await c.SendAsync("PUT", "/logs/_settings", "{\"index.routing.allocation.enable\":\"primaries\"}");
        await c.Host.StopNodeAsync(holder);
        var explain = await c.GetJsonAsync("/_cluster/allocation/explain");
        var texts = explain.GetProperty("node_allocation_decisions").EnumerateArray().SelectMany(d => d.GetProperty("deciders").EnumerateArray()).Select(d => d.GetProperty("explanation").GetString()).ToList();
        Assert.Contains("replica allocations are forbidden due to index setting [index.routing.allocation.enable=primaries]", texts);
    }
}

/// <summary>Smaller truths of real answers.</summary>
public class SmallerTruthTests
{
    [Fact]
    public async Task Count_with_a_missing_shard_answers_200_with_the_failure_and_a_partial_count()
    {
        var spec = ClusterSpec.Uniform(2, "7.17.27");
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = 2, Replicas = 0, Documents = 1000, Settings = { [EmulatedIndex.DelayedTimeoutSetting] = "0" } });
        await using var c = await Cluster.StartAsync(spec);
        var lost = c.Model.NodeById(c.Model.AllCopies.First(x => x.Shard == 1).NodeId)!.Name;
        await c.Host.StopNodeAsync(lost);
        var (response, body) = await c.SendAsync("GET", "/logs/_count");
        Assert.Equal(200, (int)response.StatusCode);
        using var doc = System.Text.Json.JsonDocument.Parse(body);
        var shards = doc.RootElement.GetProperty("_shards");
        Assert.True(shards.GetProperty("failed").GetInt32() >= 1);
        Assert.True(doc.RootElement.GetProperty("count").GetInt64() < 1000);
        Assert.Equal("no_shard_available_action_exception", shards.GetProperty("failures")[0].GetProperty("reason").GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_enable_value_is_kept_as_given_and_still_decides()
    {
        await using var c = await Cluster.StartAsync(3, "8.19.0", new IndexSpec { Name = "logs", Shards = 1, Replicas = 1 });
        await c.SendAsync("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.allocation.enable\":\"PRIMARIES\"}}");
        var settings = await c.GetJsonAsync("/_cluster/settings?flat_settings=true");
        Assert.Equal("PRIMARIES", settings.GetProperty("persistent").GetProperty("cluster.routing.allocation.enable").GetString());
        lock (c.Model.Sync)
        {
            var replica = c.Model.AllCopies.Single(x => !x.Primary);
            var other = c.Model.Nodes.First(n => n.Id != replica.NodeId && c.Model.AllCopies.All(x => x.NodeId != n.Id));
            Assert.StartsWith("[enable] replica allocations are forbidden", c.Model.Decide(replica, other));
        }
    }
}

/// <summary>DiskThresholdDecider and the flood-stage block.</summary>
public class DiskWatermarkTests
{
    [Fact]
    public async Task A_node_above_the_low_watermark_takes_no_replica_and_explain_says_why()
    {
        var spec = ClusterSpec.Uniform(3, "7.17.27");
        spec.ShardFetchTime = TimeSpan.Zero;
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = 1, Replicas = 1, Documents = 10, Settings = { [EmulatedIndex.DelayedTimeoutSetting] = "0" } });
        await using var c = await Cluster.StartAsync(spec);
        var holder = c.Model.NodeById(c.Model.AllCopies.Single(x => !x.Primary).NodeId)!.Name;
        foreach (var n in c.Model.Nodes) c.Model.SetDiskUsage(n.Name, 88);
        await c.Host.StopNodeAsync(holder);
        await c.Host.StartNodeAsync(holder);
        var explain = await c.GetJsonAsync("/_cluster/allocation/explain");
        Assert.Equal("no", explain.GetProperty("can_allocate").GetString());
        var texts = explain.GetProperty("node_allocation_decisions").EnumerateArray().SelectMany(d => d.GetProperty("deciders").EnumerateArray())
            .Where(d => d.GetProperty("decider").GetString() == "disk_threshold").Select(d => d.GetProperty("explanation").GetString()).ToList();
        Assert.Contains("the node is above the low watermark cluster setting [cluster.routing.allocation.disk.watermark.low=85%], using more disk space than the maximum allowed [85.0%], actual free: [12.0%]", texts);
    }

    [Fact]
    public async Task Past_the_flood_stage_an_index_with_a_copy_there_turns_read_only()
    {
        await using var c = await Cluster.StartAsync(2, "8.19.0", new IndexSpec { Name = "logs", Shards = 1, Replicas = 1 });
        c.Model.SetDiskUsage("es-01", 96);
        var (response, body) = await c.SendAsync("POST", "/logs/_doc", "{\"a\":1}");
        Assert.Equal(429, (int)response.StatusCode);
        Assert.Contains("disk usage exceeded flood-stage watermark", body);
        var settings = await c.GetJsonAsync("/logs/_settings?flat_settings=true");
        Assert.Equal("true", settings.GetProperty("logs").GetProperty("settings").GetProperty("index.blocks.read_only_allow_delete").GetString());
    }
}

public class MachineLearningOffTests
{
    [Fact]
    public async Task Without_ml_the_ml_routes_are_not_there()
    {
        var spec = ClusterSpec.Uniform(1, "8.19.0");
        spec.MlEnabled = false;
        await using var c = await Cluster.StartAsync(spec);
        var (response, body) = await c.SendAsync("POST", "/_ml/set_upgrade_mode?enabled=true");
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("no handler found for uri [/_ml/set_upgrade_mode?enabled=true] and method [POST]", body);
    }
}

public class RetryLimitTests
{
    [Fact]
    public async Task Five_failed_recoveries_hit_the_retry_limit_until_reroute_retry_failed()
    {
        var spec = ClusterSpec.Uniform(2, "8.19.0");
        spec.TimeScale = 50;
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = 1, Replicas = 1, Documents = 10, Settings = { [EmulatedIndex.DelayedTimeoutSetting] = "0" } });
        await using var c = await Cluster.StartAsync(spec);
        var replica = c.Model.AllCopies.Single(x => !x.Primary);
        var holder = c.Model.NodeById(replica.NodeId)!.Name;
        c.Model.FailRecoveries(holder, 5);
        await c.Host.StopNodeAsync(holder);
        await c.Host.StartNodeAsync(holder);
        Assert.True(await c.Model.WaitUntilAsync(() => c.Model.AllCopies.Single(x => !x.Primary) is { FailedAttempts: 5, State: ShardState.Unassigned }, TimeSpan.FromSeconds(30), default));

        var explain = await c.GetJsonAsync("/_cluster/allocation/explain");
        Assert.Equal(5, explain.GetProperty("unassigned_info").GetProperty("failed_allocation_attempts").GetInt32());
        var decider = explain.GetProperty("node_allocation_decisions").EnumerateArray().SelectMany(d => d.GetProperty("deciders").EnumerateArray()).First(d => d.GetProperty("decider").GetString() == "max_retry");
        Assert.StartsWith("shard has exceeded the maximum number of retries [5] on failed allocation attempts - manually call [POST /_cluster/reroute?retry_failed] to retry", decider.GetProperty("explanation").GetString());

        var (response, _) = await c.SendAsync("POST", "/_cluster/reroute?retry_failed=true");
        Assert.Equal(200, (int)response.StatusCode);
        var health = await c.GetJsonAsync("/_cluster/health?wait_for_status=green&timeout=30m&master_timeout=30m");
        Assert.Equal("green", health.GetProperty("status").GetString());
    }
}

public class CrashTests
{
    [Fact]
    public async Task A_killed_node_stays_listed_until_the_follower_checks_give_up()
    {
        var spec = ClusterSpec.Uniform(3, "7.17.27");
        spec.TimeScale = 6;    // listed for 30 emulated seconds: 5 real ones, room for a loaded machine to look
        await using var c = await Cluster.StartAsync(spec);
        await c.Host.CrashNodeAsync("es-03");
        var names = (await c.GetJsonAsync("/_cat/nodes?format=json&h=name")).EnumerateArray().Select(n => n.GetProperty("name").GetString()).ToList();
        Assert.Contains("es-03", names);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => c.Http.GetAsync(c.Uri(2)));
        var health = await c.GetJsonAsync("/_cluster/health?wait_for_nodes=2&timeout=10m");
        Assert.Equal(2, health.GetProperty("number_of_nodes").GetInt32());
    }

    [Fact]
    public async Task Nodes_info_counts_a_listed_node_that_cannot_answer_as_failed()
    {
        await using var c = await Cluster.StartAsync(ClusterSpec.Uniform(3, "7.17.27"));   // time scale 1: listed for 30 s
        await c.Host.CrashNodeAsync("es-03");
        var info = await c.GetJsonAsync("/_nodes");
        var header = info.GetProperty("_nodes");
        Assert.Equal((3, 2, 1), (header.GetProperty("total").GetInt32(), header.GetProperty("successful").GetInt32(), header.GetProperty("failed").GetInt32()));
        var failure = Assert.Single(header.GetProperty("failures").EnumerateArray().ToList());
        Assert.Equal("failed_node_exception", failure.GetProperty("type").GetString());
        Assert.Equal(c.Model.Node("es-03").Id, failure.GetProperty("node_id").GetString());
        Assert.Equal(2, info.GetProperty("nodes").EnumerateObject().Count());
    }
}
