using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Tests;

/// <summary>How the model reads what a request names: index expressions, node selectors, time values, health.</summary>
public class ModelReadingTests
{
    static EmulatedCluster Cluster()
    {
        var spec = ClusterSpec.Uniform(3, "7.17.27");
        foreach (var name in new[] { "logs-1", "logs-2", "logs-old", "metrics" })
            spec.Indices.Add(new IndexSpec { Name = name, Shards = 1, Replicas = 1, Documents = 10 });
        return new EmulatedCluster(spec);
    }

    static string[] Names(IEnumerable<EmulatedIndex> indices) => indices.Select(i => i.Name).ToArray();

    [Theory]
    [InlineData(null, "logs-1,logs-2,logs-old,metrics")]
    [InlineData("_all", "logs-1,logs-2,logs-old,metrics")]
    [InlineData("logs-*", "logs-1,logs-2,logs-old")]
    [InlineData("logs-*,-logs-old", "logs-1,logs-2")]
    [InlineData("*,-logs-*", "metrics")]
    [InlineData("metrics,logs-1,metrics", "metrics,logs-1")]
    [InlineData("nothing-*", "")]
    public void Index_expressions_resolve_names_wildcards_and_exclusions(string? expression, string expected)
    {
        var c = Cluster();
        lock (c.Sync)
            Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), Names(IndexExpression.Resolve(c, expression)));
    }

    [Fact]
    public void A_missing_concrete_index_is_404_unless_ignored()
    {
        var c = Cluster();
        lock (c.Sync)
        {
            var error = Assert.Throws<EsError>(() => IndexExpression.Resolve(c, "metrics,missing"));
            Assert.Equal((404, "index_not_found_exception"), (error.Status, error.Type));
            Assert.Equal(new[] { "metrics" }, Names(IndexExpression.Resolve(c, "metrics,missing", ignoreUnavailable: true)));
        }
    }

    [Fact]
    public void Node_selectors_add_and_remove_in_order()
    {
        var c = Cluster();
        lock (c.Sync)
        {
            var local = c.Node("es-01");
            Assert.Equal(new[] { "es-02", "es-03" }, NodeSelector.Resolve(c, local, "es-0*,master:false,es-02,es-03").Select(n => n.Name));
            Assert.Equal(new[] { "es-01" }, NodeSelector.Resolve(c, local, "_local").Select(n => n.Name));
            Assert.Equal(3, NodeSelector.Resolve(c, local, null).Count());
        }
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5m", 90_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("-1", 0)]
    public void Time_values_parse_with_their_unit(string text, double millis) =>
        Assert.Equal(millis, TimeValue.TryParse(text)!.Value.TotalMilliseconds);

    [Fact]
    public void A_time_value_without_unit_is_refused_in_elasticsearchs_words()
    {
        Assert.Null(TimeValue.TryParse("30"));
        var error = Assert.Throws<EsError>(() => TimeValue.Parse("timeout", "30"));
        Assert.Equal("failed to parse setting [timeout] with value [30] as a time value: unit is missing or unrecognized", error.Reason);
    }

    [Fact]
    public void Health_is_the_worst_index_and_red_for_an_expression_naming_nothing()
    {
        var c = Cluster();
        c.StopNode("es-01");
        lock (c.Sync)
        {
            Assert.Equal("yellow", ClusterHealth.Compute(c).Status);
            var none = ClusterHealth.Compute(c, "missing");
            Assert.Equal(("red", false), (none.Status, none.IndexFound));
            Assert.True(ClusterHealth.AtLeast("green", "yellow"));
            Assert.False(ClusterHealth.AtLeast("red", "yellow"));
        }
    }

    [Fact]
    public async Task State_changes_wake_waiters_through_model_methods()
    {
        var c = Cluster();
        var waiting = c.WaitUntilAsync(() => c.MlUpgradeMode && c.Shutdowns.ContainsKey("x"), TimeSpan.FromSeconds(10), default);
        c.SetMlUpgradeMode(true);
        Assert.False(waiting.IsCompleted);
        c.PutShutdown("x", "RESTART", "upgrade", "10m");
        Assert.True(await waiting);
        Assert.True(c.DeleteShutdown("x"));
        Assert.False(c.DeleteShutdown("x"));
    }
}

/// <summary>Hidden indices as Elasticsearch 7.7+ treats them: out of wildcards unless asked for, each API with its own default.</summary>
public class HiddenIndexTests
{
    static Task<Cluster> StartAsync() => Cluster.StartAsync(2, "7.17.27",
        new IndexSpec { Name = "logs", Shards = 1, Replicas = 1, Documents = 10 },
        new IndexSpec { Name = ".security-6", Shards = 1, Replicas = 1, Documents = 5, CreatedVersion = "6.8.23", Settings = { [EmulatedIndex.HiddenSetting] = "true" } });

    static async Task<string[]> CatIndices(Cluster c, string query) =>
        (await c.GetJsonAsync("/_cat/indices" + query)).EnumerateArray().Select(i => i.GetProperty("index").GetString()!).Order().ToArray();

    [Fact]
    public async Task Cat_indices_and_settings_leave_hidden_indices_out_unless_asked()
    {
        await using var c = await StartAsync();
        Assert.Equal(new[] { "logs" }, await CatIndices(c, "?format=json"));
        Assert.Equal(new[] { ".security-6", "logs" }, await CatIndices(c, "?format=json&expand_wildcards=all"));
        Assert.Equal(new[] { ".security-6" }, await CatIndices(c, "/.sec*?format=json"));
        Assert.Equal(new[] { ".security-6" }, await CatIndices(c, "/.security-6?format=json"));
        var settings = await c.GetJsonAsync("/_all/_settings/index.version.created?flat_settings=true");
        Assert.False(settings.TryGetProperty(".security-6", out _));
        settings = await c.GetJsonAsync("/_all/_settings/index.version.created,index.hidden?flat_settings=true&expand_wildcards=all");
        Assert.Equal("6082399", settings.GetProperty(".security-6").GetProperty("settings").GetProperty("index.version.created").GetString());
        Assert.Equal("true", settings.GetProperty(".security-6").GetProperty("settings").GetProperty("index.hidden").GetString());
    }

    [Fact]
    public async Task Health_and_cat_shards_see_every_index()
    {
        await using var c = await StartAsync();
        Assert.Equal(4, (await c.GetJsonAsync("/_cluster/health")).GetProperty("active_shards").GetInt32());
        Assert.Contains(".security-6", (await c.GetJsonAsync("/_cat/shards?format=json")).EnumerateArray().Select(s => s.GetProperty("index").GetString()));
    }

    [Fact]
    public async Task Count_and_flush_expand_to_open_visible_indices_only()
    {
        await using var c = await StartAsync();
        Assert.Equal(10, (await c.GetJsonAsync("/_count")).GetProperty("count").GetInt64());
        Assert.Equal(15, (await c.GetJsonAsync("/_count?expand_wildcards=all")).GetProperty("count").GetInt64());
        var (response, body) = await c.SendAsync("GET", "/_cat/indices?expand_wildcards=sideways");
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("WildcardStates.SIDEWAYS", body);
    }
}
