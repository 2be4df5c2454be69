using EsUpgrade.Connections;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Inventory;
using EsUpgrade.Settings;
using EsUpgrade.Wire;

namespace EsUpgrade.Core.Tests;

public class InventoryTests
{
    static ClusterSpec Tiered()
    {
        var spec = new ClusterSpec { ClusterName = "tiered" };
        spec.Nodes.Add(new NodeSpec { Name = "master-1", Version = "7.17.27", Roles = new() { "master" } });
        spec.Nodes.Add(new NodeSpec { Name = "master-2", Version = "7.17.27", Roles = new() { "master" } });
        spec.Nodes.Add(new NodeSpec { Name = "master-3", Version = "8.19.0", Roles = new() { "master" } });
        spec.Nodes.Add(new NodeSpec { Name = "hot-1", Version = "7.17.27", Roles = new() { "data_hot", "data_content", "ingest" }, Plugins = new() { "analysis-icu" } });
        spec.Nodes.Add(new NodeSpec { Name = "frozen-1", Version = "7.17.27", Roles = new() { "data_frozen" }, Attributes = new() { ["zone"] = "b" } });
        return spec;
    }

    [Fact]
    public async Task Nodes_with_roles_tiers_and_master()
    {
        await using var es = await Emulated.StartAsync(Tiered());
        using var c = await es.ConnectAsync();
        var nodes = await InventoryReader.GetNodesAsync(new EsApi(c), null, default);
        Assert.Equal(new[] { "frozen-1", "hot-1", "master-1", "master-2", "master-3" }, nodes.Select(n => n.Name));
        var hot = nodes.Single(n => n.Name == "hot-1");
        Assert.Equal(new[] { "hot", "content" }, hot.DataTiers);
        Assert.Equal(new[] { "analysis-icu" }, hot.Plugins);
        Assert.False(hot.IsMasterEligible);
        Assert.Equal(new[] { "frozen" }, nodes.Single(n => n.Name == "frozen-1").DataTiers);
        Assert.Equal("b", nodes.Single(n => n.Name == "frozen-1").Attributes["zone"]);
        Assert.Equal("master-1", Assert.Single(nodes, n => n.IsElectedMaster).Name);
        Assert.Equal(new Version(8, 19, 0), nodes.Single(n => n.Name == "master-3").Version);
        Assert.All(nodes, n => Assert.Same(c, n.Connection));
        Assert.Equal(es.Host.NodeUri("hot-1").Authority, hot.HttpAddress);
    }

    [Fact]
    public async Task A_node_that_is_listed_but_cannot_answer_is_left_out_with_a_warning()
    {
        await using var es = await Emulated.StartAsync(Tiered());
        await es.Host.CrashNodeAsync("frozen-1");    // listed until the follower checks give up (30 s)
        var log = new RecordingLog();
        using var c = await es.ConnectAsync(log: log);
        var nodes = await InventoryReader.GetNodesAsync(new EsApi(c, log), null, default);
        Assert.DoesNotContain(nodes, n => n.Name == "frozen-1");
        var id = es.Host.Cluster.Node("frozen-1").Id;
        Assert.Contains(log.Lines, l => l.StartsWith("WARNING") && l.Contains($"node {id} is in the cluster but did not answer") && l.Contains("Node not connected"));
    }

    [Fact]
    public async Task Node_selectors_pass_through()
    {
        await using var es = await Emulated.StartAsync(Tiered());
        using var c = await es.ConnectAsync();
        var masters = await InventoryReader.GetNodesAsync(new EsApi(c), "master:true", default);
        Assert.Equal(3, masters.Count);
        Assert.Equal("hot-1", Assert.Single(await InventoryReader.GetNodesAsync(new EsApi(c), "hot*", default)).Name);
    }

    [Fact]
    public async Task Cluster_summary_of_a_mixed_version_cluster()
    {
        await using var es = await Emulated.StartAsync(Tiered());
        using var c = await es.ConnectAsync();
        var cluster = await InventoryReader.GetClusterAsync(new EsApi(c), default);
        Assert.Equal("tiered", cluster.Name);
        Assert.Equal(Health.HealthStatus.Green, cluster.Status);
        Assert.Equal(5, cluster.NumberOfNodes);
        Assert.Equal(2, cluster.NumberOfDataNodes);
        Assert.Equal(3, cluster.NumberOfMasterEligibleNodes);
        Assert.Equal(new Version(7, 17, 27), cluster.MinimumVersion);
        Assert.Equal(new Version(8, 19, 0), cluster.MaximumVersion);
        Assert.True(cluster.IsMixedVersion);
        Assert.Equal(new[] { "7.17.27 (4)", "8.19.0 (1)" }, cluster.Versions);
        Assert.Equal("master-1", cluster.ElectedMaster);
    }

    [Fact]
    public async Task Settings_by_scope_in_flat_names()
    {
        await using var es = await Emulated.StartAsync(nodes: 1, version: "8.19.0");
        using var c = await es.ConnectAsync();
        var api = new EsApi(c);
        await api.SendAsync(new EsRequest("PUT", "/_cluster/settings",
            "{\"persistent\":{\"cluster.routing.allocation.enable\":\"primaries\"},\"transient\":{\"indices.recovery.max_bytes_per_sec\":\"80mb\"}}"), default);
        var settings = await ClusterSettings.GetAsync(api, includeDefaults: true, default);
        var enable = settings.Single(s => s.Name == "cluster.routing.allocation.enable" && s.Scope == SettingScope.Persistent);
        Assert.Equal("primaries", enable.Value);
        Assert.Equal("80mb", settings.Single(s => s.Scope == SettingScope.Transient).Value);
        Assert.Contains(settings, s => s.Scope == SettingScope.Default && s.Name == "cluster.routing.rebalance.enable");
        Assert.DoesNotContain(settings, s => s.Scope == SettingScope.Default && s.Name == "cluster.routing.allocation.enable");
    }

    [Fact]
    public async Task Server_errors_carry_type_and_status()
    {
        await using var es = await Emulated.StartAsync(nodes: 1, version: "8.19.0");
        using var c = await es.ConnectAsync();
        var ex = await Assert.ThrowsAsync<EsUpgrade.Errors.EsServerException>(() =>
            new EsApi(c).SendAsync(new EsRequest("PUT", "/_cluster/settings", "{\"persistent\":{\"no.such\":1}}"), default));
        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("illegal_argument_exception", ex.ErrorType);
        Assert.Equal("persistent setting [no.such], not recognized", ex.Reason);
        Assert.Equal(EsUpgrade.Errors.EsErrorKind.InvalidArgument, ex.Kind);

        var unknown = await Assert.ThrowsAsync<EsUpgrade.Errors.EsServerException>(() => new EsApi(c).SendAsync(EsRequest.Get("/_nope/a/b/c"), default));
        Assert.Equal("no handler found for uri [/_nope/a/b/c] and method [GET]", unknown.Reason);
    }

    [Fact]
    public async Task Never_sends_compatible_with_9()
    {
        // An 8.x node answers compatible-with=9 with 400: every call succeeding proves the header is plain JSON.
        await using var es = await Emulated.StartAsync(nodes: 1, version: "8.19.0");
        using var c = await es.ConnectAsync();
        var api = new EsApi(c);
        await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.allocation.enable\":\"all\"}}"), default);
        await InventoryReader.GetClusterAsync(api, default);
    }
}
