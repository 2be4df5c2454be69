using EsUpgrade.Assessment;
using EsUpgrade.Connections;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;

namespace EsUpgrade.Core.Tests;

/// <summary>Each readiness check passing on a ready cluster and failing on a purpose-built troubled one.</summary>
public class ReadinessTests
{
    static ClusterSpec Ready(string version = "7.17.29")
    {
        var spec = ClusterSpec.Uniform(3, version);
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = 2, Replicas = 1, Documents = 1000 });
        spec.Indices.Add(new IndexSpec { Name = ".kibana_7.17.29_001", Replicas = 1, Settings = { ["index.hidden"] = "true" } });
        spec.Repositories.Add(new RepositorySpec
        {
            Name = "nightly",
            Snapshots =
            {
                new SnapshotSpec { Name = "old", StartTime = DateTimeOffset.UtcNow.AddDays(-3), Indices = { "logs" } },
                new SnapshotSpec { Name = "today", StartTime = DateTimeOffset.UtcNow.AddHours(-2), Indices = { "logs" } },
            },
        });
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        return spec;
    }

    static async Task<IReadOnlyList<ReadinessCheck>> RunAsync(Emulated es, string target = "8.19.0", TimeSpan? maxAge = null)
    {
        using var connection = await es.ConnectAsync();
        return await ReadinessChecker.RunAsync(new EsApi(connection), new ReadinessOptions { TargetVersion = ReadinessChecker.ParseTarget(target), MaxSnapshotAge = maxAge ?? TimeSpan.FromHours(24) }, CancellationToken.None);
    }

    static ReadinessStatus StatusOf(IReadOnlyList<ReadinessCheck> checks, string name) => Assert.Single(checks, c => c.Name == name).Status;

    [Fact]
    public async Task A_ready_cluster_passes_every_check()
    {
        await using var es = await Emulated.StartAsync(Ready());
        var checks = await RunAsync(es);
        Assert.All(checks, c => Assert.True(c.Status == ReadinessStatus.Pass, $"{c.Name}: {c.Status} {c.Detail}"));
        foreach (var name in new[] { "UpgradePath", "NewestPatch", "OneVersion", "ClusterHealth", "ShardsSettled", "AllocationEnabled", "TransientSettings",
            "CriticalDeprecations", "MlModelSnapshots", "IndicesCreatedBefore7", "SystemFeatureMigration", "RecentSnapshot", "DiskWatermarks", "Plugins", "Clients" })
            Assert.Single(checks, c => c.Name == name);
    }

    [Fact]
    public async Task A_troubled_cluster_fails_each_check_with_the_things_at_fault()
    {
        var spec = Ready("7.17.27");
        spec.Indices.Add(new IndexSpec { Name = "old-logs", CreatedVersion = "6.8.23", Replicas = 0 });
        spec.Indices.Add(new IndexSpec { Name = ".kibana_1", CreatedVersion = "6.8.23", Replicas = 0, Settings = { ["index.hidden"] = "true" } });
        spec.MlJobs.Add(new MlJobSpec { JobId = "fraud", Snapshots = { new ModelSnapshotSpec { SnapshotId = "1", MinVersion = "6.4.0" } } });
        spec.Nodes[1].Plugins.Add("analysis-icu");
        spec.Repositories[0].Snapshots.RemoveAll(s => s.Name == "today");
        await using var es = await Emulated.StartAsync(spec);
        var model = es.Host.Cluster;
        lock (model.Sync)
        {
            model.Transient["indices.recovery.max_bytes_per_sec"] = "80mb";
            model.Persistent["cluster.routing.allocation.enable"] = "primaries";
            model.Nodes[2].DiskUsedPercent = 93;
            model.Nodes[0].HttpClients["c1"] = new HttpClientStats { Id = 1, Agent = "Elastic-Filebeat/7.10.2 (linux; amd64; abc; 2021-01-12)", RemoteAddress = "10.0.0.7:51000", RequestCount = 42 };
            model.Nodes[0].HttpClients["c2"] = new HttpClientStats { Id = 2, Agent = "elasticsearch-net/7.17.5 (Microsoft Windows 10.0.20348; .NET Framework 4.8; Nest)", RemoteAddress = "10.0.0.8:51000", RequestCount = 9 };
        }
        var checks = await RunAsync(es);
        using (var connection = await es.ConnectAsync())
        {
            // The findings the checks were judged on come back with them, for a report that needs both.
            var (again, findings) = await ReadinessChecker.RunWithFindingsAsync(new EsApi(connection), new ReadinessOptions { TargetVersion = new Version(8, 19, 0) }, CancellationToken.None);
            Assert.Equal(checks.Count, again.Count);
            Assert.Contains(findings, f => f.Resource == "old-logs" && f.IsCritical);
        }

        Assert.Equal(ReadinessStatus.Warning, StatusOf(checks, "NewestPatch"));
        Assert.Equal(ReadinessStatus.Fail, StatusOf(checks, "AllocationEnabled"));
        Assert.Equal(ReadinessStatus.Warning, StatusOf(checks, "TransientSettings"));
        Assert.Equal(ReadinessStatus.Fail, StatusOf(checks, "CriticalDeprecations"));
        Assert.Equal(ReadinessStatus.Fail, StatusOf(checks, "MlModelSnapshots"));
        var old = Assert.Single(checks, c => c.Name == "IndicesCreatedBefore7");
        Assert.Equal(ReadinessStatus.Fail, old.Status);
        Assert.Equal(new[] { ".kibana_1 (6.8.23)", "old-logs (6.8.23)" }, old.Affected.OrderBy(a => a, StringComparer.Ordinal));
        Assert.Equal(ReadinessStatus.Fail, StatusOf(checks, "SystemFeatureMigration"));
        Assert.Equal(ReadinessStatus.Fail, StatusOf(checks, "RecentSnapshot"));
        var disk = Assert.Single(checks, c => c.Name == "DiskWatermarks");
        Assert.Equal(ReadinessStatus.Fail, disk.Status);
        Assert.Contains("es-03 (93% used)", disk.Affected);
        Assert.Equal(ReadinessStatus.Warning, StatusOf(checks, "Plugins"));
        var clients = Assert.Single(checks, c => c.Name == "Clients");
        Assert.Equal(ReadinessStatus.Fail, clients.Status);
        Assert.Contains(clients.Affected, a => a.StartsWith("Filebeat 7.10.2", StringComparison.Ordinal));
        Assert.Contains(clients.Affected, a => a.Contains("CompatibilityMode"));
        // Failures first, each with a remedy.
        Assert.Equal(ReadinessStatus.Fail, checks[0].Status);
        Assert.All(checks.Where(c => c.Status != ReadinessStatus.Pass), c => Assert.False(string.IsNullOrEmpty(c.Remedy), c.Name));
    }

    [Fact]
    public async Task A_snapshot_older_than_the_limit_or_missing_an_index_does_not_count()
    {
        var spec = Ready();
        spec.Indices.Add(new IndexSpec { Name = "metrics", Replicas = 1 });
        await using var es = await Emulated.StartAsync(spec);
        var missing = Assert.Single(await RunAsync(es), c => c.Name == "RecentSnapshot");
        Assert.Equal((ReadinessStatus.Fail, "metrics"), (missing.Status, Assert.Single(missing.Affected)));
        var tooOld = Assert.Single(await RunAsync(es, maxAge: TimeSpan.FromHours(1)), c => c.Name == "RecentSnapshot");
        Assert.Contains("younger than 1 h", tooOld.Detail);
    }

    [Fact]
    public async Task Too_old_a_cluster_or_too_far_a_target_fails_the_path()
    {
        await using var es = await Emulated.StartAsync(Ready("7.10.2"));
        var checks = await RunAsync(es);
        Assert.Equal(ReadinessStatus.Fail, StatusOf(checks, "UpgradePath"));
        // 7.10 has neither the system-feature API nor client stats: said, not failed on.
        Assert.Equal(ReadinessStatus.Warning, StatusOf(checks, "SystemFeatureMigration"));
        Assert.Equal(ReadinessStatus.Warning, StatusOf(checks, "Clients"));
        Assert.Equal(ErrorIds.UnsupportedTargetVersion, Assert.Throws<EsException>(() => ReadinessChecker.ParseTarget("7.17.29")).ErrorId);
        Assert.Equal(ErrorIds.UnsupportedTargetVersion, Assert.Throws<EsException>(() => ReadinessChecker.ParseTarget("8.x")).ErrorId);
    }

    [Fact]
    public async Task On_8x_a_later_8x_is_judged_as_a_minor_upgrade()
    {
        var spec = Ready("8.18.0");
        spec.Indices.Add(new IndexSpec { Name = "from-7", CreatedVersion = "7.17.0", Replicas = 1 });
        spec.Repositories[0].Snapshots.Single(s => s.Name == "today").Indices.Add("from-7");
        await using var es = await Emulated.StartAsync(spec);
        var checks = await RunAsync(es);
        // The API's critical "Old index" is about 9.0: a warning here, not a blocker.
        var deprecations = Assert.Single(checks, c => c.Name == "CriticalDeprecations");
        Assert.Equal(ReadinessStatus.Warning, deprecations.Status);
        Assert.Contains("not of 8.19.0", deprecations.Detail);
        Assert.All(checks.Where(c => c.Name != "CriticalDeprecations"), c => Assert.True(c.Status == ReadinessStatus.Pass, $"{c.Name}: {c.Status} {c.Detail}"));
    }

    [Theory]
    [InlineData("Elastic-Filebeat/7.17.3 (linux; amd64)", "Filebeat", ClientCompatibility.Compatible)]
    [InlineData("Elastic-Metricbeat/7.12.0 (windows; amd64)", "Metricbeat", ClientCompatibility.Incompatible)]
    [InlineData("logstash/7.17.0 (OS=Linux) logstash-output-elasticsearch/11.4.1", "Logstash", ClientCompatibility.Compatible)]
    [InlineData("elasticsearch-net/7.17.5 (Microsoft Windows; .NET Framework 4.8; Nest)", ".NET client", ClientCompatibility.CompatibilityMode)]
    [InlineData("elasticsearch-py/7.10.1 (Python 3.8.5)", "Python client", ClientCompatibility.Incompatible)]
    [InlineData("elasticsearch-java/8.13.0 (Java/17.0.2)", "Java client", ClientCompatibility.Compatible)]
    [InlineData("kibana", "Kibana", ClientCompatibility.Compatible)]
    [InlineData("Kibana/7.10.2", "Kibana", ClientCompatibility.Incompatible)]
    [InlineData("curl/8.5.0", "curl", ClientCompatibility.Unknown)]
    [InlineData(null, "(no user agent)", ClientCompatibility.Unknown)]
    public void Clients_are_judged_by_their_agent_for_8(string? agent, string product, ClientCompatibility expected) => Judged(agent, product, expected, 8);

    [Theory]
    [InlineData("Elastic-Filebeat/8.19.2 (linux; amd64)", "Filebeat", ClientCompatibility.Compatible)]
    [InlineData("Elastic-Filebeat/8.17.0 (linux; amd64)", "Filebeat", ClientCompatibility.Incompatible)]
    public void Clients_are_judged_for_9_by_the_last_8x_minor(string? agent, string product, ClientCompatibility expected) => Judged(agent, product, expected, 9);

    static void Judged(string? agent, string product, ClientCompatibility expected, int target)
    {
        var (p, _, compatibility, reason) = ClientReader.Classify(agent, target);
        Assert.Equal((product, expected), (p, compatibility));
        Assert.NotEmpty(reason);
    }
}
