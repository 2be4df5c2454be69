using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
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
