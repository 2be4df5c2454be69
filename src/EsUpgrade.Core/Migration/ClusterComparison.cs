using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Indices;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Migration;

/// <summary>One way two clusters differ.</summary>
public sealed class ClusterDifference
{
    /// <summary>The reference cluster (its connection's name) and the one compared with it.</summary>
    public string Reference { get; internal set; } = "";
    public string Difference { get; internal set; } = "";
    /// <summary>Index, DocumentCount, Alias, Mapping, IndexTemplate, ComponentTemplate, LegacyTemplate, IlmPolicy.</summary>
    public string Kind { get; internal set; } = "";
    public string Name { get; internal set; } = "";
    /// <summary>What each side holds (null: not there).</summary>
    public string? ReferenceValue { get; internal set; }
    public string? DifferenceValue { get; internal set; }
    public string Detail { get; internal set; } = "";
    public override string ToString() => $"{Kind} {Name}: {Detail}";
}

/// <summary>What to compare.</summary>
public sealed class CompareOptions
{
    /// <summary>Index names and wildcards; all non-hidden indices when null.</summary>
    public IReadOnlyList<string>? Index { get; set; }
    public bool IncludeHidden { get; set; }
    /// <summary>Also compare each index's mappings (typeless, as 7.x and 8.x both answer them).</summary>
    public bool Mappings { get; set; } = true;
}

/// <summary>
/// Compares a cluster with a reference one: per index presence and document count (primaries, from _cat/indices), aliases
/// and mappings; index, component and legacy templates and ILM policies the reference has. One object per difference;
/// nothing when they match. What only the compared cluster has is reported for indices, not for templates and
/// policies (8.x brings its own).
/// </summary>
public static class ClusterComparison
{
    sealed class Side
    {
        public Dictionary<string, EsIndex> Indices = new(StringComparer.Ordinal);
        public Dictionary<string, SortedSet<string>> Aliases = new(StringComparer.Ordinal);
        public Dictionary<string, string> Mappings = new(StringComparer.Ordinal);
        public Dictionary<string, HashSet<string>> Named = new(StringComparer.Ordinal);
    }

    public static async Task<IReadOnlyList<ClusterDifference>> CompareAsync(EsApi reference, EsApi difference, CompareOptions options, CancellationToken ct)
    {
        var a = await ReadAsync(reference, options, ct).ConfigureAwait(false);
        var b = await ReadAsync(difference, options, ct).ConfigureAwait(false);
        var unmatched = Names.Unmatched(options.Index, n => a.Indices.Keys.Concat(b.Indices.Keys).Any(i => Names.Like(n, i))).ToList();
        if (unmatched.Count > 0)
            throw new EsException(EsErrorKind.NotFound, ErrorIds.IndexNotFound,
                $"There is no index named '{unmatched[0]}' in {reference.Connection.Name} or {difference.Connection.Name}.", unmatched[0]);
        var result = new List<ClusterDifference>();
        void Add(string kind, string name, string? left, string? right, string detail) => result.Add(new ClusterDifference
        {
            Reference = reference.Connection.Name, Difference = difference.Connection.Name, Kind = kind, Name = name, ReferenceValue = left, DifferenceValue = right, Detail = detail,
        });
        foreach (var name in a.Indices.Keys.Union(b.Indices.Keys).OrderBy(n => n, StringComparer.Ordinal))
        {
            var inA = a.Indices.TryGetValue(name, out var left);
            var inB = b.Indices.TryGetValue(name, out var right);
            if (!inB) { Add("Index", name, "present", null, $"[{name}] is missing from {difference.Connection.Name}"); continue; }
            if (!inA) { Add("Index", name, null, "present", $"[{name}] is only in {difference.Connection.Name}"); continue; }
            if (left!.DocsCount != right!.DocsCount)
                Add("DocumentCount", name, left.DocsCount.ToString(), right.DocsCount.ToString(),
                    $"[{name}] holds {right.DocsCount} documents in {difference.Connection.Name}, {left.DocsCount} in {reference.Connection.Name}");
            var aliasesA = a.Aliases.TryGetValue(name, out var x) ? x : new SortedSet<string>();
            var aliasesB = b.Aliases.TryGetValue(name, out var y) ? y : new SortedSet<string>();
            if (!aliasesA.SetEquals(aliasesB))
                Add("Alias", name, string.Join(",", aliasesA), string.Join(",", aliasesB),
                    $"[{name}] has aliases [{string.Join(", ", aliasesB)}] in {difference.Connection.Name}, [{string.Join(", ", aliasesA)}] in {reference.Connection.Name}");
            if (options.Mappings && a.Mappings.TryGetValue(name, out var ma) && b.Mappings.TryGetValue(name, out var mb) && ma != mb)
                Add("Mapping", name, ma, mb, $"[{name}] is mapped differently in {difference.Connection.Name}");
        }
        foreach (var kind in a.Named.Keys)
            foreach (var name in a.Named[kind].Where(n => !b.Named[kind].Contains(n)).OrderBy(n => n, StringComparer.Ordinal))
                Add(kind, name, "present", null, $"{kind} [{name}] is missing from {difference.Connection.Name}");
        return result;
    }

    static async Task<Side> ReadAsync(EsApi api, CompareOptions options, CancellationToken ct)
    {
        var side = new Side();
        // Every index, filtered here: a name one side lacks is a difference, not a 404, and no URL outgrows 4 KB.
        var indices = await IndexReader.GetIndicesAsync(api, null, includeHidden: true, ct).ConfigureAwait(false);
        foreach (var i in indices.Where(i => (options.IncludeHidden || !i.IsHidden && !i.Name.StartsWith(".", StringComparison.Ordinal))
                                             && (options.Index is null || options.Index.Any(n => Names.Like(n, i.Name)))))
            side.Indices[i.Name] = i;
        var aliases = await api.GetJsonAsync(EsRequest.Get("/_alias"), ct).ConfigureAwait(false);
        foreach (var i in aliases.EnumerateObject().Where(i => side.Indices.ContainsKey(i.Name)))
            side.Aliases[i.Name] = new SortedSet<string>(i.Value.Object("aliases").Select(p => p.Name), StringComparer.Ordinal);
        if (options.Mappings && side.Indices.Count > 0)
        {
            var mappings = await api.GetJsonAsync(EsRequest.Get("/_mapping"), ct).ConfigureAwait(false);
            foreach (var i in mappings.EnumerateObject().Where(i => side.Indices.ContainsKey(i.Name)))
                side.Mappings[i.Name] = Canonical(i.Value.Prop("mappings"));
        }
        side.Named = await NamedAsync(api, ct).ConfigureAwait(false);
        return side;
    }

    /// <summary>The names of a cluster's index, component and legacy templates and ILM policies (its own, not the built-in dot-names), by kind.</summary>
    internal static async Task<Dictionary<string, HashSet<string>>> NamedAsync(EsApi api, CancellationToken ct) => new(StringComparer.Ordinal)
    {
        ["IndexTemplate"] = await NamesAsync(api, "/_index_template", b => b.Array("index_templates").Select(t => t.Str("name") ?? ""), ct).ConfigureAwait(false),
        ["ComponentTemplate"] = await NamesAsync(api, "/_component_template", b => b.Array("component_templates").Select(t => t.Str("name") ?? ""), ct).ConfigureAwait(false),
        ["LegacyTemplate"] = await NamesAsync(api, "/_template", b => b.EnumerateObject().Select(p => p.Name), ct).ConfigureAwait(false),
        ["IlmPolicy"] = await NamesAsync(api, "/_ilm/policy", b => b.EnumerateObject().Select(p => p.Name), ct).ConfigureAwait(false),
    };

    static async Task<HashSet<string>> NamesAsync(EsApi api, string path, Func<JsonElement, IEnumerable<string>> names, CancellationToken ct)
    {
        JsonElement body;
        try
        {
            body = await api.GetJsonAsync(EsRequest.Get(path), ct).ConfigureAwait(false);
        }
        catch (EsServerException ex) when (ex.StatusCode is 400 or 404 && ex.ErrorType is null or "resource_not_found_exception" or "illegal_argument_exception")
        {
            // Composable and component templates came in 7.8; a name-less GET of an empty set may also answer 404.
            return new HashSet<string>(StringComparer.Ordinal);
        }
        return new HashSet<string>(body.ValueKind == JsonValueKind.Object ? names(body).Where(n => n.Length > 0 && !n.StartsWith(".", StringComparison.Ordinal)) : Enumerable.Empty<string>(), StringComparer.Ordinal);
    }

    /// <summary>A mapping as sorted JSON, so key order does not count as a difference.</summary>
    static string Canonical(JsonElement? mapping) => mapping is JsonElement m ? JsonSerializer.Serialize(Sort(m.ToPlain())) : "{}";

    static object? Sort(object? value) => value switch
    {
        IDictionary<string, object?> d => new SortedDictionary<string, object?>(d.ToDictionary(p => p.Key, p => Sort(p.Value)), StringComparer.Ordinal),
        IEnumerable<object?> list when value is not string => list.Select(Sort).ToList(),
        _ => value,
    };
}
