using System.Text.Json.Nodes;

namespace EsUpgrade.Emulator.Http;

/// <summary>Settings between JSON and flat names: request bodies in either form, answers nested unless flat_settings.</summary>
public static class SettingsJson
{
    public static Dictionary<string, string?> Flatten(JsonObject? obj, string prefix = "")
    {
        var result = new Dictionary<string, string?>();
        if (obj is null) return result;
        foreach (var (key, value) in obj)
        {
            var name = prefix + key;
            if (value is JsonObject child)
                foreach (var (k, v) in Flatten(child, name + ".")) result[k] = v;
            else
                result[name] = value is null ? null : value is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : value.ToJsonString();
        }
        return result;
    }

    /// <summary>Flat keys as nested objects, the way Elasticsearch writes settings without flat_settings.</summary>
    public static Dictionary<string, object?> Nested(IEnumerable<KeyValuePair<string, string?>> settings, string? strip = "index.")
    {
        var root = new Dictionary<string, object?>();
        foreach (var (key, value) in settings.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var parts = (strip != null && key.StartsWith(strip, StringComparison.Ordinal) ? key[strip.Length..] : key).Split('.');
            var node = root;
            foreach (var part in parts[..^1])
            {
                if (node.GetValueOrDefault(part) is not Dictionary<string, object?> next)
                    node[part] = next = new Dictionary<string, object?>();
                node = next;
            }
            node[parts[^1]] = value;
        }
        return root;
    }
}
