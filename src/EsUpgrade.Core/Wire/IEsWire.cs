using System;
using System.Collections.Generic;
using System.Linq;
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
        Idempotent = !StartsWork.IsMatch(Method + " " + Path);
    }

    /// <summary>
    /// Calls that do something each time they arrive, or fail the second time for having succeeded the first: a
    /// reindex, a restore, a snapshot (or its clone), a by-query update, bulk and document writes, an alias swap, a
    /// rollover, a shrink, split or clone, an API key. Asked again after an answer that never came (or a proxy's
    /// 502/504), they could run twice.
    /// </summary>
    static readonly System.Text.RegularExpressions.Regex StartsWork = new System.Text.RegularExpressions.Regex(
        @"^((POST|PUT) [^?]*/(_reindex|_restore|_update_by_query|_delete_by_query|_bulk|_doc|_create|_update|_rollover|_shrink|_split|_clone|_aliases)([?/]|$)" +
        @"|(PUT|POST) /_snapshot/[^/?]+/[^/?_][^/?]*(\?|$)|(PUT|POST) /_security/api_key)",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Whether sending this again after a lost answer does no harm (reads, settings, flushes); see <see cref="StartsWork"/>.</summary>
    public bool Idempotent { get; private set; }

    /// <summary>Marks a call that starts work as safe to send again all the same (a reindex with <c>op_type: create</c> copies nothing twice).</summary>
    public EsRequest SafeToRepeat()
    {
        Idempotent = true;
        return this;
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
        body_ = body;
        Node = node;
        Headers = headers;
    }

    /// <summary>A response as the wire read it: UTF-8 bytes, decoded to text only if someone asks (answers run to tens of MB).</summary>
    public EsResponse(int statusCode, byte[] bodyBytes, Uri? node, IReadOnlyDictionary<string, IReadOnlyList<string>> headers)
    {
        StatusCode = statusCode;
        bytes = bodyBytes;
        Node = node;
        Headers = headers;
    }

    string? body_;
    byte[]? bytes;

    public int StatusCode { get; }
    public string Body => body_ ??= bytes is null ? "" : System.Text.Encoding.UTF8.GetString(bytes);
    /// <summary>The body as UTF-8.</summary>
    public byte[] BodyBytes => bytes ??= System.Text.Encoding.UTF8.GetBytes(body_ ?? "");
    public bool IsEmpty => bytes is null ? string.IsNullOrWhiteSpace(body_) : bytes.Length == 0 || (bytes.Length < 64 && bytes.All(b => b == ' ' || b == '\n' || b == '\r' || b == '\t'));
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
