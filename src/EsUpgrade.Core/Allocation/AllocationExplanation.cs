using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Allocation;

/// <summary>Why a shard copy is where it is, or unassigned: <c>_cluster/allocation/explain</c> in its own words.</summary>
public sealed class AllocationExplanation
{
    public string Index { get; internal set; } = "";
    public int Shard { get; internal set; }
    public bool Primary { get; internal set; }
    public string CurrentState { get; internal set; } = "";
    /// <summary><c>yes</c>, <c>no</c>, <c>throttled</c>, <c>awaiting_info</c>, <c>allocation_delayed</c>, <c>no_valid_shard_copy</c>, <c>no_attempt</c>.</summary>
    public string? CanAllocate { get; internal set; }
    public string? Explanation { get; internal set; }
    /// <summary>Each node's NO or THROTTLE, by decider (YES decisions are not listed by Elasticsearch).</summary>
    public IReadOnlyList<DeciderVerdict> Deciders { get; internal set; } = Array.Empty<DeciderVerdict>();
    public override string ToString() => $"{Index}[{Shard}]{(Primary ? "p" : "r")}: {CanAllocate}";

    /// <summary>POST _cluster/allocation/explain for one copy.</summary>
    public static async Task<AllocationExplanation> ExplainAsync(EsApi api, string index, int shard, bool primary, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object> { ["index"] = index, ["shard"] = shard, ["primary"] = primary });
        var json = await api.GetJsonAsync(new EsRequest("POST", "/_cluster/allocation/explain", body), ct).ConfigureAwait(false);
        return Read(json);
    }

    internal static AllocationExplanation Read(JsonElement e) => new AllocationExplanation
    {
        Index = e.Str("index") ?? "",
        Shard = e.Int("shard"),
        Primary = e.Bool("primary"),
        CurrentState = e.Str("current_state") ?? "",
        CanAllocate = e.Str("can_allocate"),
        Explanation = e.Str("allocate_explanation"),
        Deciders = e.Prop("node_allocation_decisions") is JsonElement nodes && nodes.ValueKind == JsonValueKind.Array
            ? nodes.EnumerateArray().SelectMany(n => n.Prop("deciders") is JsonElement d && d.ValueKind == JsonValueKind.Array
                ? d.EnumerateArray().Select(x => new DeciderVerdict(n.Str("node_name") ?? "", x.Str("decider") ?? "", x.Str("decision") ?? "", x.Str("explanation") ?? ""))
                : Enumerable.Empty<DeciderVerdict>()).ToList()
            : (IReadOnlyList<DeciderVerdict>)Array.Empty<DeciderVerdict>(),
    };
}

/// <summary>One decider's NO or THROTTLE for one node.</summary>
public sealed class DeciderVerdict
{
    public DeciderVerdict(string node, string decider, string decision, string explanation)
    {
        Node = node;
        Decider = decider;
        Decision = decision;
        Explanation = explanation;
    }

    public string Node { get; }
    public string Decider { get; }
    public string Decision { get; }
    public string Explanation { get; }
    public override string ToString() => $"{Node}: [{Decider}] {Explanation}";
}
