using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Indices;
using EsUpgrade.Json;
using EsUpgrade.Settings;
using EsUpgrade.Wire;

namespace EsUpgrade.Assessment;

/// <summary>
/// Reads GET [/{index}]/_migration/deprecations in the shape of every version: each top-level key is a list of
/// items (cluster, node, ML, CCR and plugin keys) or an object of lists keyed by resource (indices, and from 8.17
/// data streams, from 8.18 templates and ILM policies). Every item comes out once; keys unknown today come out as
/// <see cref="DeprecationCategory.Other"/> rather than being lost.
/// </summary>
public static class DeprecationReader
{
    static readonly Regex NodesImpacted = new Regex(@"\s*\(nodes impacted: \[(?<nodes>[^\]]*)\]\)\s*$", RegexOptions.Compiled);

    public static IReadOnlyList<EsDeprecation> Parse(JsonElement body, EsConnection? connection)
    {
        var result = new List<EsDeprecation>();
        if (body.ValueKind != JsonValueKind.Object) return result;
        // Thousands of items repeat a few messages, URLs and details: keep one string of each.
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Shared(string? text) => text is null ? null : strings.TryGetValue(text, out var kept) ? kept : strings[text] = text;
        foreach (var key in body.EnumerateObject())
        {
            var category = CategoryOf(key.Name);
            if (key.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in key.Value.EnumerateArray()) result.Add(Item(item, key.Name, category, null, connection, Shared));
            }
            else if (key.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var resource in key.Value.EnumerateObject())
                    if (resource.Value.ValueKind == JsonValueKind.Array)
                        foreach (var item in resource.Value.EnumerateArray()) result.Add(Item(item, key.Name, category, resource.Name, connection, Shared));
            }
        }
        return result;
    }

    static DeprecationCategory CategoryOf(string key) => key switch
    {
        "cluster_settings" => DeprecationCategory.Cluster,
        "node_settings" => DeprecationCategory.Node,
        "index_settings" => DeprecationCategory.Index,
        "data_streams" => DeprecationCategory.DataStream,
        "templates" => DeprecationCategory.Template,
        "ilm_policies" => DeprecationCategory.IlmPolicy,
        "ml_settings" => DeprecationCategory.MachineLearning,
        "ccr_auto_followed_system_indices" => DeprecationCategory.CrossClusterReplication,
        _ => DeprecationCategory.Other,
    };

    static EsDeprecation Item(JsonElement item, string key, DeprecationCategory category, string? resource, EsConnection? connection, Func<string?, string?> shared)
    {
        var details = shared(item.Str("details"));
        var nodes = Array.Empty<string>();
        if (category == DeprecationCategory.Node && details != null && NodesImpacted.Match(details) is { Success: true } m)
            nodes = m.Groups["nodes"].Value.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim()).Distinct().ToArray();
        // A copy of its own: the finding must not keep the whole answer (tens of MB) alive.
        var meta = item.Prop("_meta") is JsonElement m2 && m2.ValueKind == JsonValueKind.Object ? m2.Clone() : (JsonElement?)null;
        var finding = new EsDeprecation
        {
            Connection = connection,
            Category = category,
            Level = LevelOf(item.Str("level")),
            Message = shared(item.Str("message")) ?? "",
            Url = shared(item.Str("url")),
            Details = details,
            Resource = resource ?? meta?.Str("job_id") ?? (nodes.Length > 0 ? string.Join(", ", nodes) : null),
            Nodes = nodes,
            ResolveDuringRollingUpgrade = item.Bool("resolve_during_rolling_upgrade"),
            metaJson = meta,
            SettingsToRemove = RemovableSettings(meta),
            ApiKey = key,
            Source = FindingSource.DeprecationApi,
        };
        finding.Remedy = Remedies.For(finding);
        return finding;
    }

    static DeprecationLevel LevelOf(string? level) => (level ?? "").ToLowerInvariant() switch
    {
        "critical" => DeprecationLevel.Critical,
        "warning" => DeprecationLevel.Warning,
        "info" => DeprecationLevel.Info,
        _ => DeprecationLevel.None,
    };

    static IReadOnlyList<string> RemovableSettings(JsonElement? meta) =>
        meta is JsonElement m
            ? m.Array("actions").Where(a => a.Str("action_type") == "remove_settings").SelectMany(a => a.Strings("objects")).Distinct().ToList()
            : (IReadOnlyList<string>)Array.Empty<string>();

    /// <summary>
    /// The findings for a cluster: the API's items, then EsUpgrade's own checks of what the API misses (transient
    /// settings, which 7.17 no longer reports; installed plugins; hidden indices too old for the next major, which
    /// the API's default index options leave out). With index names, only the findings about those indices; each full name that
    /// matches nothing is an IndexNotFound.
    /// </summary>
    public static async Task<Lookup<IReadOnlyList<EsDeprecation>>> ReadAsync(EsApi api, IReadOnlyList<string>? indices, CancellationToken ct,
        IReadOnlyList<EsIndex>? allIndices = null)
    {
        if (indices != null && indices.Count > 0)
            return await IndexLookup.RunAsync(api, indices, async expression =>
            {
                var items = await FetchAsync(api, expression, ct).ConfigureAwait(false);
                var own = await HiddenOldIndicesAsync(api, expression, items, ct).ConfigureAwait(false);
                return (IReadOnlyList<EsDeprecation>)items.Where(i => i.Category == DeprecationCategory.Index).Concat(own).ToList();
            }).ConfigureAwait(false);
        // The settings and the index list do not depend on the API's answer: read them alongside it.
        var settingsTask = ClusterSettings.GetAsync(api, includeDefaults: false, ct);
        var indicesTask = allIndices is null ? IndexReader.GetIndicesAsync(api, null, includeHidden: true, ct) : Task.FromResult(allIndices);
        var pluginsTask = api.GetJsonAsync(EsRequest.Get("/_nodes/plugins"), ct);
        var all = (await FetchAsync(api, null, ct).ConfigureAwait(false)).ToList();
        all.AddRange(TransientSettings(api, all, await settingsTask.ConfigureAwait(false)));
        all.AddRange(Plugins(api, await pluginsTask.ConfigureAwait(false)));
        all.AddRange(await HiddenOldIndicesAsync(api, null, all, ct, await indicesTask.ConfigureAwait(false)).ConfigureAwait(false));
        return new Lookup<IReadOnlyList<EsDeprecation>>(all, Array.Empty<EsException>());
    }

    static async Task<IReadOnlyList<EsDeprecation>> FetchAsync(EsApi api, string? expression, CancellationToken ct)
    {
        var path = (expression is null ? "" : "/" + Uri.EscapeDataString(expression)) + "/_migration/deprecations";
        try
        {
            return Parse(await api.GetJsonAsync(EsRequest.Get(path), ct).ConfigureAwait(false), api.Connection);
        }
        catch (EsServerException ex) when (ex.StatusCode == 403)
        {
            throw Privileges.Missing(api, "Reading the deprecation info API", "manage", ex);
        }
    }

    /// <summary>7.16 took transient settings out of 7.x's deprecation checks (#80558), yet 8.x deprecates them and 9.x may drop them.</summary>
    static IEnumerable<EsDeprecation> TransientSettings(EsApi api, IReadOnlyList<EsDeprecation> fromApi, IReadOnlyList<EsClusterSetting> settings)
    {
        if (fromApi.Any(f => f.Message.StartsWith("Transient cluster settings", StringComparison.Ordinal))) return Array.Empty<EsDeprecation>();
        var transient = settings.Where(s => s.Scope == SettingScope.Transient).Select(s => s.Name).ToList();
        if (transient.Count == 0) return Array.Empty<EsDeprecation>();
        var finding = new EsDeprecation
        {
            Connection = api.Connection,
            Category = DeprecationCategory.Cluster,
            Level = DeprecationLevel.Warning,
            Message = "Transient cluster settings are deprecated",
            Url = "https://ela.st/es-deprecation-7-transient-cluster-settings",
            Details = $"Transient settings are lost when the whole cluster restarts, and a rolling upgrade may end in one. Set them persistently: [{string.Join(", ", transient)}]. Elasticsearch 7.17 no longer reports them (#80558).",
            Resource = string.Join(", ", transient),
            SettingsToRemove = transient,
            Source = FindingSource.EsUpgrade,
        };
        finding.Remedy = Remedies.For(finding);
        return new[] { finding };
    }

    /// <summary>
    /// Plugins: a node of the next major does not start with a plugin built for this one, and the deprecation API
    /// does not say so. One finding per plugin, naming the nodes that have it.
    /// </summary>
    static IEnumerable<EsDeprecation> Plugins(EsApi api, JsonElement nodes)
    {
        var next = api.Connection.MajorVersion + 1;
        return nodes.Object("nodes")
            .SelectMany(n => n.Value.Array("plugins").Select(p => (Plugin: p.Str("name") ?? "", Node: n.Value.Str("name") ?? n.Name)))
            .Where(p => p.Plugin.Length > 0)
            .GroupBy(p => p.Plugin, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var onNodes = g.Select(p => p.Node).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
                return new EsDeprecation
                {
                    Connection = api.Connection,
                    Category = DeprecationCategory.Node,
                    Level = DeprecationLevel.Warning,
                    Message = $"Plugin [{g.Key}] must be installed in its {next}.x build",
                    Url = $"https://www.elastic.co/guide/en/elasticsearch/plugins/{next}.19/installation.html",
                    Details = $"A {next}.x node does not start with a plugin built for {api.Connection.MajorVersion}.x. Remove it and install the build for the target version as each node is upgraded (in the node action). (nodes impacted: [{string.Join(", ", onNodes)}])",
                    Resource = string.Join(", ", onNodes),
                    Nodes = onNodes,
                    Source = FindingSource.EsUpgrade,
                    Remedy = "bin/elasticsearch-plugin remove <plugin>, then install the target version's build, on each node as it is upgraded.",
                };
            }).ToList();
    }

    /// <summary>
    /// Hidden indices created before the previous major (a 6.x <c>.kibana_1</c> or <c>.security-6</c>): the node of the next
    /// major refuses to start over them, but the deprecation API's index options do not expand hidden indices.
    /// </summary>
    static async Task<IEnumerable<EsDeprecation>> HiddenOldIndicesAsync(EsApi api, string? expression, IReadOnlyList<EsDeprecation> fromApi, CancellationToken ct,
        IReadOnlyList<EsIndex>? known = null)
    {
        var next = api.Connection.MajorVersion + 1;
        var reported = new HashSet<string>(fromApi.Where(f => f.Category == DeprecationCategory.Index && f.Level == DeprecationLevel.Critical && f.Resource != null).Select(f => f.Resource!), StringComparer.Ordinal);
        var indices = known ?? await IndexReader.GetIndicesAsync(api, expression, includeHidden: true, ct).ConfigureAwait(false);
        return indices.Where(i => i.IsHidden && i.CreatedVersion != null && i.CreatedVersion.Major < next - 1 && !reported.Contains(i.Name))
            .Select(i =>
            {
                var finding = new EsDeprecation
                {
                    Connection = api.Connection,
                    Category = DeprecationCategory.Index,
                    Level = DeprecationLevel.Critical,
                    Message = $"Hidden index created before {next - 1}.0",
                    Url = next == 8 ? "https://ela.st/es-deprecation-7-reindex" : "https://ela.st/es-deprecation-9-index-version",
                    Details = $"The hidden index [{i.Name}] was created with version {i.CreatedVersion} and is not compatible with {next}.0: a {next}.x node will not start while it exists. " +
                        "The deprecation API does not report hidden indices; a system index is migrated by the system-feature migration, another one must be reindexed or deleted.",
                    Resource = i.Name,
                    Source = FindingSource.EsUpgrade,
                };
                finding.Remedy = Remedies.For(finding);
                return finding;
            }).ToList();
    }
}
