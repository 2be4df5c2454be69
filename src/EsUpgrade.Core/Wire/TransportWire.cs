using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Elastic.Transport;
using EsUpgrade.Connections;
using EsUpgrade.Errors;

namespace EsUpgrade.Wire;

/// <summary>
/// The wire over Elastic.Transport: node pool and failover, auth, TLS. Always sends plain
/// <c>application/json</c> (never <c>compatible-with=9</c>), so 7.17 and 8.x both answer.
/// </summary>
public sealed class TransportWire : IEsWire
{
    const string Json = "application/json";
    readonly DistributedTransport transport;
    readonly CertificateTrust trust;
    /// <summary>How many TLS certificates nodes have presented: a failed handshake with none presented was no TLS at all.</summary>
    int certificatesSeen;

    public TransportWire(ConnectionSettings settings)
    {
        NodePool pool = settings.Nodes.Count == 1
            ? new SingleNodePool(settings.Nodes[0])
            : new StaticNodePool(settings.Nodes, false);
        var config = new TransportConfigurationDescriptor(pool, null!, null!, null!)
            .EnableHttpCompression(false)
            .DisablePing(true)
            .ThrowExceptions(false)
            .ParseAllHeaders(true)
            .RequestTimeout(settings.RequestTimeout)
            // Nodes restart one after another in an upgrade: a node that failed is tried again soon,
            // so the pool is never left with every node marked dead.
            .DeadTimeout(TimeSpan.FromSeconds(2))
            .MaxDeadTimeout(TimeSpan.FromSeconds(10))
            .UserAgent(UserAgent.Create("EsUpgrade/" + typeof(TransportWire).Assembly.GetName().Version));

        var auth = Authorization(settings);
        if (auth != null) config = config.Authentication(auth);
        trust = settings.Trust;
        var callback = settings.Trust.Callback;
        config = config.ServerCertificateValidationCallback((sender, certificate, chain, errors) =>
        {
            Interlocked.Increment(ref certificatesSeen);
            return callback is null ? errors == System.Net.Security.SslPolicyErrors.None : callback(sender, certificate, chain, errors);
        });
        transport = new DistributedTransport(config);
    }

    static AuthorizationHeader? Authorization(ConnectionSettings settings)
    {
        if (settings.ApiKey != null)
        {
            // Elasticsearch's "encoded" form is base64(id:key); accept the raw id:key too.
            var key = Reveal(settings.ApiKey);
            return new ApiKey(key.Contains(":") ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key)) : key);
        }
        if (settings.Credential != null) return new BasicAuthentication(settings.Credential.UserName, settings.Credential.Password);
        return null;
    }

    /// <summary>The one place a SecureString becomes a string: the HTTP edge.</summary>
    internal static string Reveal(SecureString secret)
    {
        var ptr = IntPtr.Zero;
        try
        {
            ptr = Marshal.SecureStringToGlobalAllocUnicode(secret);
            return Marshal.PtrToStringUni(ptr) ?? "";
        }
        finally
        {
            if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
        }
    }

    public async Task<EsResponse> SendAsync(EsRequest request, CancellationToken cancellationToken)
    {
        var method = (HttpMethod)Enum.Parse(typeof(HttpMethod), request.Method);
        // The fluent descriptor, not init-only properties: those bind differently across the package's target frameworks.
        var config = new RequestConfigurationDescriptor().Accept(request.Accept).ContentType(Json);
        if (request.Timeout is TimeSpan timeout) config = config.RequestTimeout(timeout);
        // The transport moves to the next node after a 502/503/504 or a lost answer: never for a call that starts work.
        if (!request.Idempotent) config = config.MaxRetries(0);
        var body = request.Body is null ? null : PostData.String(request.Body);
        BytesResponse response;
        var seenBefore = Volatile.Read(ref certificatesSeen);
        try
        {
            // Relative to the node's URI, so a reverse proxy's path (https://proxy/es/) prefixes every request.
            response = await transport.RequestAsync<BytesResponse>(method, request.Path.TrimStart('/'), body!, config, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { throw; }
        catch (TransportException ex)
        {
            throw Unreachable(request, ex.ApiCallDetails?.Uri, ex.ApiCallDetails?.OriginalException ?? ex, seenBefore);
        }
        var details = response.ApiCallDetails;
        if (details.HttpStatusCode is not int status)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw Unreachable(request, details.Uri, details.OriginalException, seenBefore);
        }
        return new EsResponse(status, response.Body ?? Array.Empty<byte>(), details.Uri, Headers(details));
    }

    static IReadOnlyDictionary<string, IReadOnlyList<string>> Headers(ApiCallDetails details)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in new[] { "X-elastic-product", "Warning", "WWW-Authenticate", "Retry-After" })
            if (details.TryGetHeader(name, out var values))
                result[name] = values.ToList();
        if (!string.IsNullOrEmpty(details.ResponseContentType))
            result["Content-Type"] = new[] { details.ResponseContentType };
        return result;
    }

    /// <summary>
    /// Why no node answered, in words that point the way: an untrusted certificate; a node that speaks no TLS to
    /// an https:// URI (the handshake failed before any certificate came); a node that closes an http:// request
    /// unanswered (as a TLS node does); or the network.
    /// </summary>
    EsException Unreachable(EsRequest request, Uri? node, Exception? cause, int certificatesSeenBefore)
    {
        var where = node is null ? "the node" : node.GetLeftPart(UriPartial.Authority);
        for (var e = cause; e != null; e = e.InnerException)
        {
            if (e is not System.Security.Authentication.AuthenticationException) continue;
            if (node?.Scheme == Uri.UriSchemeHttps && Volatile.Read(ref certificatesSeen) == certificatesSeenBefore)
                return new EsException(EsErrorKind.Connection, ErrorIds.ClusterUnreachable,
                    $"{where} does not speak TLS: the handshake failed before it presented a certificate. If it serves plain HTTP, use {HttpVariant(node, Uri.UriSchemeHttp)}.",
                    request.ToString(), cause);
            return new EsException(EsErrorKind.Certificate, ErrorIds.UntrustedCertificate,
                "The server's TLS certificate is not trusted. " + (trust.Mode == CertificateTrustMode.Skip ? "" :
                    "Give -CertificateFingerprint (the SHA-256 Elasticsearch printed at first start), -CaCertificatePath, or, for a test cluster only, -SkipCertificateCheck."),
                request.ToString(), cause);
        }
        var why = cause?.GetBaseException().Message ?? "no node answered";
        var refused = Find<System.Net.Sockets.SocketException>(cause) is { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused };
        var timedOut = Find<TimeoutException>(cause) != null || Find<OperationCanceledException>(cause) != null;
        var hint = node?.Scheme == Uri.UriSchemeHttp && cause != null && !refused && !timedOut && Find<System.IO.IOException>(cause) != null
            ? $" {where} closed the connection without an answer: if it has TLS on (Elasticsearch 8 does by default), use {HttpVariant(node, Uri.UriSchemeHttps)}."
            : "";
        return new EsException(EsErrorKind.Connection, ErrorIds.ClusterUnreachable,
            $"No node of the cluster could be reached for {request}: {why}{hint}", request.ToString(), cause);
    }

    static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e != null; e = e.InnerException) if (e is T t) return t;
        return null;
    }

    static string HttpVariant(Uri node, string scheme) => new UriBuilder(node) { Scheme = scheme }.Uri.GetLeftPart(UriPartial.Authority);

    public void Dispose() => (transport.Configuration as IDisposable)?.Dispose();
}

/// <summary>Removes secrets from what is shown to people.</summary>
public static class Redact
{
    /// <summary>A URI as typed, with any <c>user:password@</c> replaced by <c>***@</c>.</summary>
    public static string Text(string? text) =>
        text is null ? "" : System.Text.RegularExpressions.Regex.Replace(text, @"(^|//)[^/@\s]*@", "$1***@");

    public static string Uri(Uri? uri) =>
        uri is null ? "" : string.IsNullOrEmpty(uri.UserInfo) ? uri.ToString() : uri.ToString().Replace(uri.UserInfo + "@", "");
}
