using System.Text.Json;
using EsUpgrade.Assessment;
using EsUpgrade.Connections;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;

namespace EsUpgrade.Core.Tests;

public class DeprecationTests
{
    static string Example(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EsUpgrade.sln")))
                return File.ReadAllText(Path.Combine(dir.FullName, "..", "shared", "es-api", "examples", name));
        throw new InvalidOperationException("EsUpgrade.sln not found");
    }

    /// <summary>(key, resource, message) of every item in an answer, walked independently of the reader.</summary>
    static List<(string, string?, string)> ItemsOf(JsonElement body)
    {
        var items = new List<(string, string?, string)>();
        foreach (var key in body.EnumerateObject())
        {
            if (key.Value.ValueKind == JsonValueKind.Array)
                items.AddRange(key.Value.EnumerateArray().Select(i => (key.Name, (string?)null, i.GetProperty("message").GetString()!)));
            else
                foreach (var r in key.Value.EnumerateObject())
                    items.AddRange(r.Value.EnumerateArray().Select(i => (key.Name, (string?)r.Name, i.GetProperty("message").GetString()!)));
        }
        return items;
    }

    [Theory]
    [InlineData("7.x__migration.deprecations__response.json", 15)]
    [InlineData("8.x__migration.deprecations__response.json", 2)]
    public void Every_item_of_Elastics_examples_is_read_once_none_invented(string example, int count)
    {
        using var doc = JsonDocument.Parse(Example(example));
        var read = DeprecationReader.Parse(doc.RootElement, null);
        var expected = ItemsOf(doc.RootElement);
        Assert.Equal(count, expected.Count);
        Assert.Equal(expected.OrderBy(e => e.ToString()), read.Select(r => (r.ApiKey!, r.Category is DeprecationCategory.Index ? r.Resource : null, r.Message)).OrderBy(e => e.ToString()));
    }

    [Fact]
    public void Items_keep_their_meta_level_and_resource()
    {
        using var doc = JsonDocument.Parse(Example("7.x__migration.deprecations__response.json"));
        var read = DeprecationReader.Parse(doc.RootElement, null);
        var ml = Assert.Single(read, r => r.Category == DeprecationCategory.MachineLearning && r.Level == DeprecationLevel.Critical);
        Assert.Equal("deprecation_check_job", ml.Resource);
        Assert.Equal("1", ml.Meta!["snapshot_id"]);
        var tier = Assert.Single(read, r => r.Resource == "deprecated_settings");
        Assert.Equal(new[] { "index.routing.allocation.include._tier" }, tier.SettingsToRemove);
        Assert.True(Assert.Single(read, r => r.Category == DeprecationCategory.Node).ResolveDuringRollingUpgrade);
    }

    [Fact]
    public void Unknown_keys_of_later_versions_are_kept_as_other()
    {
        using var doc = JsonDocument.Parse("""{"cluster_settings":[],"future_things":{"x":[{"level":"info","message":"m","url":"u"}]},"ml_settings":[]}""");
        var item = Assert.Single(DeprecationReader.Parse(doc.RootElement, null));
        Assert.Equal((DeprecationCategory.Other, "x", DeprecationLevel.Info, "future_things"), (item.Category, item.Resource, item.Level, item.ApiKey));
    }

    static ClusterSpec Troubled()
    {
        var spec = ClusterSpec.Uniform(2, "7.17.27");
        spec.Nodes[0].ConfigYaml = "node.master: true\nxpack.security.enabled: false\n";
        spec.Nodes[1].ConfigYaml = "node.master: true\nxpack.security.enabled: false\n";
        spec.Indices.Add(new IndexSpec { Name = "old-logs", CreatedVersion = "6.8.23", Replicas = 0 });
        spec.Indices.Add(new IndexSpec { Name = "new-logs", Replicas = 0, Settings = { ["index.indexing.slowlog.level"] = "info" } });
        spec.Indices.Add(new IndexSpec { Name = ".kibana_1", CreatedVersion = "6.8.23", Replicas = 0, Settings = { ["index.hidden"] = "true" } });
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        return spec;
    }

    [Fact]
    public async Task A_cluster_gives_the_APIs_items_once_and_what_the_API_misses()
    {
        await using var es = await Emulated.StartAsync(Troubled());
        lock (es.Host.Cluster.Sync) es.Host.Cluster.Transient["indices.recovery.max_bytes_per_sec"] = "80mb";
        es.Host.Cluster.Nodes[1].Plugins.Add("analysis-icu");
        using var connection = await es.ConnectAsync();
        var api = new EsApi(connection);
        var raw = await api.GetJsonAsync(Wire.EsRequest.Get("/_migration/deprecations"), CancellationToken.None);
        var found = (await DeprecationReader.ReadAsync(api, null, CancellationToken.None)).Found;

        Assert.Equal(ItemsOf(raw).Count, found.Count(f => f.Source == FindingSource.DeprecationApi));
        var roles = Assert.Single(found, f => f.Message == "Setting [node.master] is deprecated");
        Assert.Equal(new[] { "es-01", "es-02" }, roles.Nodes);
        var transient = Assert.Single(found, f => f.Source == FindingSource.EsUpgrade && f.Category == DeprecationCategory.Cluster);
        var plugin = Assert.Single(found, f => f.Source == FindingSource.EsUpgrade && f.Category == DeprecationCategory.Node);
        Assert.Equal(("Plugin [analysis-icu] must be installed in its 8.x build", "es-02"), (plugin.Message, Assert.Single(plugin.Nodes)));
        Assert.Equal(new[] { "indices.recovery.max_bytes_per_sec" }, transient.SettingsToRemove);
        var hidden = Assert.Single(found, f => f.Source == FindingSource.EsUpgrade && f.Category == DeprecationCategory.Index);
        Assert.Equal((".kibana_1", DeprecationLevel.Critical), (hidden.Resource, hidden.Level));
        Assert.NotNull(hidden.Remedy);
    }

    [Fact]
    public async Task Index_names_narrow_to_those_indices_and_a_missing_one_is_not_found()
    {
        await using var es = await Emulated.StartAsync(Troubled());
        using var connection = await es.ConnectAsync();
        var api = new EsApi(connection);
        var lookup = await DeprecationReader.ReadAsync(api, new[] { "new-logs", "nope" }, CancellationToken.None);
        Assert.All(lookup.Found, f => Assert.Equal("new-logs", f.Resource));
        Assert.Single(lookup.Found);
        Assert.Equal(ErrorIds.IndexNotFound, Assert.Single(lookup.Missing).ErrorId);
        var hidden = await DeprecationReader.ReadAsync(api, new[] { ".kibana_1" }, CancellationToken.None);
        Assert.Equal(".kibana_1", Assert.Single(hidden.Found).Resource);
    }

    [Fact]
    public async Task A_user_without_manage_is_told_the_privilege()
    {
        var spec = Troubled();
        spec.Users["elastic"] = Emulated.Password;
        spec.Users["watcher"] = Emulated.Password;
        spec.MonitorOnlyUsers.Add("watcher");
        await using var es = await Emulated.StartAsync(spec);
        var settings = es.Settings();
        settings.Credential = new System.Net.NetworkCredential("watcher", Emulated.Password);
        using var connection = await es.ConnectAsync(settings);
        var ex = await Assert.ThrowsAsync<EsException>(() => DeprecationReader.ReadAsync(new EsApi(connection), null, CancellationToken.None));
        Assert.Equal((ErrorIds.PermissionDenied, EsErrorKind.Permission), (ex.ErrorId, ex.Kind));
        Assert.Contains("[manage] cluster privilege", ex.Message);
        Assert.DoesNotContain(Emulated.Password, ex.Message);
    }
}
