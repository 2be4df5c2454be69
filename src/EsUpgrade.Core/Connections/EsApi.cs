using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Diagnostics;
using EsUpgrade.Errors;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Connections;

/// <summary>
/// One call to a cluster: logs it, sends it, turns error statuses into <see cref="EsServerException"/>.
/// Features (inventory, health, settings, ...) are built on it.
/// </summary>
public sealed class EsApi
{
    public EsApi(EsConnection connection, IEsLog? log = null, IClock? clock = null)
    {
        Connection = connection;
        Log = log ?? NullLog.Instance;
        Clock = clock ?? SystemClock.Instance;
    }

    public EsConnection Connection { get; }
    public IEsLog Log { get; }
    public IClock Clock { get; }

    /// <summary>
    /// Sends; a status outside 2xx and <paramref name="alsoAccept"/> throws. A transient fault — 429 (the node
    /// rejected the work before doing it), 503, and for calls that are safe to repeat also 502, 504 and an answer
    /// that never came — is asked again with backoff (0.5 s doubling to 10 s, or the server's <c>Retry-After</c>),
    /// each time said on the verbose stream, until the connection's <see cref="EsConnection.RetryTimeout"/> is spent.
    /// </summary>
    public async Task<EsResponse> SendAsync(EsRequest request, CancellationToken ct, params int[] alsoAccept)
    {
        if (!Connection.IsOpen)
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.ConnectionClosed,
                $"The connection '{Connection.Name}' was closed (by Disconnect-EsCluster, or by a newer Connect-EsCluster with the same name). " +
                "Use Get-EsConnection for the open ones.", Connection.Name);
        Log.Verbose($"[{Connection.Name}] {request}");
        Connection.LastRequest = request.ToString();
        var first = Clock.UtcNow;
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var started = Clock.UtcNow;
            EsResponse response;
            try
            {
                response = await Connection.Wire.SendAsync(request, ct).ConfigureAwait(false);
            }
            catch (EsException ex) when (ex.Kind == EsErrorKind.Connection && request.Idempotent && !ct.IsCancellationRequested
                                          && RetryDelay(first, delay, null) is TimeSpan wait)
            {
                await AgainAsync(request, attempt, ex.Message, wait, ct).ConfigureAwait(false);
                delay = Next(delay);
                continue;
            }
            Log.Debug($"[{Connection.Name}] {request} -> HTTP {response.StatusCode} from {Redact.Uri(response.Node)} in {(Clock.UtcNow - started).TotalMilliseconds:0} ms");
            foreach (var warning in response.HeaderValues("Warning"))
                Log.Debug($"[{Connection.Name}] Elasticsearch warning: {warning}");
            if (response.IsSuccess || alsoAccept.Contains(response.StatusCode)) return response;
            var error = ServerError(request, response);
            var transient = response.StatusCode is 429 or 503 || (request.Idempotent && response.StatusCode is 502 or 504);
            if (transient && RetryDelay(first, delay, RetryAfter(response)) is TimeSpan again)
            {
                await AgainAsync(request, attempt, error.Message, again, ct).ConfigureAwait(false);
                delay = Next(delay);
                continue;
            }
            throw error;
        }
    }

    static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);
    /// <summary>The longest <c>Retry-After</c> honoured; a longer one is a maintenance window, not a fault to wait out.</summary>
    static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    static TimeSpan Next(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));

    /// <summary>How long to wait before asking again, or null when the connection's retry time would be spent.</summary>
    TimeSpan? RetryDelay(DateTimeOffset first, TimeSpan backoff, TimeSpan? retryAfter)
    {
        var wait = retryAfter is TimeSpan asked ? (asked > MaxRetryAfter ? MaxRetryAfter : asked < TimeSpan.Zero ? TimeSpan.Zero : asked) : backoff;
        return Clock.UtcNow + wait - first <= Connection.RetryTimeout ? wait : (TimeSpan?)null;
    }

    async Task AgainAsync(EsRequest request, int attempt, string why, TimeSpan wait, CancellationToken ct)
    {
        Log.Verbose($"[{Connection.Name}] {request}: {why} Retry {attempt} in {wait.TotalSeconds:0.#} s.");
        await Clock.Delay(wait, ct).ConfigureAwait(false);
    }

    /// <summary><c>Retry-After</c> as seconds or an HTTP date (RFC 9110 §10.2.3).</summary>
    TimeSpan? RetryAfter(EsResponse response)
    {
        var value = response.Header("Retry-After")?.Trim();
        if (string.IsNullOrEmpty(value)) return null;
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(seconds);
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            return at - Clock.UtcNow;
        return null;
    }

    public async Task<JsonElement> GetJsonAsync(EsRequest request, CancellationToken ct, params int[] alsoAccept)
    {
        var response = await SendAsync(request, ct, alsoAccept).ConfigureAwait(false);
        return ParseJson(request, response);
    }

    static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    public static JsonElement ParseJson(EsRequest request, EsResponse response)
    {
        try
        {
            if (response.IsEmpty) return EmptyObject;
            // Over the response's own bytes, not disposed: no copy of a large answer (a Clone would copy it all again);
            // the document's pooled index goes back to the GC with it.
            return JsonDocument.Parse(response.BodyBytes).RootElement;
        }
        catch (JsonException ex)
        {
            throw new EsException(EsErrorKind.InvalidResult, ErrorIds.InvalidResponse,
                $"{request} answered HTTP {response.StatusCode} with a body that is not JSON.", request.ToString(), ex);
        }
    }

    /// <summary>Reads Elasticsearch's error envelope, or the plain-string form of "no handler found".</summary>
    public static EsServerException ServerError(EsRequest request, EsResponse response)
    {
        string? type = null, reason = null, resource = null;
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            var error = doc.RootElement.Prop("error");
            if (error is JsonElement e && e.ValueKind == JsonValueKind.Object)
            {
                type = e.Str("type");
                reason = e.Str("reason");
                resource = e.Str("resource.id") ?? e.Str("index");
                // The innermost cause often says what is wrong ("failed to create repository" because "location ... path.repo").
                var cause = e.Prop("caused_by");
                while (cause?.Prop("caused_by") is JsonElement deeper) cause = deeper;
                if (cause?.Str("reason") is string why && why != reason) reason = reason is null ? why : $"{reason}: {why}";
            }
            else if (error is JsonElement s && s.ValueKind == JsonValueKind.String)
            {
                reason = s.GetString();
            }
        }
        catch (JsonException) { }
        return new EsServerException(response.StatusCode, type, reason, request.Method, request.Path, request.ToString(), resource);
    }
}
