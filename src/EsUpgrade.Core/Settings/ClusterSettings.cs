using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Wire;

namespace EsUpgrade.Settings;

public enum SettingScope { Persistent, Transient, Default }

/// <summary>One cluster setting in its flat name (<c>cluster.routing.allocation.enable</c>).</summary>
public sealed class EsClusterSetting
{
    public EsConnection Connection { get; internal set; } = null!;
    public string Name { get; internal set; } = "";
    /// <summary>A string, or a string array for list settings.</summary>
    public object? Value { get; internal set; }
    public SettingScope Scope { get; internal set; }
    public override string ToString() => $"{Name}={Value}";
}

public static class ClusterSettings
{
    /// <summary>
    /// The settings whose flat names match <paramref name="names"/> (wildcards, any case; all when none) in
    /// <paramref name="scopes"/> (all when none); each full name that matches no setting read (in any scope) is a SettingNotFound.
    /// </summary>
    public static async Task<Lookup<IReadOnlyList<EsClusterSetting>>> FindAsync(EsApi api, IReadOnlyList<string>? names, IReadOnlyList<SettingScope>? scopes,
        bool includeDefaults, CancellationToken ct)
    {
        var all = await GetAsync(api, includeDefaults, ct).ConfigureAwait(false);
        var found = all.Where(s => (names is null || names.Any(n => Names.Like(n, s.Name))) && (scopes is null || scopes.Contains(s.Scope))).ToList();
        // A setting set in another scope than those asked for is there: only a name that nothing read matches is missing.
        var missing = Names.Unmatched(names, n => all.Any(s => Names.Like(n, s.Name)))
            .Select(n => new EsException(EsErrorKind.NotFound, ErrorIds.SettingNotFound,
                $"No cluster setting named '{n}' is set in {api.Connection.Name}" + (includeDefaults ? "." : "; -IncludeDefaults also lists the defaults."), n))
            .ToList();
        return new Lookup<IReadOnlyList<EsClusterSetting>>(found, missing);
    }

    /// <summary>The value in force: transient over persistent over the default; null when none of them has the setting.</summary>
    public static string? Effective(IReadOnlyList<EsClusterSetting> settings, string name) =>
        new[] { SettingScope.Transient, SettingScope.Persistent, SettingScope.Default }
            .Select(scope => settings.FirstOrDefault(s => s.Name == name && s.Scope == scope)?.Value as string).FirstOrDefault(v => v != null);

    public static async Task<IReadOnlyList<EsClusterSetting>> GetAsync(EsApi api, bool includeDefaults, CancellationToken ct)
    {
        var path = "/_cluster/settings?flat_settings=true" + (includeDefaults ? "&include_defaults=true" : "");
        var body = await api.GetJsonAsync(EsRequest.Get(path), ct).ConfigureAwait(false);
        var result = new List<EsClusterSetting>();
        foreach (var (section, scope) in new[] { ("persistent", SettingScope.Persistent), ("transient", SettingScope.Transient), ("defaults", SettingScope.Default) })
        {
            if (!body.TryGetProperty(section, out var values) || values.ValueKind != JsonValueKind.Object) continue;
            result.AddRange(values.EnumerateObject().OrderBy(p => p.Name, System.StringComparer.Ordinal).Select(p => new EsClusterSetting
            {
                Connection = api.Connection,
                Name = p.Name,
                Scope = scope,
                Value = ValueOf(p.Value),
            }));
        }
        return result;
    }

    static object? ValueOf(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Null => null,
        JsonValueKind.Array => v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText()).ToArray(),
        _ => v.GetRawText(),
    };
}
