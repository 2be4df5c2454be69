using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace EsUpgrade.Wire;

/// <summary>The HTTP wire to one cluster. The product uses <see cref="TransportWire"/>; tests may fake it.</summary>
public interface IEsWire : IDisposable
{
    Task<EsResponse> SendAsync(EsRequest request, CancellationToken cancellationToken);
}

public sealed class EsRequest
{
    public EsRequest(string method, string path, string? body = null, TimeSpan? timeout = null)
    {
        Method = method.ToUpperInvariant();
        Path = path.StartsWith("/", StringComparison.Ordinal) ? path : "/" + path;
        Body = body;
        Timeout = timeout;
        // JSON, unless the caller asked a _cat API for its text table.
        Accept = TextFormat.IsMatch(Path) ? "text/plain" : "application/json";
    }

    static readonly System.Text.RegularExpressions.Regex TextFormat =
        new System.Text.RegularExpressions.Regex(@"[?&]format=(txt|text)(&|$)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>The media type asked for: always plain (never <c>compatible-with</c>), so 7.17 and 8.x both answer.</summary>
    public string Accept { get; }

    public string Method { get; }
    /// <summary>Path and query string, e.g. <c>/_cluster/health?level=indices</c>.</summary>
    public string Path { get; }
    public string? Body { get; }
    /// <summary>How long this one request may take (long polls need more than the default).</summary>
    public TimeSpan? Timeout { get; }

    public static EsRequest Get(string path, TimeSpan? timeout = null) => new EsRequest("GET", path, null, timeout);
    public override string ToString() => Method + " " + Path;
}

public sealed class EsResponse
{
    public EsResponse(int statusCode, string body, Uri? node, IReadOnlyDictionary<string, IReadOnlyList<string>> headers)
    {
        StatusCode = statusCode;
        Body = body;
        Node = node;
        Headers = headers;
    }

    public int StatusCode { get; }
    public string Body { get; }
    /// <summary>The node that answered.</summary>
    public Uri? Node { get; }
    /// <summary>Response headers, names case-insensitive.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; }
    public bool IsSuccess => StatusCode >= 200 && StatusCode < 300;

    public string? Header(string name) =>
        Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    public IReadOnlyList<string> HeaderValues(string name) =>
        Headers.TryGetValue(name, out var values) ? values : Array.Empty<string>();
}
