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
