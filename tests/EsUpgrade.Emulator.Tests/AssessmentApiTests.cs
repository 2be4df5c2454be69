using System.Text.Json;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Tests;

/// <summary>The APIs an assessment reads, computed from the cluster's state (BEHAVIOUR-ASSESS.md).</summary>
public class AssessmentApiTests
{
    static ClusterSpec Troubled(string version)
    {
        var spec = ClusterSpec.Uniform(2, version);
        spec.Nodes[0].ConfigYaml = "node.master: true\ndiscovery.zen.minimum_master_nodes: 2\nxpack.security.enabled: false\n";
        spec.Nodes[1].ConfigYaml = "node:\n  master: true\nxpack.security.enabled: false\n";
        spec.Indices.Add(new IndexSpec { Name = "old-logs", CreatedVersion = "6.8.23", Replicas = 0 });
        spec.Indices.Add(new IndexSpec { Name = "new-logs", Replicas = 0, Settings = { ["index.indexing.slowlog.level"] = "info" } });
        spec.Indices.Add(new IndexSpec { Name = ".kibana_1", CreatedVersion = "6.8.23", Replicas = 0, Settings = { ["index.hidden"] = "true" } });
        spec.Templates.Add(new TemplateSpec { Name = "legacy-multi", IndexPatterns = { "a-*" }, MappingTypes = { "doc", "event" } });
        spec.IlmPolicies.Add(new IlmPolicySpec { Name = "cold-archive", Phases = { ["cold"] = new() { "freeze" } } });
        spec.MlJobs.Add(new MlJobSpec { JobId = "fraud", Snapshots = { new ModelSnapshotSpec { SnapshotId = "1575402236", MinVersion = "6.4.0" }, new ModelSnapshotSpec { SnapshotId = "1600000000", MinVersion = "7.17.0" } } });
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        return spec;
    }

    static List<JsonElement> Items(JsonElement list) => list.EnumerateArray().ToList();

    [Fact]
    public async Task A_7_17_cluster_reports_what_stops_8x_with_Elastics_texts()
    {
        await using var c = await Cluster.StartAsync(Troubled("7.17.27"));
        var d = await c.GetJsonAsync("/_migration/deprecations");

        Assert.Equal(new[] { "cluster_settings", "node_settings", "index_settings", "ml_settings", "ccr_auto_followed_system_indices" },
            d.EnumerateObject().Select(p => p.Name));
        var old = Items(d.GetProperty("index_settings").GetProperty("old-logs")).Single();
        Assert.Equal("critical", old.GetProperty("level").GetString());
        Assert.Equal("Index created before 7.0", old.GetProperty("message").GetString());
        Assert.Equal("https://ela.st/es-deprecation-7-reindex", old.GetProperty("url").GetString());
        Assert.Contains("created with version 6.8.23", old.GetProperty("details").GetString());
        Assert.False(old.GetProperty("resolve_during_rolling_upgrade").GetBoolean());
        var slowlog = Items(d.GetProperty("index_settings").GetProperty("new-logs")).Single();
        Assert.Equal("index.indexing.slowlog.level", slowlog.GetProperty("_meta").GetProperty("actions")[0].GetProperty("objects")[0].GetString());
        // Hidden indices are not expanded by the API's default options: the 6.x .kibana_1 is missing here.
        Assert.False(d.GetProperty("index_settings").TryGetProperty(".kibana_1", out _));

        // Node issues merged across nodes, flat and nested yml alike.
        var roles = Items(d.GetProperty("node_settings")).Single(i => i.GetProperty("message").GetString() == "Setting [node.master] is deprecated");
        Assert.EndsWith("(nodes impacted: [es-01, es-02])", roles.GetProperty("details").GetString());
        var zen = Items(d.GetProperty("node_settings")).Single(i => i.GetProperty("message").GetString()!.Contains("discovery.zen"));
        Assert.EndsWith("(nodes impacted: [es-01])", zen.GetProperty("details").GetString());

        var templates = Items(d.GetProperty("cluster_settings")).Single(i => i.GetProperty("level").GetString() == "critical");
        var freeze = Items(d.GetProperty("cluster_settings")).Single(i => i.GetProperty("level").GetString() == "warning");
        Assert.Equal("Remove the freeze action from ILM policies: [cold-archive]", freeze.GetProperty("details").GetString());
        Assert.Equal("https://ela.st/es-deprecation-7-multiple-types", templates.GetProperty("url").GetString());
        Assert.Contains("[legacy-multi]", templates.GetProperty("details").GetString());

        var ml = Items(d.GetProperty("ml_settings")).Single();
        Assert.Equal("fraud", ml.GetProperty("_meta").GetProperty("job_id").GetString());
        Assert.Equal("1575402236", ml.GetProperty("_meta").GetProperty("snapshot_id").GetString());
        Assert.Matches("[Mm]odel snapshot", ml.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Transient_settings_are_not_reported_by_7_17_but_are_by_8x()
    {
        await using var c7 = await Cluster.StartAsync(2, "7.17.27");
        await c7.SendAsync("PUT", "/_cluster/settings", """{"transient":{"indices.recovery.max_bytes_per_sec":"100mb"}}""");
        Assert.Empty(Items((await c7.GetJsonAsync("/_migration/deprecations")).GetProperty("cluster_settings")));

        await using var c8 = await Cluster.StartAsync(2, "8.19.0");
        await c8.SendAsync("PUT", "/_cluster/settings", """{"transient":{"indices.recovery.max_bytes_per_sec":"100mb"}}""");
        var d = await c8.GetJsonAsync("/_migration/deprecations");
        Assert.Equal("Transient cluster settings are deprecated", Items(d.GetProperty("cluster_settings")).Single().GetProperty("message").GetString());
        foreach (var key in new[] { "data_streams", "templates", "ilm_policies" })
            Assert.Equal(JsonValueKind.Object, d.GetProperty(key).ValueKind);
    }

    [Fact]
    public async Task An_8x_cluster_reports_indices_from_7x_as_needing_a_reindex_for_9()
    {
        await using var c = await Cluster.StartAsync(1, "8.19.0", new IndexSpec { Name = "logs", CreatedVersion = "7.17.0", Replicas = 0 });
        var item = Items((await c.GetJsonAsync("/_migration/deprecations")).GetProperty("index_settings").GetProperty("logs")).Single();
        Assert.Equal("Old index with a compatibility version < 8.0", item.GetProperty("message").GetString());
        Assert.True(item.GetProperty("_meta").GetProperty("reindex_required").GetBoolean());
    }

    [Fact]
    public async Task The_index_form_checks_only_the_named_indices_and_404s_a_missing_one()
    {
        await using var c = await Cluster.StartAsync(Troubled("7.17.27"));
        var d = await c.GetJsonAsync("/new-logs/_migration/deprecations");
        Assert.Equal(new[] { "new-logs" }, d.GetProperty("index_settings").EnumerateObject().Select(p => p.Name));
        Assert.NotEmpty(Items(d.GetProperty("node_settings")));
        var (missing, body) = await c.SendAsync("GET", "/nope/_migration/deprecations");
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Contains("index_not_found_exception", body);
    }

    [Fact]
    public async Task Items_have_the_shape_of_Elastics_example()
    {
        await using var c = await Cluster.StartAsync(Troubled("7.17.27"));
        var d = await c.GetJsonAsync("/_migration/deprecations");
        var example = RestSpec.Example("7.x__migration.deprecations__response.json");
        var exampleItem = example.GetProperty("node_settings")[0];
        var item = d.GetProperty("node_settings")[0];
        foreach (var p in exampleItem.EnumerateObject())
            Assert.Equal(p.Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? JsonValueKind.False : p.Value.ValueKind,
                item.GetProperty(p.Name).ValueKind is JsonValueKind.True ? JsonValueKind.False : item.GetProperty(p.Name).ValueKind);
    }

    [Fact]
    public async Task A_system_feature_migration_takes_time_and_ends_done()
    {
        var spec = Troubled("7.17.27");
        await using var c = await Cluster.StartAsync(spec);
        var before = await c.GetJsonAsync("/_migration/system_features");
        Assert.Equal("MIGRATION_NEEDED", before.GetProperty("migration_status").GetString());
        var kibana = before.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("feature_name").GetString() == "kibana");
        Assert.Equal("6.8.23", kibana.GetProperty("minimum_index_version").GetString());

        var (_, started) = await c.SendAsync("POST", "/_migration/system_features");
        Assert.Contains("\"feature_name\":\"kibana\"", started);
        Assert.Equal("IN_PROGRESS", (await c.GetJsonAsync("/_migration/system_features")).GetProperty("migration_status").GetString());

        c.Model.Clock.Advance(spec.FeatureMigrationTime);
        c.Model.Tick();
        Assert.Equal("NO_MIGRATION_NEEDED", (await c.GetJsonAsync("/_migration/system_features")).GetProperty("migration_status").GetString());
        var (_, again) = await c.SendAsync("POST", "/_migration/system_features");
        Assert.Contains("No system indices require migration", again);
    }

    [Fact]
    public async Task A_failing_system_feature_migration_ends_in_error_with_a_cause()
    {
        var spec = Troubled("7.17.27");
        spec.FailingFeatureMigration = "kibana";
        await using var c = await Cluster.StartAsync(spec);
        await c.SendAsync("POST", "/_migration/system_features");
        c.Model.Clock.Advance(spec.FeatureMigrationTime);
        c.Model.Tick();
        var status = await c.GetJsonAsync("/_migration/system_features");
        Assert.Equal("ERROR", status.GetProperty("migration_status").GetString());
        var index = status.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("feature_name").GetString() == "kibana").GetProperty("indices")[0];
        Assert.Contains(".kibana_1", index.GetProperty("failure_cause").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Node_stats_report_disk_and_each_http_client()
    {
        await using var c = await Cluster.StartAsync(1, "7.17.27");
        c.Model.Nodes[0].DiskUsedPercent = 87.5;
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(c.Uri(), "/_cluster/health"));
        request.Headers.TryAddWithoutValidation("User-Agent", "elastic-transport-net/0.4.2 (Linux; .NET 8; Elasticsearch 7.10.1)");
        request.Headers.TryAddWithoutValidation("X-Opaque-Id", "nightly-export");
        (await c.Http.SendAsync(request)).Dispose();

        var stats = await c.GetJsonAsync("/_nodes/stats/fs,http");
        var node = stats.GetProperty("nodes").EnumerateObject().Single().Value;
        var fs = node.GetProperty("fs").GetProperty("total");
        Assert.Equal(12.5, 100.0 * fs.GetProperty("available_in_bytes").GetInt64() / fs.GetProperty("total_in_bytes").GetInt64(), 3);
        var client = node.GetProperty("http").GetProperty("clients").EnumerateArray().Single(cl => cl.TryGetProperty("x_opaque_id", out _));
        Assert.StartsWith("elastic-transport-net/0.4.2", client.GetProperty("agent").GetString());
        Assert.Equal("nightly-export", client.GetProperty("x_opaque_id").GetString());
        // One keep-alive connection: the first request named the client, the last one is this stats call.
        Assert.Equal("/_nodes/stats/fs,http", client.GetProperty("last_uri").GetString());
        Assert.Equal(2, client.GetProperty("request_count").GetInt64());
    }

    [Fact]
    public async Task Templates_license_and_ml_listings_read_from_the_model()
    {
        await using var c = await Cluster.StartAsync(Troubled("7.17.27"));
        Assert.True((await c.GetJsonAsync("/_template")).TryGetProperty("legacy-multi", out _));
        var (missing, _) = await c.SendAsync("GET", "/_template/nope");
        Assert.Equal(404, (int)missing.StatusCode);
        await c.SendAsync("PUT", "/_template/typed?include_type_name=true", """{"index_patterns":["t-*"],"mappings":{"event":{"properties":{}}}}""");
        Assert.True((await c.GetJsonAsync("/_template/typed")).GetProperty("typed").GetProperty("mappings").TryGetProperty("event", out _));
        Assert.Equal("basic", (await c.GetJsonAsync("/_license")).GetProperty("license").GetProperty("type").GetString());
        Assert.True((await c.GetJsonAsync("/_ilm/policy")).GetProperty("cold-archive").GetProperty("policy").GetProperty("phases").GetProperty("cold").GetProperty("actions").TryGetProperty("freeze", out _));
        Assert.Equal(404, (int)(await c.SendAsync("GET", "/_ilm/policy/nope")).Response.StatusCode);
        Assert.Equal(1, (await c.GetJsonAsync("/_ml/anomaly_detectors")).GetProperty("count").GetInt32());
        var snaps = await c.GetJsonAsync("/_ml/anomaly_detectors/fraud/model_snapshots?sort=min_version");
        Assert.Equal("6.4.0", snaps.GetProperty("model_snapshots")[0].GetProperty("min_version").GetString());
    }

    [Fact]
    public async Task Snapshot_listings_read_from_the_model_with_Elastics_errors()
    {
        var spec = ClusterSpec.Uniform(1, "7.17.27");
        var start = new DateTimeOffset(2026, 11, 27, 1, 0, 0, TimeSpan.Zero);
        spec.Repositories.Add(new RepositorySpec { Name = "nightly", Snapshots = { new SnapshotSpec { Name = "snap-1", StartTime = start, Indices = { "logs" } }, new SnapshotSpec { Name = "snap-2", StartTime = start.AddDays(1), State = "PARTIAL" } } });
        await using var c = await Cluster.StartAsync(spec);
        var all = await c.GetJsonAsync("/_snapshot/nightly/_all");
        Assert.Equal(new[] { "snap-1", "snap-2" }, all.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("snapshot").GetString()));
        Assert.Equal("logs", all.GetProperty("snapshots")[0].GetProperty("indices")[0].GetString());
        Assert.False(all.TryGetProperty("total", out _));    // 7.17 has no paging fields
        var (repo, repoBody) = await c.SendAsync("GET", "/_snapshot/nope");
        Assert.Equal(404, (int)repo.StatusCode);
        Assert.Contains("[nope] missing", repoBody);
        var (snap, snapBody) = await c.SendAsync("GET", "/_snapshot/nightly/snap-9");
        Assert.Equal(404, (int)snap.StatusCode);
        Assert.Contains("[nightly:snap-9] is missing", snapBody);
    }
}

/// <summary>What reindexing an old index uses: aliases, blocks, mappings, _reindex as a task on the clock.</summary>
public class ReindexApiTests
{
    [Fact]
    public async Task A_reindex_task_copies_over_time_and_an_atomic_alias_swap_keeps_the_old_name()
    {
        var spec = ClusterSpec.Uniform(1, "7.17.29");
        spec.Indices.Add(new IndexSpec { Name = "old", CreatedVersion = "6.8.23", Replicas = 0, Documents = 3000, MappingType = "doc", Aliases = { "logs-read" } });
        spec.Indices.Add(new IndexSpec { Name = "new", Replicas = 0 });
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        await using var c = await Cluster.StartAsync(spec);
        Assert.True((await c.GetJsonAsync("/old/_mapping?include_type_name=true")).GetProperty("old").GetProperty("mappings").TryGetProperty("doc", out _));
        var (blocked, _) = await c.SendAsync("PUT", "/old/_block/write");
        Assert.Equal(200, (int)blocked.StatusCode);
        var (write, writeBody) = await c.SendAsync("PUT", "/old/_doc/x", "{}");
        Assert.Equal(403, (int)write.StatusCode);
        Assert.Contains("index write (api)", writeBody);

        var (_, started) = await c.SendAsync("POST", "/_reindex?wait_for_completion=false", """{"source":{"index":"old"},"dest":{"index":"new","op_type":"create"},"conflicts":"proceed"}""");
        var task = JsonDocument.Parse(started).RootElement.GetProperty("task").GetString()!;
        c.Model.Clock.Advance(TimeSpan.FromSeconds(1));
        var running = await c.GetJsonAsync($"/_tasks/{task}");
        Assert.False(running.GetProperty("completed").GetBoolean());
        Assert.InRange(running.GetProperty("task").GetProperty("status").GetProperty("created").GetInt64(), 1000, 2999);
        c.Model.Clock.Advance(TimeSpan.FromSeconds(5));
        var done = await c.GetJsonAsync($"/_tasks/{task}");
        Assert.True(done.GetProperty("completed").GetBoolean());
        Assert.Equal(3000, done.GetProperty("response").GetProperty("created").GetInt64());
        Assert.Equal(3000, (await c.GetJsonAsync("/new/_count")).GetProperty("count").GetInt64());

        var (swapped, _) = await c.SendAsync("POST", "/_aliases", """{"actions":[{"add":{"index":"new","alias":"logs-read"}},{"remove_index":{"index":"old"}},{"add":{"index":"new","alias":"old"}}]}""");
        Assert.Equal(200, (int)swapped.StatusCode);
        Assert.Equal(3000, (await c.GetJsonAsync("/old/_count")).GetProperty("count").GetInt64());
        var aliases = await c.GetJsonAsync("/new/_alias");
        Assert.Equal(new[] { "logs-read", "old" }, aliases.GetProperty("new").GetProperty("aliases").EnumerateObject().Select(p => p.Name));
        var (missing, missingBody) = await c.SendAsync("GET", "/_alias/nope");
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Contains("alias [nope] missing", missingBody);
    }

    [Fact]
    public async Task An_alias_swap_that_fails_changes_nothing()
    {
        var spec = ClusterSpec.Uniform(1, "7.17.29");
        spec.Indices.Add(new IndexSpec { Name = "a", Replicas = 0 });
        spec.Indices.Add(new IndexSpec { Name = "b", Replicas = 0 });
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        await using var c = await Cluster.StartAsync(spec);
        // The alias "b" names an index that is not removed: refused, and "x" is not added either.
        var (refused, _) = await c.SendAsync("POST", "/_aliases", """{"actions":[{"add":{"index":"a","alias":"x"}},{"add":{"index":"a","alias":"b"}}]}""");
        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Empty(c.Model.Index("a")!.Aliases);
    }
}

/// <summary>Snapshots taken over the clock into an fs repository folder that another cluster can read.</summary>
public class SnapshotApiTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("esupgrade-snapshots-").FullName;
    public void Dispose() => Directory.Delete(root, recursive: true);

    ClusterSpec Spec(string version, int nodes = 1)
    {
        var spec = ClusterSpec.Uniform(nodes, version);
        spec.PathRepo.Add(root);
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        return spec;
    }

    [Fact]
    public async Task A_snapshot_taken_by_7_17_is_listed_by_an_8x_cluster_reading_the_same_folder()
    {
        var old = Spec("7.17.29");
        old.Indices.Add(new IndexSpec { Name = "logs", Replicas = 0, Documents = 2_000_000, Aliases = { "logs-read" } });    // 2 GiB: 10 s at 200 MB/s
        await using var a = await Cluster.StartAsync(old);
        await a.SendAsync("PUT", "/_snapshot/shared", """{"type":"fs","settings":{"location":"shared"}}""");
        var (started, startedBody) = await a.SendAsync("PUT", "/_snapshot/shared/before-8", """{"indices":"logs"}""");
        Assert.Contains("\"accepted\":true", startedBody);
        Assert.Equal("IN_PROGRESS", (await a.GetJsonAsync("/_snapshot/shared/_current")).GetProperty("snapshots")[0].GetProperty("state").GetString());
        a.Model.Clock.Advance(TimeSpan.FromMinutes(1));
        a.Model.Tick();
        Assert.True(File.Exists(Path.Combine(root, "shared", "index.latest")));
        var (dup, _) = await a.SendAsync("PUT", "/_snapshot/shared/before-8");
        Assert.Equal(400, (int)dup.StatusCode);

        await using var b = await Cluster.StartAsync(Spec("8.19.0"));
        await b.SendAsync("PUT", "/_snapshot/shared", """{"type":"fs","settings":{"location":"shared","readonly":true}}""");
        var listed = (await b.GetJsonAsync("/_snapshot/shared/_all")).GetProperty("snapshots").EnumerateArray().Single();
        Assert.Equal(("before-8", "SUCCESS", "7.17.29"), (listed.GetProperty("snapshot").GetString(), listed.GetProperty("state").GetString(), listed.GetProperty("version").GetString()));
        Assert.Equal("logs", listed.GetProperty("indices")[0].GetString());
        var (readOnly, _) = await b.SendAsync("PUT", "/_snapshot/shared/from-8");
        Assert.Equal(500, (int)readOnly.StatusCode);

        var (deleted, _) = await a.SendAsync("DELETE", "/_snapshot/shared/before-8");
        Assert.Equal(200, (int)deleted.StatusCode);
        Assert.Empty((await b.GetJsonAsync("/_snapshot/shared/_all")).GetProperty("snapshots").EnumerateArray());
    }

    [Fact]
    public async Task A_missing_primary_fails_the_snapshot_unless_partial_which_reports_it()
    {
        var spec = Spec("7.17.29", nodes: 3);
        spec.Indices.Add(new IndexSpec { Name = "a", Shards = 2, Replicas = 0, Documents = 100 });
        await using var c = await Cluster.StartAsync(spec);
        var holder = c.Model.Nodes.First(n => c.Model.AllCopies.Any(x => x.NodeId == n.Id) && n.Name != c.Model.Master!.Name);
        await c.Host.StopNodeAsync(holder.Name);
        await c.SendAsync("PUT", "/_snapshot/r", """{"type":"fs","settings":{"location":"r"}}""");
        var (refused, refusedBody) = await c.SendAsync("PUT", "/_snapshot/r/full?wait_for_completion=true");
        Assert.Equal(500, (int)refused.StatusCode);
        Assert.Contains("Indices don't have primary shards [a]", refusedBody);
        var partial = await c.SendAsync("PUT", "/_snapshot/r/part?wait_for_completion=true", """{"partial":true}""");
        var snapshot = JsonDocument.Parse(partial.Body).RootElement.GetProperty("snapshot");
        Assert.Equal("PARTIAL", snapshot.GetProperty("state").GetString());
        Assert.Equal(1, snapshot.GetProperty("shards").GetProperty("failed").GetInt32());
        Assert.Equal("a", snapshot.GetProperty("failures")[0].GetProperty("index").GetString());
    }
}
