using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security;
using EsUpgrade.Errors;
using EsUpgrade.Wire;

namespace EsUpgrade.Connections;

/// <summary>
/// Where a cluster is and how to authenticate. Secrets stay in <see cref="NetworkCredential"/> /
/// <see cref="SecureString"/> until the wire builds its authorization header.
/// </summary>
public sealed class ConnectionSettings
{
    public ConnectionSettings(IEnumerable<Uri> nodes)
    {
        Nodes = nodes.ToList();
        if (Nodes.Count == 0)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.NoNodeUri, "Give at least one node URI.");
        foreach (var uri in Nodes) Validate(uri);
    }

    ConnectionSettings(string cloudId)
    {
        CloudId = cloudId;
        Nodes = new[] { CloudEndpoint(cloudId) };
    }

    public static ConnectionSettings ForCloud(string cloudId) => new ConnectionSettings(cloudId);

    public IReadOnlyList<Uri> Nodes { get; }
    public string? CloudId { get; }
    public NetworkCredential? Credential { get; set; }
    public SecureString? ApiKey { get; set; }
    public CertificateTrust Trust { get; set; } = CertificateTrust.SystemStore;
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// How long a call may go on being asked again while the cluster answers 429, 502, 503, 504 or not at all (a
    /// master election, a node restarting, a busy cluster, a proxy between nodes): zero fails at the first fault.
    /// </summary>
    public TimeSpan RetryTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public string AuthenticationDescription =>
        ApiKey != null ? "ApiKey" : Credential != null ? $"Basic ({Credential.UserName})" : "None";

    /// <summary>Parses one user-supplied URI with the errors a user can act on.</summary>
    public static Uri ParseUri(string text)
    {
        if (!Uri.TryCreate(text?.Trim() ?? "", UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidUri,
                $"'{Redact.Text(text)}' is not an absolute http:// or https:// URI such as https://es01:9200.", Redact.Text(text));
        Validate(uri);
        return uri;
    }

    static void Validate(Uri uri)
    {
        // First: no check below may echo a password it would otherwise show.
        if (!string.IsNullOrEmpty(uri.UserInfo))
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.CredentialInUri,
                "Do not put a user name or password in the URI; use -Credential or -ApiKey.", uri.GetLeftPart(UriPartial.Scheme) + uri.Authority);
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidUri,
                $"'{uri}' is not an http:// or https:// URI.", uri.ToString());
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidUri,
                $"'{uri.GetLeftPart(UriPartial.Path)}' comes with a query string or fragment: give only scheme, host, port and (behind a reverse proxy) a path.", uri.GetLeftPart(UriPartial.Path));
    }

    /// <summary>
    /// Elastic Cloud ids are <c>name:base64(host$es-id$kibana-id)</c>. The endpoint is https://es-id.host.
    /// </summary>
    static Uri CloudEndpoint(string cloudId)
    {
        var colon = cloudId?.IndexOf(':') ?? -1;
        try
        {
            var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(cloudId!.Substring(colon + 1)));
            var parts = decoded.Split('$');
            if (parts.Length >= 2 && parts[0].Length > 0 && parts[1].Length > 0)
            {
                var hostPort = parts[0].Split(':');
                var port = hostPort.Length > 1 ? ":" + hostPort[1] : "";
                return new Uri($"https://{parts[1]}.{hostPort[0]}{port}");
            }
        }
        catch (FormatException) { }
        catch (ArgumentException) { }
        throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidCloudId,
            "The cloud id is not of the form name:base64(host$elasticsearch-id$kibana-id) that Elastic Cloud shows.", cloudId);
    }
}
