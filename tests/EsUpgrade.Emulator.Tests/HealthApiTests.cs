using System.Net;
using System.Text.Json;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Tests;

/// <summary>_cluster/health's long poll, _nodes selectors, _cat tables, settings over HTTP.</summary>
public class HealthApiTests
{
    static IndexSpec Logs => new() { Name = "logs", Shards = 2, Replicas = 1, Documents = 1000 };

    [Fact]
    public async Task Wait_for_status_times_out_with_408()
    {
        await using var c = await Cluster.StartAsync(3, "8.19.0", Logs);
        await c.Host.StopNodeAsync("es-03");
        await c.Host.StopNodeAsync("es-02");
        await c.Host.StartNodeAsync("es-02"); // quorum back, es-03 still away
        var (r, body) = await c.SendAsync("GET", "/_cluster/health?wait_for_nodes=3&timeout=200ms");
        Assert.Equal(HttpStatusCode.RequestTimeout, r.StatusCode);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("timed_out").GetBoolean());
    }

    [Fact]
    public async Task Wait_for_nodes_answers_when_the_node_joins()
    {
        await using var c = await Cluster.StartAsync(3, "8.19.0", Logs);
        await c.Host.StopNodeAsync("es-03");
        var waiting = c.SendAsync("GET", "/_cluster/health?wait_for_nodes=3&wait_for_status=green&timeout=30s");
        Assert.False(waiting.IsCompleted);
        await c.Host.StartNodeAsync("es-03");
        var (r, body) = await waiting;
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var health = JsonDocument.Parse(body).RootElement;
        Assert.Equal(3, health.GetProperty("number_of_nodes").GetInt32());
        Assert.Equal("green", health.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(">=2", true)]
    [InlineData("ge(3)", true)]
    [InlineData("lt(3)", false)]
    [InlineData("3", true)]
    [InlineData("4", false)]
    public async Task Wait_for_nodes_syntax(string expression, bool met)
    {
        await using var c = await Cluster.StartAsync(3, "7.17.27");
        var (r, _) = await c.SendAsync("GET", $"/_cluster/health?wait_for_nodes={Uri.EscapeDataString(expression)}&timeout=100ms");
        Assert.Equal(met ? HttpStatusCode.OK : HttpStatusCode.RequestTimeout, r.StatusCode);
    }

    [Fact]
    public async Task Removed_parameter_is_refused()
    {
        await using var c = await Cluster.StartAsync(1, "7.17.27");
        var (r, body) = await c.SendAsync("GET", "/_cluster/health?wait_for_relocating_shards=0");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("wait_for_relocating_shards has been removed, use wait_for_no_relocating_shards [true/false] instead", body);
    }

    [Fact]
    public async Task Level_indices_and_an_unknown_index()
    {
        await using var c = await Cluster.StartAsync(2, "8.19.0", Logs);
        var health = await c.GetJsonAsync("/_cluster/health?level=shards");
        var logs = health.GetProperty("indices").GetProperty("logs");
        Assert.Equal(2, logs.GetProperty("number_of_shards").GetInt32());
        Assert.True(logs.GetProperty("shards").GetProperty("1").GetProperty("primary_active").GetBoolean());
        var (missing, body) = await c.SendAsync("GET", "/_cluster/health/nothing?timeout=100ms");
        Assert.Equal(HttpStatusCode.RequestTimeout, missing.StatusCode);
        Assert.Equal("red", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task No_master_is_503()
    {
        await using var c = await Cluster.StartAsync(3, "7.17.27");
        await c.Host.StopNodeAsync("es-02");
        await c.Host.StopNodeAsync("es-03");
        var (r, body) = await c.SendAsync("GET", "/_cluster/health?master_timeout=1s");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        Assert.Equal("{\"error\":{\"root_cause\":[{\"type\":\"master_not_discovered_exception\",\"reason\":null}],\"type\":\"master_not_discovered_exception\",\"reason\":null},\"status\":503}", body);
        var (root, _) = await c.SendAsync("GET", "/");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
    }

    [Fact]
    public async Task A_stopped_nodes_port_is_closed()
    {
        await using var c = await Cluster.StartAsync(2, "7.17.27");
        var uri = c.Uri(1);
        await c.Host.StopNodeAsync("es-02");
        await Assert.ThrowsAsync<HttpRequestException>(() => c.Http.GetAsync(uri));
    }

    [Fact]
    public async Task Node_selectors()
    {
        var spec = new ClusterSpec();
        spec.Nodes.Add(new NodeSpec { Name = "m1", Version = "7.17.27", Roles = new() { "master" } });
        spec.Nodes.Add(new NodeSpec { Name = "hot1", Version = "7.17.27", Roles = new() { "data_hot", "data_content" } });
        spec.Nodes.Add(new NodeSpec { Name = "warm1", Version = "7.17.27", Roles = new() { "data_warm" } });
        await using var c = await Cluster.StartAsync(spec);
        async Task<string[]> Names(string selector) =>
            (await c.GetJsonAsync("/_nodes/" + selector)).GetProperty("nodes").EnumerateObject().Select(n => n.Value.GetProperty("name").GetString()!).OrderBy(n => n).ToArray();
        Assert.Equal(new[] { "m1" }, await Names("master:true"));
        Assert.Equal(new[] { "hot1" }, await Names("data_hot:true"));
        Assert.Equal(new[] { "hot1", "warm1" }, await Names("_all,master:false"));
        Assert.Equal(new[] { "m1" }, await Names("_local"));
        Assert.Equal(new[] { "hot1", "warm1" }, await Names("*1,master:false"));
        // A lone metric name is a metric, not a node id.
        Assert.Equal(3, (await c.GetJsonAsync("/_nodes/http")).GetProperty("nodes").EnumerateObject().Count());
    }

    [Fact]
    public async Task Cat_nodes_text_and_json()
    {
        await using var c = await Cluster.StartAsync(2, "8.19.0");
        var (r, text) = await c.SendAsync("GET", "/_cat/nodes?v&h=name,version,master");
        Assert.StartsWith("text/plain", r.Content.Headers.ContentType!.ToString());
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(new[] { "name", "version", "master" }, lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(new[] { "es-01", "8.19.0", "*" }, lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var json = await c.GetJsonAsync("/_cat/master?format=json");
        Assert.Equal("es-01", json[0].GetProperty("node").GetString());
        var (bad, _) = await c.SendAsync("GET", "/_cat/nodes?h=nonsense");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Settings_put_get_and_reset()
    {
        await using var c = await Cluster.StartAsync(1, "8.19.0");
        var (put, putBody) = await c.SendAsync("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster\":{\"routing\":{\"allocation\":{\"enable\":\"primaries\"}}}},\"transient\":{\"indices.recovery.max_bytes_per_sec\":\"100mb\"}}");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("primaries", JsonDocument.Parse(putBody).RootElement.GetProperty("persistent").GetProperty("cluster").GetProperty("routing").GetProperty("allocation").GetProperty("enable").GetString());
        var flat = await c.GetJsonAsync("/_cluster/settings?flat_settings=true");
        Assert.Equal("primaries", flat.GetProperty("persistent").GetProperty("cluster.routing.allocation.enable").GetString());
        Assert.Equal("100mb", flat.GetProperty("transient").GetProperty("indices.recovery.max_bytes_per_sec").GetString());

        await c.SendAsync("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.allocation.enable\":null}}");
        var after = await c.GetJsonAsync("/_cluster/settings?flat_settings=true&include_defaults=true");
        Assert.False(after.GetProperty("persistent").TryGetProperty("cluster.routing.allocation.enable", out _));
        Assert.Equal("all", after.GetProperty("defaults").GetProperty("cluster.routing.allocation.enable").GetString());

        var (unknown, unknownBody) = await c.SendAsync("PUT", "/_cluster/settings", "{\"persistent\":{\"discovery.zen.minimum_master_nodes\":2}}");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("persistent setting [discovery.zen.minimum_master_nodes], not recognized", unknownBody);
    }

    [Fact]
    public async Task A_master_routed_call_during_an_election_waits_for_the_new_master()
    {
        var spec = ClusterSpec.Uniform(3, "7.17.27");
        spec.ElectionTime = TimeSpan.FromSeconds(20);
        spec.TimeScale = 20;    // a one-second election in real time
        await using var c = await Cluster.StartAsync(spec);
        var master = c.Model.Master!.Name;
        await c.Host.StopNodeAsync(master);
        Assert.Null(c.Model.Master);
        var other = c.Model.Nodes.First(n => n.Name != master);
        var (r, body) = await c.SendAsync("GET", "/_cluster/settings", node: c.Model.Nodes.ToList().IndexOf(other));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.NotNull(c.Model.Master);
        (r, _) = await c.SendAsync("GET", "/_cluster/health?master_timeout=0s", node: c.Model.Nodes.ToList().IndexOf(other));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
    }
}
