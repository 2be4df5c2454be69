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

    /// <summary>A whole-number query parameter; 400 as Elasticsearch answers a value that is not one.</summary>
    public long? Long(string name) => Q(name) is not { } text ? null
        : long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v
        : throw new EsError(400, "illegal_argument_exception", $"Failed to parse long parameter [{name}] with value [{text}]");

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

    /// <summary>The request's <c>expand_wildcards</c>, or the API's own default.</summary>
    public Expand Expand(Expand apiDefault) => ExpandWildcards.Parse(Q("expand_wildcards"), apiDefault);

    /// <summary>A time-value query parameter (30s, 500ms, 1m): <paramref name="fallback"/> when absent, 400 when it has no unit.</summary>
    public TimeSpan Time(string name, TimeSpan fallback)
    {
        var v = Q(name);
        return string.IsNullOrEmpty(v) ? fallback : TimeValue.Parse(name, v);
    }
}

/// <summary>What a handler answers.</summary>
public sealed class Reply
{
    public int Status { get; init; } = 200;
    /// <summary>Serialized as JSON unless <see cref="Text"/> is set.</summary>
    public object? Json { get; init; }
    public string? Text { get; init; }
    /// <summary>JSON already written (a large _cat table), sent as it is unless <c>pretty</c> asks for <see cref="Json"/>.</summary>
    public string? JsonText { get; init; }
    /// <summary>Deprecation messages, sent as Warning headers.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    public static Reply Ok(object json) => new() { Json = json };
    public static Reply Of(int status, object json) => new() { Status = status, Json = json };
    public static Reply Plain(string text) => new() { Text = text };
    public static readonly Reply Empty = new() { Text = "" };
    public static Reply Acknowledged() => Ok(new Dictionary<string, object?> { ["acknowledged"] = true });
}
