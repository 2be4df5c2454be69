using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;
using EsUpgrade.Migration;
using EsUpgrade.Snapshots;
using EsUpgrade.Verification;

namespace EsUpgrade.Core.Tests;

/// <summary>The new-cluster route: a 7.17 cluster snapshotted, restored into 8.x, its 6.x index reindexed from it, and compared.</summary>
public class MigrationTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("esupgrade-migrate-").FullName;
    public void Dispose() => Directory.Delete(root, recursive: true);

    ClusterSpec Spec(string version, string prefix)
    {
        var spec = ClusterSpec.Uniform(2, version, prefix);
        spec.ClusterName = prefix + "-cluster";
        spec.PathRepo.Add(root);
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        spec.TimeScale = 20;
        return spec;
    }

    ClusterSpec OldCluster()
    {
        var spec = Spec("7.17.29", "old");
        spec.Indices.Add(new IndexSpec { Name = "logs-2024", Shards = 2, Replicas = 1, Documents = 20_000, Aliases = { "logs" } });
        spec.Indices.Add(new IndexSpec { Name = "orders", Shards = 1, Replicas = 1, Documents = 3_000, CreatedVersion = "6.8.23", MappingType = "doc", Aliases = { "sales" } });
        spec.Indices.Add(new IndexSpec { Name = ".kibana_1", Shards = 1, Replicas = 0, Documents = 12, Settings = { ["index.hidden"] = "true" } });
        spec.Templates.Add(new TemplateSpec { Name = "logs", Kind = TemplateKind.Composable, IndexPatterns = { "logs-*" } });
        spec.IlmPolicies.Add(new IlmPolicySpec { Name = "logs-policy" });
        return spec;
    }

    static async Task<(EsApi Source, EsApi Destination)> ConnectAsync(Emulated old, Emulated fresh, IEsLog? log = null)
    {
        var source = await old.ConnectAsync(old.Settings(credentials: true), name: "old");
        var destination = await fresh.ConnectAsync(name: "new");
        return (new EsApi(source, log), new EsApi(destination, log));
    }

    static string HostPort(Emulated es) => $"{es.Uris[0].Host}:{es.Uris[0].Port}";

    [Fact]
    public async Task The_route_restores_what_8x_reads_reindexes_the_6x_index_from_the_source_and_proves_it()
    {
        var oldSpec = OldCluster();
        oldSpec.Users["elastic"] = Emulated.Password;
        await using var old = await Emulated.StartAsync(oldSpec);
        var newSpec = Spec("8.19.0", "new");
        await using var fresh = await Emulated.StartAsync(newSpec);
        newSpec.ReindexRemoteWhitelist.Add(HostPort(old));
        var (source, destination) = await ConnectAsync(old, fresh);
        await SnapshotRepositories.RegisterAsync(source, "move", "fs", new Dictionary<string, object?> { ["location"] = "move" }, false, true, CancellationToken.None);

        var options = new MigrationOptions { Repository = "move", StatePath = Path.Combine(root, "state.json"), PollInterval = TimeSpan.FromSeconds(1) };
        var plan = await SnapshotMigration.PlanAsync(source, destination, options, CancellationToken.None);
        Assert.Equal(new[] { ("logs-2024", MigrationRoute.Restore), ("orders", MigrationRoute.Reindex) }, plan.Select(p => (p.Index, p.Route)));

        var results = await SnapshotMigration.RunAsync(source, destination, options, CancellationToken.None);
        Assert.Equal(new[] { ("logs-2024", "Restored", 20_000L, 20_000L, "Complete"), ("orders", "Reindexed", 3_000L, 3_000L, "Complete") },
            results.Select(r => (r.Index, r.Route, r.SourceDocuments, r.DestinationDocuments, r.Status)));
        Assert.Equal(new[] { "sales" }, results[1].Aliases);
        Assert.Equal(1, fresh.Host.Cluster.Index("orders")!.NumberOfReplicas);
        Assert.Equal(8, fresh.Host.Cluster.Index("orders")!.CreatedVersion.Major);
        Assert.True(fresh.Host.Cluster.Repositories.Single(r => r.Name == "move").ReadOnly, "the destination reads the repository, never writes to it");
        Assert.Empty(await ClusterComparison.CompareAsync(source, destination, new CompareOptions(), CancellationToken.None));
        // The source's baseline, taken beside the state file, is what the new cluster is checked against.
        var baseline = ClusterBaselines.Load(ClusterBaselines.BesideStateFile(options.StatePath));
        Assert.Equal("old-cluster", baseline.ClusterName);
        var checks = await UpgradeResultChecker.RunAsync(destination, new Version(8, 19, 0), baseline, CancellationToken.None);
        Assert.DoesNotContain(checks, c => c.Status == Assessment.ReadinessStatus.Fail);
        Assert.Equal(Assessment.ReadinessStatus.Pass, checks.Single(c => c.Name == "DocumentCounts").Status);

        var measured = System.Text.Json.JsonDocument.Parse(File.ReadAllText(options.StatePath)).RootElement.GetProperty("Measured");
        Assert.True(measured.GetProperty("SnapshotBytesPerSecond").GetDouble() > 0 && measured.GetProperty("ReindexDocumentsPerSecond").GetDouble() > 0);
        Assert.StartsWith("measured by the migration of", measured.GetProperty("Basis").GetString());

        // A second run finds it done: it checks again and reports the same.
        var again = await SnapshotMigration.RunAsync(source, destination, options, CancellationToken.None);
        Assert.Equal(results.Select(r => (r.Index, r.Status, r.DestinationDocuments)), again.Select(r => (r.Index, r.Status, r.DestinationDocuments)));
        Assert.Single(old.Host.Cluster.SnapshotsOf(old.Host.Cluster.Repositories.Single()));
    }

    [Fact]
    public async Task A_migration_stopped_during_the_restore_resumes_and_ends_as_an_uninterrupted_one()
    {
        await using var old = await Emulated.StartAsync(OldCluster());
        var newSpec = Spec("8.19.0", "new");
        await using var fresh = await Emulated.StartAsync(newSpec);
        newSpec.ReindexRemoteWhitelist.Add(HostPort(old));
        var log = new RecordingLog();
        var (source, destination) = await ConnectAsync(old, fresh, log);
        await SnapshotRepositories.RegisterAsync(source, "move", "fs", new Dictionary<string, object?> { ["location"] = "move" }, false, true, CancellationToken.None);
        var options = new MigrationOptions { Repository = "move", StatePath = Path.Combine(root, "state.json"), PollInterval = TimeSpan.FromSeconds(1) };

        using var kill = new CancellationTokenSource();
        _ = log.WhenLogged(l => l.Contains("restore of 1 indices started")).ContinueWith(_ => kill.Cancel());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SnapshotMigration.RunAsync(source, destination, options, kill.Token));
        Assert.Contains("\"RestoreSent\": true", File.ReadAllText(options.StatePath));
        Assert.Null(fresh.Host.Cluster.Index("orders"));

        var results = await SnapshotMigration.RunAsync(source, destination, options, CancellationToken.None);
        Assert.All(results, r => Assert.Equal("Complete", r.Status));
        Assert.Equal(new[] { 20_000L, 3_000L }, results.Select(r => r.DestinationDocuments));
        Assert.Contains(log.Lines, l => l.Contains("resuming"));
    }

    [Fact]
    public async Task Without_the_whitelist_nothing_is_done_and_the_error_says_what_to_add()
    {
        await using var old = await Emulated.StartAsync(OldCluster());
        await using var fresh = await Emulated.StartAsync(Spec("8.19.0", "new"));
        var (source, destination) = await ConnectAsync(old, fresh);
        await SnapshotRepositories.RegisterAsync(source, "move", "fs", new Dictionary<string, object?> { ["location"] = "move" }, false, true, CancellationToken.None);
        var options = new MigrationOptions { Repository = "move", StatePath = Path.Combine(root, "state.json") };
        var error = await Assert.ThrowsAsync<EsException>(() => SnapshotMigration.RunAsync(source, destination, options, CancellationToken.None));
        Assert.Equal(ErrorIds.RemoteNotWhitelisted, error.ErrorId);
        Assert.Contains($"reindex.remote.whitelist: \"{HostPort(old)}\"", error.Message);
        Assert.Empty(old.Host.Cluster.SnapshotsOf(old.Host.Cluster.Repositories.Single()));
        Assert.False(File.Exists(options.StatePath));

        var same = await Assert.ThrowsAsync<EsException>(() => SnapshotMigration.RunAsync(source, source, options, CancellationToken.None));
        Assert.Equal(ErrorIds.ClusterVersionMismatch, same.ErrorId);
    }

    [Fact]
    public async Task A_restore_the_target_would_refuse_is_refused_before_anything_is_sent()
    {
        await using var old = await Emulated.StartAsync(OldCluster());
        await using var fresh = await Emulated.StartAsync(Spec("8.19.0", "new"));
        var (source, destination) = await ConnectAsync(old, fresh);
        await SnapshotRepositories.RegisterAsync(source, "move", "fs", new Dictionary<string, object?> { ["location"] = "move" }, false, true, CancellationToken.None);
        await Snapshots.Snapshots.CreateAsync(source, "move", "s1", null, true, false, CancellationToken.None);
        var snapshot = await Snapshots.Snapshots.WaitAsync(source, "move", "s1", TimeSpan.FromMinutes(5), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<EsException>(() => SnapshotRestore.RestoreAsync(destination, source, snapshot, new RestoreOptions(), true, TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.Equal(ErrorIds.RestoreRefused, refused.ErrorId);
        Assert.Contains("[orders] was created by 6.8.23", refused.Message);
        Assert.Contains("enterprise licence", refused.Message);
        Assert.Null(fresh.Host.Cluster.Index("logs-2024"));

        Assert.Equal(new[] { ".kibana_1" }, snapshot.FeatureStates["kibana"]);
        var system = await Assert.ThrowsAsync<EsException>(() => SnapshotRestore.RestoreAsync(destination, source, snapshot, new RestoreOptions { Indices = new[] { ".kibana_1" } }, true, TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.Contains("[.kibana_1] is a system index: 8.19.0 restores it only with its feature state (-FeatureState), not by name.", system.Message);

        var restored = await SnapshotRestore.RestoreAsync(destination, source, snapshot, new RestoreOptions { Indices = new[] { "logs-*" } }, true, TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.Equal(("Restored", 2), (restored.State, restored.ShardsRestored));
        var open = await Assert.ThrowsAsync<EsException>(() => SnapshotRestore.RestoreAsync(destination, source, snapshot, new RestoreOptions { Indices = new[] { "logs-*" } }, true, TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.Contains("has an open index [logs-2024]", open.Message);
        var renamed = await SnapshotRestore.RestoreAsync(destination, source, snapshot,
            new RestoreOptions { Indices = new[] { "logs-*" }, RenamePattern = "(.+)", RenameReplacement = "copy-$1" }, true, TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.Equal("copy-logs-2024", Assert.Single(renamed.Indices));
    }

    [Fact]
    public async Task A_local_reindex_is_sliced_and_a_second_call_with_its_task_id_follows_the_same_task()
    {
        var spec = Spec("8.19.0", "new");
        spec.Indices.Add(new IndexSpec { Name = "events", Shards = 2, Replicas = 0, Documents = 4_000 });
        await using var es = await Emulated.StartAsync(spec);
        var api = new EsApi(await es.ConnectAsync());
        var options = new ReindexOptions { Source = "events", Destination = "events-copy", Slices = 0, PollInterval = TimeSpan.FromMilliseconds(200) };
        var task = await Reindex.StartAsync(api, options, CancellationToken.None);
        Assert.Equal(2 * spec.ReindexDocsPerSecond, es.Host.Cluster.FindTask(task)!.Rate);    // auto: a slice per shard
        var result = await Reindex.RunAsync(api, new ReindexOptions { Source = "events", Destination = "events-copy", TaskId = task, PollInterval = TimeSpan.FromMilliseconds(200) }, CancellationToken.None);
        Assert.Equal((task, 4_000L, 4_000L, true), (result.TaskId, result.SourceDocuments, result.DestinationDocuments, result.CountsMatch));
        Assert.Single(es.Host.Cluster.Tasks);

        var remote = await Assert.ThrowsAsync<EsException>(() => Reindex.StartAsync(api, new ReindexOptions { Source = "events", Destination = "x", Remote = api.Connection, Slices = 2 }, CancellationToken.None));
        Assert.Contains("does not slice a reindex from a remote cluster", remote.Message);

        // Started without waiting, Elasticsearch validates inside the task: the whitelist's refusal comes from the task.
        var denied = await Assert.ThrowsAsync<EsException>(() => Reindex.RunAsync(api, new ReindexOptions { Source = "events", Destination = "y", Remote = api.Connection, PollInterval = TimeSpan.FromMilliseconds(200) }, CancellationToken.None));
        Assert.Equal(ErrorIds.RemoteNotWhitelisted, denied.ErrorId);
        var missing = await Assert.ThrowsAsync<EsException>(() => Reindex.RunAsync(api, new ReindexOptions { Source = "nope", Destination = "y", PollInterval = TimeSpan.FromMilliseconds(200) }, CancellationToken.None));
        Assert.Equal((ErrorIds.IndexNotFound, EsErrorKind.NotFound), (missing.ErrorId, missing.Kind));
    }

    [Fact]
    public async Task A_snapshot_still_running_is_not_restored()
    {
        var spec = OldCluster();
        spec.SnapshotBytesPerSecond = 1024;    // 23,000 documents of 1 KiB: hours of emulated time
        await using var old = await Emulated.StartAsync(spec);
        await using var fresh = await Emulated.StartAsync(Spec("8.19.0", "new"));
        var (source, destination) = await ConnectAsync(old, fresh);
        await SnapshotRepositories.RegisterAsync(source, "move", "fs", new Dictionary<string, object?> { ["location"] = "move" }, false, true, CancellationToken.None);
        var running = await Snapshots.Snapshots.CreateAsync(source, "move", "slow", null, true, false, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<EsException>(() => SnapshotRestore.RestoreAsync(destination, source, running, new RestoreOptions(), true, TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.Equal(ErrorIds.RestoreRefused, refused.ErrorId);
        Assert.Contains("is still running: Wait-EsSnapshot, then restore it", refused.Message);
        Assert.Empty(fresh.Host.Cluster.Repositories);    // refused before the repository was registered there
    }

    [Fact]
    public void The_remote_host_names_its_port_even_the_default_one()
    {
        var settings = new ConnectionSettings(new[] { new Uri("https://old.example.com/es/") }) { Credential = new System.Net.NetworkCredential("elastic", "pw") };
        var remote = EsConnection.ForWire("old", new FakeWire(_ => throw new InvalidOperationException()), new EsServerInfo("n", "c", "u", "7.17.29", null, null), settings);
        var body = System.Text.Json.JsonDocument.Parse(Reindex.Body(new ReindexOptions { Source = "a", Destination = "a", Remote = remote })).RootElement;
        Assert.Equal("https://old.example.com:443/es", body.GetProperty("source").GetProperty("remote").GetProperty("host").GetString());
    }

    [Fact]
    public void The_route_is_estimated_as_snapshot_then_restore_then_each_reindex()
    {
        var plan = new[]
        {
            new MigrationPlanItem { Index = "logs", Route = MigrationRoute.Restore, Bytes = 4000L << 20, Documents = 1 },
            new MigrationPlanItem { Index = "orders", Route = MigrationRoute.Reindex, Bytes = 100L << 20, Documents = 50_000 },
        };
        var total = SnapshotMigration.Estimate(plan, new MigrationRates { SnapshotBytesPerSecond = 100 << 20, RestoreBytesPerSecond = 50 << 20, ReindexDocumentsPerSecond = 1000 });
        Assert.Equal(TimeSpan.FromSeconds(80), plan[0].Estimate);
        Assert.Equal(TimeSpan.FromSeconds(50), plan[1].Estimate);
        Assert.Equal(TimeSpan.FromSeconds(41 + 80 + 50), total);
    }
}
