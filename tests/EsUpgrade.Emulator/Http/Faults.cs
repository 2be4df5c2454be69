using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EsUpgrade.Emulator.Model;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace EsUpgrade.Emulator.Http;

/// <summary>
/// What can go wrong between a client and a node: the wire faults a test switches on through the control
/// port (POST /faults). Faults of the cluster itself — a master lost, a node that never rejoins — are the
/// model's (<see cref="EmulatedCluster"/>) and have control routes of their own.
/// </summary>
public enum FaultKind
{
    /// <summary>The answer comes late: <see cref="FaultRule.LatencyMs"/>, plus up to <see cref="FaultRule.JitterMs"/>.</summary>
    Latency,
    /// <summary>429 es_rejected_execution_exception: a thread pool's queue is full.</summary>
    Rejected,
    /// <summary>429 circuit_breaking_exception: the parent breaker tripped.</summary>
    CircuitBreaking,
    /// <summary>503 process_cluster_event_timeout_exception: the master's queue is behind.</summary>
    ClusterEventTimeout,
    /// <summary>503 with no body, as a node being shut down or a balancer without a backend sends it.</summary>
    Unavailable,
    /// <summary>The connection is reset before any answer.</summary>
    Reset,
    /// <summary>The real answer's first half, then the connection drops.</summary>
    Truncated,
    /// <summary>An HTML 502 Bad Gateway, as a load balancer in front of the nodes sends it.</summary>
    BadGateway,
    /// <summary>401 security_exception: the credentials (user or API key) were revoked.</summary>
    Unauthorized,
    /// <summary>200 with a hostile body: the real answer with fields dropped, types changed, unknown enum values, huge numbers.</summary>
    Garbage,
}

/// <summary>One fault: which requests it hits (node, method, path pattern) and for how long (a count, emulated time, or until removed).</summary>
public sealed class FaultRule
{
    public string Id { get; set; } = "";
    public FaultKind Kind { get; set; }
    /// <summary>The node whose port answers with the fault; null for every node.</summary>
    public string? Node { get; set; }
    public string? Method { get; set; }
    /// <summary>A regular expression matched against path and query (<c>^/_cluster/health</c>); null for every request.</summary>
    public string? Path { get; set; }
    /// <summary>How many requests it hits; null for every one while it lasts.</summary>
    public int? Count { get; set; }
    /// <summary>For how many emulated seconds from now it lasts; null until removed or counted out.</summary>
    public double? Seconds { get; set; }
    public int LatencyMs { get; set; }
    public int JitterMs { get; set; }
    /// <summary>A Retry-After header (seconds) on 429 and 503 answers.</summary>
    public int? RetryAfter { get; set; }
    /// <summary>The seed of <see cref="FaultKind.Garbage"/>'s mutations.</summary>
    public int Seed { get; set; }
    public int Hits { get; set; }
    public DateTimeOffset? Until { get; set; }
}

/// <summary>The faults on: taken by the dispatcher for each request, counted down as they hit.</summary>
public sealed class FaultTable
{
    readonly List<FaultRule> rules = new();
    int next;

    public FaultRule Add(FaultRule rule, DateTimeOffset now)
    {
        if (rule.Path != null) _ = new Regex(rule.Path);   // a bad pattern is the caller's error, now
        lock (rules)
        {
            rule.Id = "fault-" + ++next;
            if (rule.Seconds is double s) rule.Until = now + TimeSpan.FromSeconds(s);
            rules.Add(rule);
            return rule;
        }
    }

    public IReadOnlyList<FaultRule> List() { lock (rules) return rules.ToList(); }
    public bool Remove(string id) { lock (rules) return rules.RemoveAll(r => r.Id == id) > 0; }
    public void Clear() { lock (rules) rules.Clear(); }

    /// <summary>The faults that hit this request (latency first), each counted; spent ones are dropped.</summary>
    public List<FaultRule> Take(string node, string method, string uri, DateTimeOffset now)
    {
        lock (rules)
        {
            rules.RemoveAll(r => r.Until <= now || r.Count <= 0);
            var hit = rules.Where(r => (r.Node is null || r.Node == node) && (r.Method is null || string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase))
                                       && (r.Path is null || Regex.IsMatch(uri, r.Path))).OrderBy(r => r.Kind == FaultKind.Latency ? 0 : 1).ToList();
            // One failure per request: the first that matches; latency adds to it.
            var failure = hit.FirstOrDefault(r => r.Kind != FaultKind.Latency);
            var taken = hit.Where(r => r.Kind == FaultKind.Latency).ToList();
            if (failure != null) taken.Add(failure);
            foreach (var r in taken)
            {
                r.Hits++;
                if (r.Count is int c) r.Count = c - 1;
            }
            return taken;
        }
    }
}

/// <summary>How a fault shows on the wire.</summary>
public static class FaultAnswers
{
    static readonly Random Jitter = new();

    /// <summary>Waits out the latency faults; answers for a fault that replaces the node's answer and returns true.</summary>
    public static async Task<bool> BeforeAsync(HttpContext http, IReadOnlyList<FaultRule> faults, string uri, EmulatedNode node)
    {
        foreach (var latency in faults.Where(f => f.Kind == FaultKind.Latency))
        {
            int extra;
            lock (Jitter) extra = latency.JitterMs > 0 ? Jitter.Next(latency.JitterMs + 1) : 0;
            await Task.Delay(latency.LatencyMs + extra, http.RequestAborted);
        }
        var fault = faults.FirstOrDefault(f => f.Kind != FaultKind.Latency);
        if (fault is null || fault.Kind is FaultKind.Truncated or FaultKind.Garbage) return false;
        var response = http.Response;
        if (fault.RetryAfter is int seconds) response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        switch (fault.Kind)
        {
            case FaultKind.Reset:
                Abort(http);
                return true;
            case FaultKind.BadGateway:
                // What nginx and most balancers send: HTML, no product header.
                response.StatusCode = 502;
                response.ContentType = "text/html";
                await response.WriteAsync("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
                return true;
            case FaultKind.Unavailable:
                response.StatusCode = 503;
                return true;
            case FaultKind.Rejected:
                await ErrorAsync(http, node, new EsError(429, "es_rejected_execution_exception",
                    $"rejected execution of org.elasticsearch.transport.TransportService$4@1a2b3c4d on EsThreadPoolExecutor[name = {node.Name}/search, queue capacity = 1000, " +
                    "org.elasticsearch.common.util.concurrent.EsThreadPoolExecutor@5e6f7a8b[Running, pool size = 13, active threads = 13, queued tasks = 1000, completed tasks = 4711]]"));
                return true;
            case FaultKind.CircuitBreaking:
                var error = new EsError(429, "circuit_breaking_exception",
                    $"[parent] Data too large, data for [<http_request>] would be [1030749832/982.9mb], which is larger than the limit of [1020054732/972.7mb], " +
                    "real usage: [1030749768/982.9mb], new bytes reserved: [64/64b], usages [request=0/0b, fielddata=0/0b, in_flight_requests=64/64b, model_inference=0/0b, eql_sequence=0/0b, accounting=1337/1.3kb]",
                    metadata: new Dictionary<string, object?> { ["bytes_wanted"] = 1030749832L, ["bytes_limit"] = 1020054732L, ["durability"] = "TRANSIENT" });
                await ErrorAsync(http, node, error);
                return true;
            case FaultKind.ClusterEventTimeout:
                await ErrorAsync(http, node, new EsError(503, "process_cluster_event_timeout_exception",
                    "failed to process cluster event (update-settings []) within 30s"));
                return true;
            case FaultKind.Unauthorized:
                response.Headers.WWWAuthenticate = SecurityRealm.Challenges(node.Profile);
                await ErrorAsync(http, node, new EsError(401, "security_exception", $"unable to authenticate user [elastic] for REST request [{uri}]"), product: false);
                return true;
        }
        return false;
    }

    static async Task ErrorAsync(HttpContext http, EmulatedNode node, EsError error, bool product = true)
    {
        http.Response.StatusCode = error.Status;
        if (product) http.Response.Headers["X-elastic-product"] = "Elasticsearch";
        http.Response.ContentType = "application/json; charset=UTF-8";
        await http.Response.WriteAsync(JsonSerializer.Serialize(RestDispatcher.Envelope(error)));
    }

    /// <summary>Drops the connection as a crashed process or a broken proxy does: the client sees a reset, not an answer.</summary>
    public static void Abort(HttpContext http)
    {
        // Kestrel resets the connection; HTTP/1.1 with a Content-Length left unmet looks the same to the client.
        http.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
        http.Abort();
    }

    /// <summary>The real answer, as a fault after it changes it: the first half then a drop, or a hostile rewrite.</summary>
    public static async Task<bool> AfterAsync(HttpContext http, FaultRule? fault, string json)
    {
        if (fault is null) return false;
        if (fault.Kind == FaultKind.Truncated)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            http.Response.ContentLength = bytes.Length;
            await http.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await http.Response.Body.FlushAsync();
            // The first half on the wire before the drop: the client has begun reading an answer (an HTTP client resends
            // by itself only a request whose reused connection closed before any byte of an answer).
            await Task.Delay(50);
            Abort(http);
            return true;
        }
        if (fault.Kind == FaultKind.Garbage)
        {
            await http.Response.WriteAsync(Mutate(json, fault.Seed + fault.Hits), Encoding.UTF8);
            return true;
        }
        return false;
    }

    /// <summary>
    /// The answer made hostile, differently for each seed: every other field dropped, strings where numbers were
    /// and numbers where strings were, enum-like values unknown, numbers past Int64, fields nobody knows, or not
    /// JSON at all (HTML, cut off, empty).
    /// </summary>
    public static string Mutate(string json, int seed)
    {
        var variant = ((seed % 8) + 8) % 8;
        switch (variant)
        {
            case 5: return "<html><body>Service temporarily moved</body></html>";
            case 6: return json.Length > 2 ? json[..(json.Length / 3)] : "{";
            case 7: return "";
        }
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException) { return "{"; }
        var random = new Random(seed);
        JsonNode? Walk(JsonNode? node, int depth)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var key in o.Select(p => p.Key).ToList())
                    {
                        if (variant == 0 && random.Next(2) == 0) { o.Remove(key); continue; }
                        o[key] = Walk(o[key]?.DeepClone(), depth + 1);
                    }
                    if (variant == 4) o["x_unexpected_" + depth] = new JsonObject { ["nested"] = new JsonArray(1, "two", null) };
                    return o;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++) a[i] = Walk(a[i]?.DeepClone(), depth + 1);
                    return a;
                case JsonValue v when v.TryGetValue<string>(out var s):
                    return variant switch
                    {
                        1 => JsonValue.Create(s.Length),
                        2 => JsonValue.Create("UNHEARD_OF_" + s.ToUpperInvariant() + "_STATE"),
                        _ => v,
                    };
                case JsonValue v when v.TryGetValue<bool>(out var b):
                    return variant == 1 ? JsonValue.Create(b ? "yes" : "no") : v;
                case JsonValue v:
                    return variant switch
                    {
                        1 => JsonValue.Create(v.ToJsonString()),
                        3 => JsonNode.Parse("123456789012345678901234567890"),
                        _ => v,
                    };
                default:
                    return node;
            }
        }
        return Walk(root, 0)?.ToJsonString() ?? "null";
    }
}
