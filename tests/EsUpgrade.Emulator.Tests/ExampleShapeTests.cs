using System.Text.Json;

namespace EsUpgrade.Emulator.Tests;

/// <summary>Responses carry the fields of Elastic's published examples, with the same JSON types.</summary>
public class ExampleShapeTests
{
    internal static void AssertShape(JsonElement example, JsonElement actual, string where = "$")
    {
        Assert.True(example.ValueKind == actual.ValueKind || IsNumberOrNull(example, actual) || (IsBool(example) && IsBool(actual)),
            $"{where}: example is {example.ValueKind}, emulator sent {actual.ValueKind}");
        if (example.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in example.EnumerateObject())
            {
                Assert.True(actual.TryGetProperty(p.Name, out var a), $"{where}.{p.Name} is in Elastic's example but not in the emulator's answer");
                AssertShape(p.Value, a, where + "." + p.Name);
            }
        }
        else if (example.ValueKind == JsonValueKind.Array && example.GetArrayLength() > 0 && actual.GetArrayLength() > 0)
        {
            AssertShape(example[0], actual[0], where + "[0]");
        }
    }

    static bool IsBool(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;

    // _cat JSON examples have nulls where a platform has no value (load_5m on Windows).
    static bool IsNumberOrNull(JsonElement example, JsonElement actual) =>
        example.ValueKind == JsonValueKind.Null || actual.ValueKind == JsonValueKind.Null;

    [Theory]
    [InlineData("7.17.27", "7.17__info__response.json")]
    [InlineData("8.17.0", "8.x__info__response.json")]
    public async Task Root_info_matches_example(string version, string example)
    {
        await using var c = await Cluster.StartAsync(1, version);
        var actual = await c.GetJsonAsync("/");
        AssertShape(RestSpec.Example(example), actual);
        Assert.Equal(RestSpec.Example(example).GetProperty("version").GetProperty("lucene_version").GetString(),
            actual.GetProperty("version").GetProperty("lucene_version").GetString());
        Assert.Equal(RestSpec.Example(example).GetProperty("version").GetProperty("minimum_wire_compatibility_version").GetString(),
            actual.GetProperty("version").GetProperty("minimum_wire_compatibility_version").GetString());
    }

    [Theory]
    [InlineData("/_cluster/health", "8.x__cluster.health__response.json")]
    [InlineData("/_cat/nodes?format=json", "8.x__cat.nodes__response.json")]
    [InlineData("/_cat/health?format=json", "8.x__cat.health__response.json")]
    [InlineData("/_cluster/settings", "7.x__cluster.get_settings__response.json")]
    public async Task Answers_match_examples(string path, string example)
    {
        await using var c = await Cluster.StartAsync(3, "8.19.0", new Model.IndexSpec { Name = "logs", Shards = 1, Replicas = 1 });
        AssertShape(RestSpec.Example(example), await c.GetJsonAsync(path));
    }

    [Fact]
    public async Task Assessment_answers_match_examples()
    {
        var spec = ClusterSpecWithBackups();
        await using var c = await Cluster.StartAsync(spec);
        AssertShape(RestSpec.Example("8.x__snapshot.get_repository__response.json").GetProperty("my_repository"), (await c.GetJsonAsync("/_snapshot")).GetProperty("nightly"));
        AssertShape(RestSpec.Example("8.x__license.get__response.json"), await c.GetJsonAsync("/_license"));
        // The ILM example's modified_date is a number; Elasticsearch writes a date string (the spec: "string | number ...
        // will generally output a string"). Actions' own settings are not modelled: the phases are compared as objects.
        var ilm = System.Text.Json.Nodes.JsonNode.Parse(RestSpec.Example("8.x__ilm.get_lifecycle__response.json").GetProperty("my_policy").GetRawText())!.AsObject();
        ilm.Remove("modified_date");
        ilm["policy"]!["phases"] = new System.Text.Json.Nodes.JsonObject();
        AssertShape(JsonDocument.Parse(ilm.ToJsonString()).RootElement, (await c.GetJsonAsync("/_ilm/policy")).GetProperty("hot-warm"));
        AssertShape(RestSpec.Example("8.x__migration.get_feature_upgrade_status__response.json"), await c.GetJsonAsync("/_migration/system_features"));
    }

    static Model.ClusterSpec ClusterSpecWithBackups()
    {
        var spec = Model.ClusterSpec.Uniform(1, "8.19.0");
        spec.License = "trial";
        spec.IlmPolicies.Add(new Model.IlmPolicySpec { Name = "hot-warm" });
        spec.Repositories.Add(new Model.RepositorySpec { Name = "nightly", Snapshots = { new Model.SnapshotSpec { Name = "snap-1", StartTime = DateTimeOffset.UtcNow.AddHours(-2) } } });
        return spec;
    }

    [Fact]
    public async Task Shutdown_status_matches_example()
    {
        await using var c = await Cluster.StartAsync(2, "8.19.0");
        var id = c.Model.Nodes[1].Id;
        await c.SendAsync("PUT", $"/_nodes/{id}/shutdown", "{\"type\":\"restart\",\"reason\":\"upgrade\",\"allocation_delay\":\"10m\"}");
        AssertShape(RestSpec.Example("8.x__shutdown.get_node__response.json"), await c.GetJsonAsync("/_nodes/shutdown"));
    }

    [Fact]
    public async Task Allocation_explain_of_a_refused_copy_matches_example()
    {
        await using var c = await Cluster.StartAsync(1, "8.19.0", new Model.IndexSpec { Name = "logs", Shards = 1, Replicas = 1 });
        var explain = await c.GetJsonAsync("/_cluster/allocation/explain");
        AssertShape(RestSpec.Example("8.x__cluster.allocation_explain__response.json"), explain);
        Assert.Equal(RestSpec.Example("8.x__cluster.allocation_explain__response.json").GetProperty("allocate_explanation").GetString(),
            explain.GetProperty("allocate_explanation").GetString());
    }

    [Fact]
    public async Task Health_writes_the_shard_percentage_as_a_double()
    {
        await using var c = await Cluster.StartAsync(1, "8.19.0");
        var (_, body) = await c.SendAsync("GET", "/_cluster/health");
        Assert.Contains("\"active_shards_percent_as_number\":100.0", body);
    }
}
