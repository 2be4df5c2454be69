using EsUpgrade.Connections;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;
using EsUpgrade.Monitoring;

namespace EsUpgrade.Core.Tests;

public class StatsTests
{
    [Fact]
    public async Task Cluster_and_node_stats_add_up_to_what_the_cluster_holds()
    {
        var spec = new ClusterSpec { ClusterName = "stats" };
        spec.Nodes.Add(new NodeSpec { Name = "es-01", Version = "8.19.0" });
        spec.Nodes.Add(new NodeSpec { Name = "es-02", Version = "8.19.0" });
        spec.Nodes.Add(new NodeSpec { Name = "es-03", Version = "7.17.29" });
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = 2, Replicas = 0, Documents = 3000 });
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        await using var es = await Emulated.StartAsync(spec);
        var api = new EsApi(await es.ConnectAsync());

        var cluster = await StatsReader.GetClusterAsync(api, CancellationToken.None);
        Assert.Equal((3, 3, 1, 2, 3000L), (cluster.Nodes, cluster.DataNodes, cluster.Indices, cluster.Shards, cluster.Documents));
        Assert.Equal(new[] { "7.17.29", "8.19.0" }, cluster.Versions);
        Assert.Equal(3L * 4 * 1024 * 1024 * 1024, cluster.HeapMaxBytes);
        Assert.Equal(40.0, cluster.DiskUsedPercent);

        var nodes = await StatsReader.FindNodesAsync(api, null, CancellationToken.None);
        Assert.Equal(new[] { "es-01", "es-02", "es-03" }, nodes.Found.Select(n => n.Name));
        Assert.Equal(3000L, nodes.Found.Sum(n => n.Documents));
        Assert.All(nodes.Found, n => Assert.Equal(30 + 2 * (n.Documents > 0 ? (int)(n.Documents / 1500) : 0), n.HeapUsedPercent));
        Assert.All(nodes.Found, n => Assert.True(n.HttpOpen >= 0 && n.DiskUsedPercent == 40.0 && n.CpuPercent >= 0));

        var some = await StatsReader.FindNodesAsync(api, new[] { "es-0[12]", "es-09", "es-1*" }, CancellationToken.None);
        Assert.Empty(some.Found);
        Assert.Equal(new[] { "es-0[12]", "es-09" }, some.Missing.Select(m => m.Target));
        Assert.All(some.Missing, m => Assert.Equal(ErrorIds.NodeNotFound, m.ErrorId));
    }
}
