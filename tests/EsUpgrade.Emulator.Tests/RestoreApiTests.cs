using System.Text.Json;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Tests;

/// <summary>Restore, snapshot status and reindex from remote as Elasticsearch answers them (BEHAVIOUR.md §6, §7).</summary>
public class RestoreApiTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("esupgrade-restore-").FullName;
    public void Dispose() => Directory.Delete(root, recursive: true);

    ClusterSpec Spec(string version, params IndexSpec[] indices)
    {
        var spec = ClusterSpec.Uniform(2, version, version.StartsWith('7') ? "old" : "new");
        spec.PathRepo.Add(root);
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        spec.TimeScale = 50;
        spec.Indices.AddRange(indices);
        return spec;
    }

    static async Task Ok(Cluster c, string method, string path, string? body = null)
    {
        var (response, text) = await c.SendAsync(method, path, body);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
    }

    static async Task<JsonElement> Error(Cluster c, string method, string path, string? body, int status)
    {
        var (response, text) = await c.SendAsync(method, path, body);
        Assert.Equal(status, (int)response.StatusCode);
        return JsonDocument.Parse(text).RootElement.GetProperty("error").Clone();
    }

    [Fact]
    public async Task A_7x_snapshot_restores_into_8x_through_the_same_folder_with_its_refusals()
    {
        var oldSpec = Spec("7.17.29",
            new IndexSpec { Name = "logs", Shards = 2, Replicas = 1, Documents = 5000, Aliases = { "logs-read" } },
            new IndexSpec { Name = "legacy", Shards = 1, Replicas = 0, Documents = 10, CreatedVersion = "6.8.23", MappingType = "doc" },
            new IndexSpec { Name = ".kibana_1", Shards = 1, Replicas = 0, Documents = 3, Settings = { [EmulatedIndex.HiddenSetting] = "true" } });
        oldSpec.Templates.Add(new TemplateSpec { Name = "logs", Kind = TemplateKind.Composable, IndexPatterns = { "logs-*" } });
        oldSpec.IlmPolicies.Add(new IlmPolicySpec { Name = "logs-policy" });
        await using var old = await Cluster.StartAsync(oldSpec);
        await Ok(old, "PUT", "/_snapshot/move", """{"type":"fs","settings":{"location":"move"}}""");
        await Ok(old, "PUT", "/_snapshot/move/all?wait_for_completion=true", """{"include_global_state":true}""");
        var info = (await old.GetJsonAsync("/_snapshot/move/all")).GetProperty("snapshots")[0];
        Assert.Equal("kibana", info.GetProperty("feature_states")[0].GetProperty("feature_name").GetString());
        var example = RestSpec.Example("8.x__snapshot.status__response.json").GetProperty("snapshots")[0];
        var answer = (await old.GetJsonAsync("/_snapshot/move/all/_status")).GetProperty("snapshots")[0];
        foreach (var field in example.EnumerateObject().Where(f => f.Name != "indices"))
            ExampleShapeTests.AssertShape(field.Value, answer.GetProperty(field.Name), field.Name);
        ExampleShapeTests.AssertShape(example.GetProperty("indices").GetProperty("index_1"), answer.GetProperty("indices").GetProperty("logs"), "indices.logs");
        var status = (await old.GetJsonAsync("/_snapshot/move/all/_status")).GetProperty("snapshots")[0];
        Assert.Equal(("SUCCESS", 4), (status.GetProperty("state").GetString(), status.GetProperty("shards_stats").GetProperty("done").GetInt32()));

        var newSpec = Spec("8.2.3");
        await using var fresh = await Cluster.StartAsync(newSpec);
        await Ok(fresh, "PUT", "/_snapshot/move", """{"type":"fs","settings":{"location":"move","readonly":true}}""");
        // 8.0-8.2 cannot read a 6.x index: refused, and nothing restored.
        var refused = await Error(fresh, "POST", "/_snapshot/move/all/_restore", null, 500);
        Assert.Equal("snapshot_restore_exception", refused.GetProperty("type").GetString());
        Assert.Matches(@"^\[move:all/\w+\] cannot restore index \[legacy\] because it cannot be upgraded$", refused.GetProperty("reason").GetString());
        Assert.Contains("minimum compatible version is [7.0.0]", refused.GetProperty("caused_by").GetProperty("reason").GetString());
        Assert.Null(fresh.Model.Index("logs"));
        // A system index by name: only through its feature state on 8.x.
        var system = await Error(fresh, "POST", "/_snapshot/move/all/_restore", """{"indices":"logs,.kibana_1"}""", 400);
        Assert.Equal("requested system indices [.kibana_1], but system indices can only be restored as part of a feature state", system.GetProperty("reason").GetString());

        var (response, body) = await fresh.SendAsync("POST", "/_snapshot/move/all/_restore?wait_for_completion=true", """{"indices":"logs","include_global_state":true}""");
        Assert.True(response.IsSuccessStatusCode, body);
        var restored = JsonDocument.Parse(body).RootElement.GetProperty("snapshot");
        Assert.Equal(3, restored.GetProperty("shards").GetProperty("successful").GetInt32());    // logs and, with the global state, the kibana feature
        Assert.Equal(new[] { "logs", ".kibana_1" }, restored.GetProperty("indices").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(5000, (await fresh.GetJsonAsync("/logs/_count")).GetProperty("count").GetInt64());
        Assert.True((await fresh.GetJsonAsync("/_alias/logs-read")).TryGetProperty("logs", out _));
        Assert.Contains(fresh.Model.Templates, t => t.Name == "logs");
        Assert.Contains(fresh.Model.IlmPolicies, p => p.Name == "logs-policy");
        Assert.True(fresh.Model.Index(".kibana_1") != null, "the global state brings the feature states along");
        var recovery = fresh.Model.Index("logs")!.Copies.Where(c => c.Primary).Select(c => c.RecoveryType).Distinct();
        Assert.Equal("snapshot", Assert.Single(recovery));

        // A setting a restore cannot change is refused before anything is restored.
        var shards = await Error(fresh, "POST", "/_snapshot/move/all/_restore", """{"indices":"logs","rename_pattern":"(.+)","rename_replacement":"x-$1","index_settings":{"index.number_of_shards":4}}""", 500);
        Assert.EndsWith("cannot modify setting [index.number_of_shards] on restore", shards.GetProperty("reason").GetString());
        Assert.Null(fresh.Model.Index("x-logs"));

        // Again over the open index: refused; renamed: restored beside it.
        var open = await Error(fresh, "POST", "/_snapshot/move/all/_restore", """{"indices":"logs"}""", 500);
        Assert.EndsWith("cannot restore index [logs] because an open index with same name already exists in the cluster. Either close or delete the existing index or restore the index under a different name by providing a rename pattern and replacement name",
            open.GetProperty("reason").GetString());
        await Ok(fresh, "POST", "/_snapshot/move/all/_restore?wait_for_completion=true",
            """{"indices":"logs","rename_pattern":"(.+)","rename_replacement":"restored-$1","include_aliases":false,"index_settings":{"index.number_of_replicas":0}}""");
        Assert.Equal(0, fresh.Model.Index("restored-logs")!.NumberOfReplicas);
        Assert.Empty(fresh.Model.Index("restored-logs")!.Aliases);
    }

    [Fact]
    public async Task A_8_3_cluster_restores_a_6x_index_as_an_archive_only_with_an_enterprise_licence()
    {
        var oldSpec = Spec("7.17.29", new IndexSpec { Name = "legacy", Shards = 1, Replicas = 0, Documents = 10, CreatedVersion = "6.8.23" });
        await using var old = await Cluster.StartAsync(oldSpec);
        await Ok(old, "PUT", "/_snapshot/move", """{"type":"fs","settings":{"location":"move"}}""");
        await Ok(old, "PUT", "/_snapshot/move/s1?wait_for_completion=true", "{}");
        await using var basic = await Cluster.StartAsync(Spec("8.19.0"));
        await Ok(basic, "PUT", "/_snapshot/move", """{"type":"fs","settings":{"location":"move"}}""");
        var licence = await Error(basic, "POST", "/_snapshot/move/s1/_restore", null, 403);
        Assert.Equal(("security_exception", "current license is non-compliant for [archive]"), (licence.GetProperty("type").GetString(), licence.GetProperty("reason").GetString()));
        var enterprise = Spec("8.19.0");
        enterprise.License = "enterprise";
        await using var licensed = await Cluster.StartAsync(enterprise);
        await Ok(licensed, "PUT", "/_snapshot/move", """{"type":"fs","settings":{"location":"move"}}""");
        await Ok(licensed, "POST", "/_snapshot/move/s1/_restore?wait_for_completion=true");
        Assert.True(licensed.Model.Index("legacy")!.Archive);
        Assert.Equal("true", licensed.Model.Index("legacy")!.Settings["index.blocks.write"]);
        // A newer snapshot is refused by an older cluster.
        await Ok(licensed, "PUT", "/_snapshot/move/s8?wait_for_completion=true", """{"indices":"legacy"}""");
        await Ok(old, "DELETE", "/legacy");
        var newer = await Error(old, "POST", "/_snapshot/move/s8/_restore", null, 500);
        Assert.EndsWith("the snapshot was created with Elasticsearch version [8.19.0] which is higher than the version of this node [7.17.29]", newer.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Reindex_from_remote_needs_the_whitelist_and_reads_the_remote_with_its_credentials()
    {
        var oldSpec = Spec("7.17.29", new IndexSpec { Name = "legacy", Shards = 1, Replicas = 0, Documents = 300, CreatedVersion = "6.8.23" });
        oldSpec.Users["elastic"] = "s3cret";
        await using var old = await Cluster.StartAsync(oldSpec);
        var newSpec = Spec("8.19.0");
        await using var fresh = await Cluster.StartAsync(newSpec);
        var host = old.Uri().GetLeftPart(UriPartial.Authority);
        var body = "{\"source\":{\"remote\":{\"host\":\"" + host + "\",\"username\":\"elastic\",\"password\":\"s3cret\"},\"index\":\"legacy\"},\"dest\":{\"index\":\"legacy\"}}";
        var denied = await Error(fresh, "POST", "/_reindex", body, 400);
        Assert.Equal($"[{old.Uri().Host}:{old.Uri().Port}] not whitelisted in reindex.remote.whitelist", denied.GetProperty("reason").GetString());

        newSpec.ReindexRemoteWhitelist.Add($"{old.Uri().Host}:{old.Uri().Port}");
        var sliced = await Error(fresh, "POST", "/_reindex?slices=2", body, 400);
        Assert.Contains("reindex from remote sources doesn't support slices > 1 but was [2]", sliced.GetProperty("reason").GetString());
        var wrong = await Error(fresh, "POST", "/_reindex", body.Replace("s3cret", "nope"), 401);
        Assert.DoesNotContain("nope", wrong.GetRawText());

        var (response, started) = await fresh.SendAsync("POST", "/_reindex?wait_for_completion=false", body);
        Assert.True(response.IsSuccessStatusCode, started);
        var id = JsonDocument.Parse(started).RootElement.GetProperty("task").GetString();
        Assert.True(await fresh.Model.WaitUntilAsync(() => fresh.Model.FindTask(id!)!.Completed, TimeSpan.FromSeconds(30), default));
        var task = await fresh.GetJsonAsync("/_tasks/" + id);
        Assert.Equal(300, task.GetProperty("response").GetProperty("created").GetInt64());
        Assert.Contains("password=<<>>", task.GetProperty("task").GetProperty("description").GetString());
        Assert.DoesNotContain("s3cret", task.GetRawText());
        Assert.Equal(300, (await fresh.GetJsonAsync("/legacy/_count")).GetProperty("count").GetInt64());
    }
}
