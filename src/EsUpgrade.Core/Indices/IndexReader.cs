using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Health;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Indices;

public sealed class EsIndex
{
    public EsConnection Connection { get; internal set; } = null!;
    public string Name { get; internal set; } = "";
    public string Uuid { get; internal set; } = "";
    /// <summary>Null for a closed index, which has no health in _cat/indices.</summary>
    public HealthStatus? Health { get; internal set; }
    public string Status { get; internal set; } = "";
    public int Primaries { get; internal set; }
    public int Replicas { get; internal set; }
    public long DocsCount { get; internal set; }
    public long StoreSizeBytes { get; internal set; }
    /// <summary>The version that created the index: 8.x cannot open indices created before 7.0.</summary>
    public Version? CreatedVersion { get; internal set; }
    /// <summary><c>index.hidden</c>: left out of wildcards unless asked for; 7.x system indices (<c>.security-*</c>, <c>.tasks</c>, <c>.kibana_*</c>) are hidden.</summary>
    public bool IsHidden { get; internal set; }
    public override string ToString() => Name;
}

/// <summary>A shard copy's state, as _cat/shards reports it.</summary>
public enum ShardState { Started, Initializing, Relocating, Unassigned }

public sealed class EsShard
{
    public EsConnection Connection { get; internal set; } = null!;
    public string Index { get; internal set; } = "";
    public int Shard { get; internal set; }
    public bool Primary { get; internal set; }
    public ShardState State { get; internal set; }
    /// <summary>The node holding the copy; for a relocating copy, the node it moves from.</summary>
    public string? Node { get; internal set; }
    /// <summary>For a relocating copy, the node it moves to.</summary>
    public string? RelocatingNode { get; internal set; }
    public long? Docs { get; internal set; }
    public long? StoreBytes { get; internal set; }
    public string? UnassignedReason { get; internal set; }
    public override string ToString() => $"{Index}[{Shard}]{(Primary ? "p" : "r")} {State}";
}

public static class IndexReader
{
    /// <summary>The indices the names give (names, wildcards, aliases); each full name that matches nothing is an IndexNotFound.</summary>
    public static Task<Lookup<IReadOnlyList<EsIndex>>> FindIndicesAsync(EsApi api, IReadOnlyList<string>? names, bool includeHidden, CancellationToken ct) =>
        IndexLookup.RunAsync(api, names, expression => GetIndicesAsync(api, expression, includeHidden, ct));

    /// <summary>The shard copies of the indices the names give; each full name that matches nothing is an IndexNotFound.</summary>
    public static Task<Lookup<IReadOnlyList<EsShard>>> FindShardsAsync(EsApi api, IReadOnlyList<string>? names, CancellationToken ct) =>
        IndexLookup.RunAsync(api, names, expression => GetShardsAsync(api, expression, ct));

    /// <summary>The names of the indices the names give, from the light <c>_cat/indices</c>; each full name that matches nothing is an IndexNotFound.</summary>
    public static Task<Lookup<IReadOnlyList<string>>> FindIndexNamesAsync(EsApi api, IReadOnlyList<string> names, CancellationToken ct) =>
        IndexLookup.RunAsync(api, names, expression => IndexNamesAsync(api, expression, ct));

    /// <summary>The names an expression resolves to (all when null); a full name that matches nothing is Elasticsearch's 404.</summary>
    public static async Task<IReadOnlyList<string>> IndexNamesAsync(EsApi api, string? expression, CancellationToken ct)
    {
        var target = expression is null ? "" : "/" + Uri.EscapeDataString(expression);
        var cat = await api.GetJsonAsync(EsRequest.Get($"/_cat/indices{target}?format=json&h=index"), ct).ConfigureAwait(false);
        return cat.EnumerateArray().Select(i => i.Str("index") ?? "").ToList();
    }

    /// <summary>
    /// The indices an expression names (all when null). Wildcards leave hidden indices out, as Elasticsearch
    /// does by default, unless <paramref name="includeHidden"/>: every check that must see everything (the
    /// 6.x-created system indices that stop 8.x nodes are hidden) asks with <c>expand_wildcards=all</c>.
    /// </summary>
    public static async Task<IReadOnlyList<EsIndex>> GetIndicesAsync(EsApi api, string? expression, bool includeHidden, CancellationToken ct)
    {
        var target = string.IsNullOrEmpty(expression) ? "" : "/" + Uri.EscapeDataString(expression);
        var expand = includeHidden ? "&expand_wildcards=all" : "";
        var cat = await api.GetJsonAsync(EsRequest.Get($"/_cat/indices{target}?format=json&bytes=b&h=health,status,index,uuid,pri,rep,docs.count,store.size{expand}"), ct).ConfigureAwait(false);
        var settings = await api.GetJsonAsync(EsRequest.Get($"{(target.Length == 0 ? "/_all" : target)}/_settings/index.version.created,index.hidden?flat_settings=true{expand}"), ct).ConfigureAwait(false);
        // One pass over the settings: looking each index up by name would scan the object again for each (quadratic at 20,000 indices).
        var settingsByIndex = settings.ValueKind == JsonValueKind.Object
            ? settings.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Prop("settings"), StringComparer.Ordinal)
            : new Dictionary<string, JsonElement?>(StringComparer.Ordinal);
        return cat.EnumerateArray().Select(i =>
        {
            var name = i.Str("index") ?? "";
            var indexSettings = settingsByIndex.TryGetValue(name, out var found) ? found : null;
            var created = indexSettings?.Str("index.version.created");
            return new EsIndex
            {
                Connection = api.Connection,
                Name = name,
                Uuid = i.Str("uuid") ?? "",
                Health = HealthStatuses.Parse(i.Str("health")),
                Status = i.Str("status") ?? "",
                Primaries = i.Int("pri"),
                Replicas = i.Int("rep"),
                DocsCount = i.Long("docs.count"),
                StoreSizeBytes = i.Long("store.size"),
                CreatedVersion = VersionFromId(created),
                IsHidden = indexSettings?.Str("index.hidden") == "true",
            };
        }).OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Elasticsearch's version ids: 7172799 → 7.17.27, 6082399 → 6.8.23. 8.x index versions past 8.11 are not of this form (null).</summary>
    public static Version? VersionFromId(string? id)
    {
        if (!int.TryParse(id, out var n) || n < 1_000_000 || n > 99_999_999) return null;
        return new Version(n / 1_000_000, n / 10_000 % 100, n / 100 % 100);
    }

    /// <summary>_cat/shards writes a relocating copy's node as <c>src -&gt; ip id dst</c> (RestShardsAction).</summary>
    internal static (string? Node, string? RelocatingTo) NodeOf(string? cell)
    {
        if (cell is null) return (null, null);
        var arrow = cell.IndexOf(" -> ", StringComparison.Ordinal);
        if (arrow < 0) return (cell, null);
        var target = cell.Substring(arrow + 4).Split(new[] { ' ' }, 3);
        return (cell.Substring(0, arrow), target.Length == 3 ? target[2] : target[target.Length - 1]);
    }

    static ShardState ParseState(string? state) => state switch
    {
        "STARTED" => ShardState.Started,
        "INITIALIZING" => ShardState.Initializing,
        "RELOCATING" => ShardState.Relocating,
        _ => ShardState.Unassigned,
    };

    public static async Task<IReadOnlyList<EsShard>> GetShardsAsync(EsApi api, string? expression, CancellationToken ct)
    {
        var target = string.IsNullOrEmpty(expression) ? "" : "/" + Uri.EscapeDataString(expression);
        var cat = await api.GetJsonAsync(EsRequest.Get($"/_cat/shards{target}?format=json&bytes=b&h=index,shard,prirep,state,docs,store,node,unassigned.reason"), ct).ConfigureAwait(false);
        return cat.EnumerateArray().Select(s => new EsShard
        {
            Connection = api.Connection,
            Index = s.Str("index") ?? "",
            Shard = s.Int("shard"),
            Primary = s.Str("prirep") == "p",
            State = ParseState(s.Str("state")),
            Node = NodeOf(s.Str("node")).Node,
            RelocatingNode = NodeOf(s.Str("node")).RelocatingTo,
            Docs = s.Prop("docs") is null ? (long?)null : s.Long("docs"),
            StoreBytes = s.Prop("store") is null ? (long?)null : s.Long("store"),
            UnassignedReason = s.Str("unassigned.reason"),
        }).ToList();
    }
}
