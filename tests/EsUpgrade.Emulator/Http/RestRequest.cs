using System.Text.Json;
using System.Text.Json.Nodes;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http;

/// <summary>One request as a handler sees it: the node it reached, path parameters, query, body.</summary>
public sealed class RestRequest
{
    public required EmulatedCluster Cluster { get; init; }
    public required EmulatedNode Node { get; init; }
    public required string Method { get; init; }
    public required string Path { get; init; }
    /// <summary>Path and query, as Elasticsearch quotes it in messages.</summary>
    public required string Uri { get; init; }
    public required IReadOnlyDictionary<string, string> PathParams { get; init; }
    public required IReadOnlyDictionary<string, string> Query { get; init; }
    public string? Body { get; init; }
    /// <summary>The Accept header; _cat APIs pick their format from it when there is no format parameter.</summary>
    public string Accept { get; init; } = "";
    public SecurityRealm.Principal? Principal { get; init; }
    public CancellationToken Aborted { get; init; }

    public string? Param(string name) => PathParams.TryGetValue(name, out var v) ? v : null;
    public string? Q(string name) => Query.TryGetValue(name, out var v) ? v : null;

    public bool Flag(string name, bool fallback = false) =>
        Query.TryGetValue(name, out var v) ? v is "" or "true" : fallback;

    public JsonObject? JsonBody()
    {
        if (string.IsNullOrWhiteSpace(Body)) return null;
        try
        {
            return JsonNode.Parse(Body) as JsonObject
                ?? throw new EsError(400, "parse_exception", "request body is required to be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new EsError(400, "x_content_parse_exception", $"[1:1] Unexpected character: {ex.Message}");
        }
    }

    /// <summary>Elasticsearch time values: 30s, 500ms, 1m, 2h, 0.</summary>
    public TimeSpan Time(string name, TimeSpan fallback)
    {
        var v = Q(name);
        if (string.IsNullOrEmpty(v)) return fallback;
        return ParseTime(v) ?? throw EsError.IllegalArgument(
            $"failed to parse setting [{name}] with value [{v}] as a time value: unit is missing or unrecognized");
    }

    public static TimeSpan? ParseTime(string v)
    {
        if (v is "0" or "-1") return TimeSpan.Zero;
        foreach (var (suffix, unit) in new[] { ("nanos", 1e-6), ("micros", 1e-3), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0), ("h", 3600000.0), ("d", 86400000.0) })
            if (v.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(v[..^suffix.Length], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n))
                return TimeSpan.FromMilliseconds(n * unit);
        return null;
    }
}

/// <summary>What a handler answers.</summary>
public sealed class Reply
{
    public int Status { get; init; } = 200;
    /// <summary>Serialized as JSON unless <see cref="Text"/> is set.</summary>
    public object? Json { get; init; }
    public string? Text { get; init; }
    /// <summary>Deprecation messages, sent as Warning headers.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    public static Reply Ok(object json) => new() { Json = json };
    public static Reply Of(int status, object json) => new() { Status = status, Json = json };
    public static Reply Plain(string text) => new() { Text = text };
    public static readonly Reply Empty = new() { Text = "" };
    public static Reply Acknowledged() => Ok(new Dictionary<string, object?> { ["acknowledged"] = true });
}
