using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace EsUpgrade.Json;

/// <summary>Tolerant readers: Elasticsearch versions add and drop fields, and _cat APIs send numbers as strings.</summary>
public static class JsonExtensions
{
    public static JsonElement? Prop(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : (JsonElement?)null;

    public static string? Str(this JsonElement e, string name)
    {
        var v = e.Prop(name);
        if (v is null) return null;
        return v.Value.ValueKind == JsonValueKind.String ? v.Value.GetString() : v.Value.GetRawText();
    }

    public static long Long(this JsonElement e, string name, long fallback = 0)
    {
        var v = e.Prop(name);
        if (v is null) return fallback;
        if (v.Value.ValueKind == JsonValueKind.Number && v.Value.TryGetInt64(out var n)) return n;
        if (v.Value.ValueKind == JsonValueKind.Number) return (long)v.Value.GetDouble();
        return long.TryParse(v.Value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : fallback;
    }

    public static int Int(this JsonElement e, string name, int fallback = 0) => (int)e.Long(name, fallback);

    public static double Double(this JsonElement e, string name, double fallback = 0)
    {
        var v = e.Prop(name);
        if (v is null) return fallback;
        if (v.Value.ValueKind == JsonValueKind.Number) return v.Value.GetDouble();
        return double.TryParse(v.Value.GetString()?.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : fallback;
    }

    public static bool Bool(this JsonElement e, string name, bool fallback = false)
    {
        var v = e.Prop(name);
        if (v is null) return fallback;
        return v.Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => bool.TryParse(v.Value.GetString(), out var b) ? b : fallback,
            _ => fallback,
        };
    }

    public static IEnumerable<JsonElement> Array(this JsonElement e, string name)
    {
        var v = e.Prop(name);
        return v is JsonElement a && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : Enumerable.Empty<JsonElement>();
    }

    public static IEnumerable<JsonProperty> Object(this JsonElement e, string name)
    {
        var v = e.Prop(name);
        return v is JsonElement o && o.ValueKind == JsonValueKind.Object ? o.EnumerateObject() : Enumerable.Empty<JsonProperty>();
    }

    public static string[] Strings(this JsonElement e, string name) =>
        e.Array(name).Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()).ToArray();

    /// <summary>A JSON text as plain .NET values (see <see cref="ToPlain"/>): what the cmdlets turn into PowerShell objects without touching System.Text.Json.</summary>
    public static object? ParsePlain(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ToPlain();
    }

    /// <summary>A JSON value as plain .NET values: dictionaries (keys in order), lists, strings, longs or doubles, booleans, null.</summary>
    public static object? ToPlain(this JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var p in e.EnumerateObject()) map[p.Name] = p.Value.ToPlain();
                return map;
            case JsonValueKind.Array: return e.EnumerateArray().Select(v => v.ToPlain()).ToList();
            case JsonValueKind.String: return e.GetString();
            case JsonValueKind.Number: return e.TryGetInt64(out var l) ? (object)l : e.GetDouble();
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            default: return null;
        }
    }
}
