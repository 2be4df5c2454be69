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

    /// <summary>Sends; a status outside 2xx and <paramref name="alsoAccept"/> throws.</summary>
    public async Task<EsResponse> SendAsync(EsRequest request, CancellationToken ct, params int[] alsoAccept)
    {
        if (!Connection.IsOpen)
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.ConnectionClosed,
                $"The connection '{Connection.Name}' was closed (by Disconnect-EsCluster, or by a newer Connect-EsCluster with the same name). " +
                "Use Get-EsConnection for the open ones.", Connection.Name);
        Log.Verbose($"[{Connection.Name}] {request}");
        var started = Clock.UtcNow;
        var response = await Connection.Wire.SendAsync(request, ct).ConfigureAwait(false);
        Log.Debug($"[{Connection.Name}] {request} -> HTTP {response.StatusCode} from {Redact.Uri(response.Node)} in {(Clock.UtcNow - started).TotalMilliseconds:0} ms");
        foreach (var warning in response.HeaderValues("Warning"))
            Log.Debug($"[{Connection.Name}] Elasticsearch warning: {warning}");
        if (!response.IsSuccess && !alsoAccept.Contains(response.StatusCode))
            throw ServerError(request, response);
        return response;
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
            throw new EsException(EsErrorKind.Server, ErrorIds.InvalidResponse,
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
