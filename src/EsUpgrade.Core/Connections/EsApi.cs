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
        RetryTimeout = connection.RetryTimeout;
    }

    /// <summary>How long a call is asked again after a transient fault: the connection's, unless narrowed.</summary>
    public TimeSpan RetryTimeout { get; private set; }

    /// <summary>
    /// The same API with retries bounded by <paramref name="retryTimeout"/> when that is shorter: for a loop with a
    /// deadline of its own (a wait for a node, for health), whose next poll is the retry.
    /// </summary>
    public EsApi Retrying(TimeSpan retryTimeout) =>
        new EsApi(Connection, Log, Clock) { RetryTimeout = retryTimeout < RetryTimeout ? retryTimeout : RetryTimeout };

    /// <summary>How long one poll of a wait retries a transient fault before the wait's own loop takes over.</summary>
    public static readonly TimeSpan PollRetry = TimeSpan.FromSeconds(10);

    /// <summary>For a loop that polls until a deadline of its own: each poll is the retry, so none runs minutes past it.</summary>
    public EsApi Polling() => Retrying(PollRetry);

    public EsConnection Connection { get; }
    public IEsLog Log { get; }
    public IClock Clock { get; }

    /// <summary>
    /// Sends; a status outside 2xx and <paramref name="alsoAccept"/> throws. A transient fault — 429, 502, 503, 504
    /// or an answer that never came — is asked again with backoff (0.5 s doubling to 10 s, or a longer <c>Retry-After</c>),
    /// each time said on the verbose stream, until <see cref="RetryTimeout"/> is spent. A call that starts work (see
    /// <see cref="EsRequest.Idempotent"/>) is sent again only after a refusal that proves nothing was done.
    /// </summary>
    public async Task<EsResponse> SendAsync(EsRequest request, CancellationToken ct, params int[] alsoAccept)
    {
        Log.Verbose($"[{Connection.Name}] {request}");
        Connection.LastRequest = request.ToString();
        var first = Clock.UtcNow;
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            if (!Connection.IsOpen)
                throw new EsException(EsErrorKind.InvalidState, ErrorIds.ConnectionClosed,
                    $"The connection '{Connection.Name}' was closed (by Disconnect-EsCluster, or by a newer Connect-EsCluster with the same name). " +
                    "Use Get-EsConnection for the open ones.", Connection.Name);
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
            var transient = request.Idempotent
                ? response.StatusCode is 429 or 502 or 503 or 504
                : response.StatusCode is 429 or 503 && NothingDone(error, response);
            if (transient && RetryDelay(first, delay, RetryAfter(response)) is TimeSpan again)
            {
                await AgainAsync(request, attempt, error.Message, again, ct).ConfigureAwait(false);
                delay = Next(delay);
                continue;
            }
            throw error;
        }
    }

    /// <summary>
    /// A 429 or 503 that proves nothing was done: a thread pool's or a breaker's refusal, the master's queue timing out,
    /// no master, or a balancer's page (the call never reached a node). A by-query or reindex answer with the same
    /// status reports work already partly done (its <c>took</c> and <c>failures</c>): never sent again.
    /// </summary>
    static bool NothingDone(EsServerException error, EsResponse response)
    {
        if (error.ErrorType is string type)
            return type is "es_rejected_execution_exception" or "circuit_breaking_exception" or "process_cluster_event_timeout_exception" or "master_not_discovered_exception";
        if (response.IsEmpty) return true;
        try
        {
            using var doc = JsonDocument.Parse(response.BodyBytes);
            return doc.RootElement.ValueKind != JsonValueKind.Object || (!doc.RootElement.TryGetProperty("took", out _) && !doc.RootElement.TryGetProperty("failures", out _));
        }
        catch (JsonException)
        {
            return true;
        }
    }

    static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);
    /// <summary>The longest wait a <c>Retry-After</c> gets: a server asking for more is asked again after a minute.</summary>
    static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    static TimeSpan Next(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));

    /// <summary>How long to wait before asking again, or null when the connection's retry time would be spent.</summary>
    TimeSpan? RetryDelay(DateTimeOffset first, TimeSpan backoff, TimeSpan? retryAfter)
    {
        // Never shorter than the backoff (a Retry-After of 0, or a date already past by clock skew, would spin).
        var wait = retryAfter is TimeSpan asked && asked > backoff ? (asked > MaxRetryAfter ? MaxRetryAfter : asked) : backoff;
        return Clock.UtcNow + wait - first <= RetryTimeout ? wait : (TimeSpan?)null;
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
