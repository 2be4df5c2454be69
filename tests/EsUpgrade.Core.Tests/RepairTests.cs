using EsUpgrade.Assessment;
using EsUpgrade.Connections;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;
using EsUpgrade.Fixes;

namespace EsUpgrade.Core.Tests;

public class RepairTests
{
    static ClusterSpec Troubled()
    {
        var spec = ClusterSpec.Uniform(2, "7.17.29");
        spec.Nodes[0].ConfigYaml = "node.master: true\nxpack.security.enabled: false\n";
        spec.Indices.Add(new IndexSpec { Name = "old-logs", CreatedVersion = "6.8.23", Replicas = 0 });
        spec.Indices.Add(new IndexSpec { Name = "slow", Replicas = 0, Settings = { ["index.indexing.slowlog.level"] = "info", ["index.translog.retention.size"] = "1gb" } });
        spec.Indices.Add(new IndexSpec { Name = ".kibana_1", CreatedVersion = "6.8.23", Replicas = 0, Settings = { ["index.hidden"] = "true" } });
        spec.MlJobs.Add(new MlJobSpec { JobId = "fraud", Snapshots = { new ModelSnapshotSpec { SnapshotId = "old", MinVersion = "6.4.0" }, new ModelSnapshotSpec { SnapshotId = "current", MinVersion = "7.17.0" } } });
        spec.FeatureMigrationTime = TimeSpan.FromMilliseconds(200);
        spec.ReindexDocsPerSecond = 100_000;
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        return spec;
    }

    [Fact]
    public async Task What_can_be_fixed_is_fixed_and_what_is_left_is_exactly_what_needs_a_person()
    {
        await using var es = await Emulated.StartAsync(Troubled());
        lock (es.Host.Cluster.Sync)
        {
            es.Host.Cluster.Transient["indices.recovery.max_bytes_per_sec"] = "80mb";
            es.Host.Cluster.Persistent["cluster.routing.allocation.disk.include_relocations"] = "true";
        }
        using var connection = await es.ConnectAsync();
        var api = new EsApi(connection);
        var findings = (await DeprecationReader.ReadAsync(api, null, CancellationToken.None)).Found;
        var results = new List<RepairResult>();
        foreach (var f in findings) results.Add(await DeprecationRepair.ApplyAsync(api, DeprecationRepair.Plan(f, allowDelete: false), CancellationToken.None));

        Assert.DoesNotContain(results, r => r.Status == RepairStatus.Failed);
        Assert.Equal(RepairStatus.Fixed, results.Single(r => r.Message.StartsWith("Transient")).Status);
        Assert.Equal(RepairStatus.Fixed, results.Single(r => r.Resource == "old-logs").Status);
        Assert.Equal(RepairStatus.Fixed, results.Single(r => r.Resource == ".kibana_1").Status);
        Assert.Equal(RepairStatus.Fixed, results.Single(r => r.Category == DeprecationCategory.MachineLearning).Status);
        lock (es.Host.Cluster.Sync)
        {
            Assert.Equal("80mb", es.Host.Cluster.Persistent["indices.recovery.max_bytes_per_sec"]);
            Assert.Empty(es.Host.Cluster.Transient);
            Assert.False(es.Host.Cluster.Persistent.ContainsKey("cluster.routing.allocation.disk.include_relocations"));
            Assert.False(es.Host.Cluster.Index("slow")!.Settings.ContainsKey("index.indexing.slowlog.level"));
        }

        // A second look reports exactly the findings that were left to a person.
        var after = (await DeprecationReader.ReadAsync(api, null, CancellationToken.None)).Found;
        var manual = results.Where(r => r.Status == RepairStatus.NeedsManualAction).Select(r => (r.Category, r.Resource, r.Message)).OrderBy(x => x.ToString()).ToList();
        Assert.Equal(manual, after.Select(f => (f.Category, f.Resource, f.Message)).OrderBy(x => x.ToString()).ToList());
    }

    [Fact]
    public async Task A_model_snapshot_is_deleted_only_when_allowed_and_the_active_one_never()
    {
        await using var es = await Emulated.StartAsync(Troubled());
        using var connection = await es.ConnectAsync();
        var api = new EsApi(connection);
        var ml = (await DeprecationReader.ReadAsync(api, null, CancellationToken.None)).Found.Single(f => f.Category == DeprecationCategory.MachineLearning);
        Assert.Equal(("fraud", "old"), (ml.JobId, ml.SnapshotId));
        Assert.Equal(RepairKind.UpgradeModelSnapshot, DeprecationRepair.Plan(ml, allowDelete: false).Kind);
        var plan = DeprecationRepair.Plan(ml, allowDelete: true);
        Assert.True(plan.Deletes);
        Assert.Equal(RepairStatus.Fixed, (await DeprecationRepair.ApplyAsync(api, plan, CancellationToken.None)).Status);
        Assert.Equal(new[] { "current" }, es.Host.Cluster.MlJobs[0].Snapshots.Select(s => s.SnapshotId));
        var active = await Assert.ThrowsAsync<EsServerException>(() => ModelSnapshots.DeleteAsync(api, "fraud", "current", CancellationToken.None));
        Assert.Contains("active snapshot", active.Reason);
    }

    [Fact]
    public async Task A_failing_system_feature_migration_is_a_failed_result_naming_the_index_and_cause()
    {
        var spec = Troubled();
        spec.FailingFeatureMigration = "kibana";
        await using var es = await Emulated.StartAsync(spec);
        using var connection = await es.ConnectAsync();
        var api = new EsApi(connection);
        var hidden = (await DeprecationReader.ReadAsync(api, null, CancellationToken.None)).Found.Single(f => f.Resource == ".kibana_1");
        var result = await DeprecationRepair.ApplyAsync(api, DeprecationRepair.Plan(hidden, false), CancellationToken.None);
        Assert.Equal(RepairStatus.Failed, result.Status);
        Assert.Contains(".kibana_1", result.Reason);
        Assert.Contains("reindexed-for-8", result.Reason);
    }
}
