using EsUpgrade.Assessment;
using EsUpgrade.Connections;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;
using EsUpgrade.Verification;
using EsUpgrade.Wire;

namespace EsUpgrade.Core.Tests;

/// <summary>Test-EsUpgradeResult's checks: a clean result passes; each kind of damage fails exactly its own check.</summary>
public class UpgradeResultTests
{
    static readonly Version Target = new(8, 19, 0);

    static ClusterSpec Spec(params string[] versions)
    {
        var spec = new ClusterSpec { ClusterName = "checked" };
        for (var i = 0; i < versions.Length; i++) spec.Nodes.Add(new NodeSpec { Name = $"es-{i + 1:00}", Version = versions[i] });
        // Created by 8.x: an index created in 7.x is, rightly, a critical deprecation for 9.x (a Warning).
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = 2, Replicas = 1, Documents = 500, Aliases = { "logs-read" }, CreatedVersion = "8.19.0" });
        spec.Indices.Add(new IndexSpec { Name = "orders", Shards = 1, Replicas = 1, Documents = 40, CreatedVersion = "8.19.0" });
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        return spec;
    }

    static async Task<(Emulated Es, EsApi Api, EsClusterBaseline Baseline)> StartAsync(ClusterSpec spec)
    {
        var es = await Emulated.StartAsync(spec);
        var api = new EsApi(await es.ConnectAsync());
        await api.GetJsonAsync(EsRequest.Get("/_cluster/health?wait_for_status=green&timeout=30s"), CancellationToken.None);
        await api.SendAsync(new EsRequest("PUT", "/orders/_doc/o-1", "{\"n\":1}"), CancellationToken.None);
        await api.SendAsync(new EsRequest("POST", "/_refresh"), CancellationToken.None);
        return (es, api, await ClusterBaselines.TakeAsync(api, CancellationToken.None));
    }

    static async Task<string[]> FailingAsync(EsApi api, EsClusterBaseline baseline) =>
        (await UpgradeResultChecker.RunAsync(api, Target, baseline, CancellationToken.None)).Where(c => c.Status == ReadinessStatus.Fail).Select(c => c.Name).ToArray();

    [Fact]
    public async Task A_clean_cluster_passes_and_each_kind_of_damage_fails_exactly_its_check()
    {
        var (es, api, baseline) = await StartAsync(Spec("8.19.0", "8.19.0", "8.19.0"));
        await using var _ = es;
        var path = Path.Combine(Path.GetTempPath(), $"baseline-{Guid.NewGuid():N}.json");
        ClusterBaselines.Save(baseline, path);
        baseline = ClusterBaselines.Load(path);
        File.Delete(path);
        Assert.Equal(541L, baseline.TotalDocuments);
        Assert.Equal(new[] { "logs-read" }, baseline.Indices.Single(i => i.Name == "logs").Aliases);
        var clean = await UpgradeResultChecker.RunAsync(api, Target, baseline, CancellationToken.None);
        Assert.All(clean, c => Assert.Equal(ReadinessStatus.Pass, c.Status));
        Assert.Equal(new[] { "NodeVersions", "NodesPresent", "Health", "IndicesPresent", "DocumentCounts", "Aliases", "ShardAllocation", "MlUpgradeMode", "TransientSettings", "CriticalDeprecations", "ShutdownRecords" },
            clean.Select(c => c.Name));

        await api.SendAsync(new EsRequest("DELETE", "/orders/_doc/o-1"), CancellationToken.None);
        Assert.Equal(new[] { "DocumentCounts" }, await FailingAsync(api, baseline));
        await api.SendAsync(new EsRequest("PUT", "/orders/_doc/o-1", "{}"), CancellationToken.None);
        await api.SendAsync(new EsRequest("PUT", "/orders/_doc/o-2", "{}"), CancellationToken.None);
        var grew = (await UpgradeResultChecker.RunAsync(api, Target, baseline, CancellationToken.None)).Single(c => c.Name == "DocumentCounts");
        Assert.Equal((ReadinessStatus.Warning, "no index lost documents; 1 grew (still written to): orders (+1)"), (grew.Status, grew.Detail));

        await api.SendAsync(new EsRequest("POST", "/_aliases", "{\"actions\":[{\"remove\":{\"index\":\"logs\",\"alias\":\"logs-read\"}}]}"), CancellationToken.None);
        Assert.Equal(new[] { "Aliases" }, await FailingAsync(api, baseline));
        await api.SendAsync(new EsRequest("POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"logs\",\"alias\":\"logs-read\"}}]}"), CancellationToken.None);

        await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.allocation.enable\":\"primaries\"}}"), CancellationToken.None);
        Assert.Equal(new[] { "ShardAllocation" }, await FailingAsync(api, baseline));
        await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.allocation.enable\":null}}"), CancellationToken.None);

        await api.SendAsync(new EsRequest("POST", "/_ml/set_upgrade_mode?enabled=true"), CancellationToken.None);
        Assert.Equal(new[] { "MlUpgradeMode" }, await FailingAsync(api, baseline));
        await api.SendAsync(new EsRequest("POST", "/_ml/set_upgrade_mode?enabled=false"), CancellationToken.None);

        await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", "{\"transient\":{\"indices.recovery.max_bytes_per_sec\":\"80mb\"}}"), CancellationToken.None);
        Assert.Equal(new[] { "TransientSettings" }, await FailingAsync(api, baseline));
        await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", "{\"transient\":{\"indices.recovery.max_bytes_per_sec\":null}}"), CancellationToken.None);

        await api.SendAsync(new EsRequest("DELETE", "/orders"), CancellationToken.None);
        Assert.Equal(new[] { "IndicesPresent" }, await FailingAsync(api, baseline));

        var other = new EsClusterBaseline { ClusterUuid = "elsewhere", ClusterName = "other", Nodes = { new BaselineNode { Name = "x", Version = "8.19.0" } } };
        Assert.Equal(ErrorIds.BaselineOfAnotherCluster, (await Assert.ThrowsAsync<EsException>(() => UpgradeResultChecker.RunAsync(api, Target, other, CancellationToken.None))).ErrorId);
    }

    [Fact]
    public async Task A_node_left_on_7_17_fails_the_versions_check_and_a_yellow_cluster_says_why()
    {
        var (es, api, baseline) = await StartAsync(Spec("8.19.0", "8.19.0", "7.17.29"));
        await using var _ = es;
        var checks = await UpgradeResultChecker.RunAsync(api, Target, baseline, CancellationToken.None);
        var versions = checks.Single(c => c.Name == "NodeVersions");
        Assert.Equal((ReadinessStatus.Fail, "1 of 3 nodes are not on 8.19.0: es-03 (7.17.29)"), (versions.Status, versions.Detail));
        Assert.Equal(new[] { "es-03" }, versions.Affected);

        await api.SendAsync(new EsRequest("PUT", "/logs/_settings", "{\"index\":{\"number_of_replicas\":5}}"), CancellationToken.None);
        var health = (await UpgradeResultChecker.RunAsync(api, Target, baseline, CancellationToken.None)).Single(c => c.Name == "Health");
        Assert.True(health.Status == ReadinessStatus.Warning, health.Detail);
        Assert.Contains("logs[0]r: ", health.Detail);
        Assert.True(health.Detail.Contains("a copy of this shard is already allocated to this node"), health.Detail);
        var none = (await UpgradeResultChecker.RunAsync(api, Target, null, CancellationToken.None)).Single(c => c.Name == "Baseline");
        Assert.Equal(ReadinessStatus.Warning, none.Status);
    }
}
