using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EsUpgrade.Emulator.Model;
using Microsoft.AspNetCore.Http;

namespace EsUpgrade.Emulator.Http;

/// <summary>
/// What every Elasticsearch node does around a handler: media-type rules, routing (400 for an unknown
/// path, 405 for a wrong method), authentication, the product header, error envelopes.
/// Header behaviour follows es-api/SOURCES.md §3 and BEHAVIOUR.md §8.
/// </summary>
public static class RestDispatcher
{
    static readonly Regex CompatibleWith = new(@"compatible-with\s*=\s*(\d+)", RegexOptions.IgnoreCase);
    // Jackson escapes only what JSON requires: no \u0027 for "don't", no \u003C for "<".
    static readonly JsonSerializerOptions Compact = new() { Converters = { new EsDoubleConverter() }, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Converters = { new EsDoubleConverter() }, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Elasticsearch writes doubles with a decimal point (<c>100.0</c>), never as integers.</summary>
    sealed class EsDoubleConverter : System.Text.Json.Serialization.JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();
        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            var text = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            writer.WriteRawValue(text.Contains('.') || text.Contains('E') ? text : text + ".0");
        }
    }

    /// <summary>The actions of APIs that need the manage cluster privilege (a monitor-only user is refused them; message as #66900, 7.12+).</summary>
    static readonly Dictionary<string, string> ManageActions = new(StringComparer.Ordinal)
    {
        ["migration.deprecations"] = "cluster:admin/xpack/deprecation/info",
        ["migration.post_feature_upgrade"] = "cluster:admin/migration/post_system_feature",
        ["cluster.put_settings"] = "cluster:admin/settings/update",
        ["cluster.reroute"] = "cluster:admin/reroute",
    };

    static void TrackClient(HttpContext http, EmulatedNode node, string uri, string? body, long now)
    {
        string? First(string header) => http.Request.Headers.TryGetValue(header, out var v) && v.Count > 0 ? v[0] : null;
        var connection = http.Connection;
        node.TrackClient(connection.Id, () => new HttpClientStats
        {
            Id = Math.Abs(connection.Id.GetHashCode()),
            Agent = First("x-elastic-product-origin") ?? First("User-Agent"),
            LocalAddress = $"{connection.LocalIpAddress?.MapToIPv4()}:{connection.LocalPort}",
            RemoteAddress = $"{connection.RemoteIpAddress?.MapToIPv4()}:{connection.RemotePort}",
            ForwardedFor = First("X-Forwarded-For"),
            OpaqueId = First("X-Opaque-Id"),
            OpenedMillis = now,
        }, uri, body is null ? 0 : Encoding.UTF8.GetByteCount(body), now);
    }

    public static async Task HandleAsync(HttpContext http, EmulatedCluster cluster, EmulatedNode node, FaultTable? faultTable = null)
    {
        var profile = node.Profile;
        var method = http.Request.Method;
        var path = http.Request.Path.Value ?? "/";
        var uri = path + http.Request.QueryString.Value;
        var faults = faultTable?.Take(node.Name, method, uri, cluster.Clock.UtcNow) ?? new List<FaultRule>();
        if (faults.Count > 0 && await FaultAnswers.BeforeAsync(http, faults, uri, node)) return;
        var query = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        var pretty = query.TryGetValue("pretty", out var p) && p is "" or "true";
        int? compat = null;
        Reply reply;
        try
        {
            var body = await ReadBodyAsync(http.Request);
            TrackClient(http, node, uri, body, cluster.Clock.UtcNow.ToUnixTimeMilliseconds());
            compat = CheckMediaTypes(http.Request.Headers.Accept.ToString(), http.Request.ContentType, body != null, profile);
            var (route, pathParams, allowed) = RouteTable.Match(method, path, profile.Major);
            // With xpack.ml.enabled: false the ML plugin registers no REST handlers.
            if (route?.Api.StartsWith("ml.", StringComparison.Ordinal) == true && !cluster.Spec.MlEnabled) (route, allowed) = (null, Array.Empty<string>());
            if (route is null)
            {
                if (allowed.Count > 0)
                {
                    http.Response.Headers.Allow = string.Join(",", allowed);
                    reply = Reply.Of(405, new Dictionary<string, object?>
                    {
                        ["error"] = $"Incorrect HTTP method for uri [{uri}] and method [{method}], allowed: [{string.Join(", ", allowed)}]",
                        ["status"] = 405,
                    });
                }
                else
                {
                    reply = Reply.Of(400, new Dictionary<string, object?> { ["error"] = $"no handler found for uri [{uri}] and method [{method}]" });
                }
            }
            else
            {
                // A node the cluster refused serves only its own root; everything else needs the cluster.
                if (node.State == NodeState.Isolated && route.Api is not ("info" or "ping"))
                    throw EsError.MasterNotDiscovered();
                if (route.MasterRouted)
                {
                    // No master yet (an election): wait up to master_timeout (emulated time) for one; then 503.
                    var masterTimeout = query.TryGetValue("master_timeout", out var mt) ? TimeValue.Parse("master_timeout", mt) : TimeSpan.FromSeconds(30);
                    await cluster.WaitUntilAsync(() => cluster.Master != null, TimeSpan.FromTicks((long)(masterTimeout.Ticks / cluster.Clock.Scale)), http.RequestAborted);
                }
                var principal = cluster.Security.Enabled
                    ? cluster.Security.Authenticate(http.Request.Headers.Authorization.ToString(), uri, profile)
                    : null;
                if (principal != null && cluster.Spec.MonitorOnlyUsers.Contains(principal.Username) && ManageActions.TryGetValue(route.Api, out var action))
                    throw new EsError(403, "security_exception",
                        $"action [{action}] is unauthorized for user [{principal.Username}] with roles [monitoring_user], this action is granted by the cluster privileges [manage,all]");
                if (route.Deprecated is { } deprecated)
                {
                    cluster.LogDeprecation(node, deprecated.Key, deprecated.Message, deprecated.Category,
                        http.Request.Headers["X-Opaque-Id"].FirstOrDefault(), http.Request.Headers["X-elastic-product-origin"].FirstOrDefault());
                    http.Response.Headers.Append("Warning", $"299 Elasticsearch-{profile.Number}-{profile.BuildHash} \"{deprecated.Message}\"");
                }
                reply = await route.Handler(new RestRequest
                {
                    Cluster = cluster,
                    Node = node,
                    Method = method,
                    Path = path,
                    Uri = uri,
                    PathParams = pathParams,
                    Query = query,
                    Body = body,
                    Accept = http.Request.Headers.Accept.ToString(),
                    Principal = principal,
                    Aborted = http.RequestAborted,
                });
            }
        }
        catch (EsError error)
        {
            reply = Reply.Of(error.Status, Envelope(error));
        }

        var response = http.Response;
        response.StatusCode = reply.Status;
        if (reply.Status is not (401 or 403))
            response.Headers["X-elastic-product"] = "Elasticsearch";
        if (reply.Status == 401)
            response.Headers.WWWAuthenticate = SecurityRealm.Challenges(profile);
        if (!cluster.Security.Enabled && profile.SecurityOffWarning is string warning)
            response.Headers.Append("Warning", warning);
        foreach (var deprecation in reply.Warnings)
            response.Headers.Append("Warning", $"299 Elasticsearch-{profile.Number}-{profile.BuildHash} \"{deprecation}\"");

        if (reply.Text != null)
        {
            response.ContentType = "text/plain; charset=UTF-8";
            if (method != "HEAD") await response.WriteAsync(reply.Text, Encoding.UTF8);
            return;
        }
        response.ContentType = compat is int n && profile.Is8 && n == 7
            ? "application/vnd.elasticsearch+json;compatible-with=7"
            : "application/json; charset=UTF-8";
        var json = !pretty && reply.JsonText != null ? reply.JsonText : JsonSerializer.Serialize(reply.Json, pretty ? Pretty : Compact);
        if (method == "HEAD") return;
        if (await FaultAnswers.AfterAsync(http, faults.FirstOrDefault(f => f.Kind != FaultKind.Latency), json)) return;
        await response.WriteAsync(json, Encoding.UTF8);
    }

    static async Task<string?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength == 0) return null;
        Stream stream = request.Body;
        if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
            stream = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        return text.Length == 0 ? null : text;
    }

    /// <summary>
    /// Returns the compatible-with version requested, if any. 8.x accepts 7 or 8 and answers anything else
    /// with 400 media_type_header_exception; 7.17 ignores the version. The Accept check comes first;
    /// Content-Type is checked only when there is a body.
    /// </summary>
    static int? CheckMediaTypes(string accept, string? contentType, bool hasBody, VersionProfile profile)
    {
        var acceptVersion = VersionIn(accept);
        if (acceptVersion is int a && !profile.AcceptsCompatibleWith(a))
            throw MediaTypeError($"Accept version must be either version {profile.Major} or {profile.Major - 1}, but found {a}. Accept={accept}");
        if (!hasBody) return acceptVersion;

        if (string.IsNullOrEmpty(contentType))
            throw new EsError(406, "media_type_header_exception", "Content-Type header is missing");
        var bare = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (bare is not ("application/json" or "application/x-ndjson" or "application/vnd.elasticsearch+json" or "application/vnd.elasticsearch+x-ndjson" or "text/plain"))
            throw new EsError(406, "media_type_header_exception", $"Content-Type header [{contentType}] is not supported");
        var contentVersion = VersionIn(contentType);
        if (contentVersion is int c && !profile.AcceptsCompatibleWith(c))
            throw MediaTypeError($"Content-Type version must be either version {profile.Major} or {profile.Major - 1}, but found {c}. Content-Type={contentType}");
        if (profile.Is8 && (acceptVersion ?? profile.Major) != (contentVersion ?? profile.Major))
            throw MediaTypeError($"A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version and the compatible versions must match. Accept={accept}, Content-Type={contentType}");
        return acceptVersion;
    }

    static int? VersionIn(string? header)
    {
        var m = CompatibleWith.Match(header ?? "");
        return m.Success ? int.Parse(m.Groups[1].Value) : null;
    }

    static EsError MediaTypeError(string cause) =>
        new(400, "media_type_header_exception", "Invalid media-type value on headers [Accept, Content-Type]",
            new EsError(400, "status_exception", cause));

    /// <summary>{"error":{"root_cause":[...],"type","reason",...,"caused_by"},"status"}; 406 uses Elasticsearch's simple form.</summary>
    public static Dictionary<string, object?> Envelope(EsError error)
    {
        if (error.Status == 406)
            return new() { ["error"] = error.Reason, ["status"] = 406 };
        var body = Describe(error);
        // root_cause is the innermost cause (ElasticsearchException.guessRootCauses).
        var root = error;
        while (root.CausedBy != null) root = root.CausedBy;
        body["root_cause"] = new[] { Describe(root, withCause: false) };
        // root_cause first, as Elasticsearch writes it
        var ordered = new Dictionary<string, object?> { ["root_cause"] = body["root_cause"] };
        foreach (var (k, v) in body) if (k != "root_cause") ordered[k] = v;
        return new() { ["error"] = ordered, ["status"] = error.Status };
    }

    internal static Dictionary<string, object?> Describe(EsError e, bool withCause = true)
    {
        var d = new Dictionary<string, object?> { ["type"] = e.Type, ["reason"] = e.Reason };
        foreach (var (k, v) in e.Metadata) d[k] = v;
        if (withCause && e.CausedBy != null) d["caused_by"] = Describe(e.CausedBy);
        return d;
    }
}
