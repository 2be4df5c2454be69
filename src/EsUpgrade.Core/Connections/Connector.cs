using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Diagnostics;
using EsUpgrade.Errors;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Connections;

/// <summary>Opens a connection: reaches a node, checks it is Elasticsearch, reads its version.</summary>
public static class Connector
{
    /// <summary>Elasticsearch sends <c>X-elastic-product: Elasticsearch</c> on every authenticated response from 7.14 on.</summary>
    static readonly Version ProductHeaderSince = new Version(7, 14, 0);

    /// <param name="name">The connection's name; null names it after the cluster.</param>
    public static Task<EsConnection> ConnectAsync(string? name, ConnectionSettings settings, IEsLog log, CancellationToken ct) =>
        ConnectAsync(name, settings, new TransportWire(settings), log, ct);

    public static async Task<EsConnection> ConnectAsync(string? name, ConnectionSettings settings, IEsWire wire, IEsLog log, CancellationToken ct)
    {
        var request = EsRequest.Get("/");
        log.Verbose($"Connecting to {string.Join(", ", settings.Nodes)} as {settings.AuthenticationDescription}, certificate validation {settings.Trust.Mode}");
        EsResponse response;
        try
        {
            response = await wire.SendAsync(request, ct).ConfigureAwait(false);
            log.Debug($"{request} -> HTTP {response.StatusCode} from {Redact.Uri(response.Node)}");
        }
        catch
        {
            wire.Dispose();
            throw;
        }
        try
        {
            var server = Check(settings, request, response);
            if (server.Version.Major < 7 || server.Version.Major > 8)
                log.Warning($"{server.ClusterName} runs Elasticsearch {server.VersionNumber}; EsUpgrade is made for 7.x and 8.x clusters.");
            return new EsConnection(name ?? server.ClusterName, settings, wire, server);
        }
        catch
        {
            wire.Dispose();
            throw;
        }
    }

    static EsServerInfo Check(ConnectionSettings settings, EsRequest request, EsResponse response)
    {
        var target = response.Node?.GetLeftPart(UriPartial.Authority) ?? settings.Nodes[0].ToString();
        if (response.StatusCode == 401)
            throw new EsException(EsErrorKind.Authentication, ErrorIds.AuthenticationFailed,
                settings.Credential != null || settings.ApiKey != null
                    ? $"{target} refused the credentials ({settings.AuthenticationDescription})."
                    : $"{target} requires authentication: give -Credential or -ApiKey.", target);
        if (response.StatusCode == 403)
            throw new EsException(EsErrorKind.Permission, ErrorIds.PermissionDenied,
                $"{target} authenticated {settings.AuthenticationDescription} but does not allow it to read the cluster's root endpoint.", target);
        if (!response.IsSuccess)
            throw new EsException(EsErrorKind.NotElasticsearch, ErrorIds.NotElasticsearch,
                $"{target} answered GET / with HTTP {response.StatusCode}; an Elasticsearch node answers 200.", target);

        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw NotElasticsearch(target, "its answer to GET / is not JSON");
        }
        var version = root.Prop("version");
        var number = version?.Str("number");
        if (version is null || number is null)
            throw NotElasticsearch(target, "its answer to GET / has no version.number");
        if (version.Value.Str("distribution") is string distribution)
            throw NotElasticsearch(target, $"it says its distribution is '{distribution}'");

        var info = new EsServerInfo(root.Str("name") ?? "", root.Str("cluster_name") ?? "", root.Str("cluster_uuid") ?? "",
            number, version.Value.Str("build_flavor"), version.Value.Str("lucene_version"));
        var product = response.Header("X-elastic-product");
        if (info.Version >= ProductHeaderSince)
        {
            if (!string.Equals(product, "Elasticsearch", StringComparison.Ordinal))
                throw NotElasticsearch(target, "it claims a version from 7.14 on but does not send the X-elastic-product: Elasticsearch header");
        }
        else if (root.Str("tagline") != "You Know, for Search")
        {
            throw NotElasticsearch(target, "it lacks Elasticsearch's tagline");
        }
        return info;
    }

    static EsException NotElasticsearch(string target, string why) =>
        new EsException(EsErrorKind.NotElasticsearch, ErrorIds.NotElasticsearch, $"{target} is not an Elasticsearch node: {why}.", target);
}
