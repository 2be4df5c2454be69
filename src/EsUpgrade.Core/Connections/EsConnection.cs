using System;
using System.Collections.Generic;
using EsUpgrade.Wire;

namespace EsUpgrade.Connections;

/// <summary>
/// A live connection to one cluster, as <c>Connect-EsCluster</c> returns it. Every object EsUpgrade
/// emits carries the connection it came from, so a pipeline stays on its cluster.
/// </summary>
public sealed class EsConnection : IDisposable
{
    internal EsConnection(string name, ConnectionSettings settings, IEsWire wire, EsServerInfo server)
    {
        Name = name;
        Nodes = settings.Nodes;
        CloudId = settings.CloudId;
        Authentication = settings.AuthenticationDescription;
        CertificateValidation = settings.Trust.Mode;
        Wire = wire;
        Server = server;
        Credential = settings.Credential;
        ApiKey = settings.ApiKey;
        ConnectedAt = DateTimeOffset.Now;
        Settings = settings;
    }

    /// <summary>How this connection was made: another wire to the same cluster (say, through another node) is built from it.</summary>
    internal ConnectionSettings Settings { get; }

    /// <summary>
    /// The same cluster through one node's own HTTP address as _nodes publishes it (<c>ip:port</c>, or
    /// <c>hostname/ip:port</c> when the node knows its name: the name is used, so a certificate issued to it verifies),
    /// with the same credentials and certificate trust: when the configured URIs (a balancer, say) no longer answer.
    /// </summary>
    internal EsConnection Via(string publishAddress, TimeSpan retryTimeout, TimeSpan requestTimeout)
    {
        var slash = publishAddress.IndexOf('/');
        var colon = publishAddress.LastIndexOf(':');
        var host = slash > 0 ? publishAddress.Substring(0, slash) : colon > 0 ? publishAddress.Substring(0, colon) : publishAddress;
        var port = colon > slash ? publishAddress.Substring(colon + 1) : "9200";
        var settings = new ConnectionSettings(new[] { new UriBuilder(Nodes[0].Scheme, host.Trim('[', ']'), int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)).Uri })
        {
            Credential = Settings.Credential,
            ApiKey = Settings.ApiKey,
            Trust = Settings.Trust,
            RequestTimeout = requestTimeout,
            RetryTimeout = retryTimeout,
        };
        return new EsConnection(Name, settings, new TransportWire(settings), Server);
    }

    /// <summary>The last call sent (method and path), to name in an error about an answer that could not be read.</summary>
    internal string? LastRequest { get; set; }

    /// <summary>The last call sent through this connection (method and path, no body), or null.</summary>
    public string? LastCall() => LastRequest;

    /// <summary>How long a call is asked again while the cluster answers 429/502/503/504 or not at all.</summary>
    public TimeSpan RetryTimeout => Settings.RetryTimeout;

    /// <summary>For tests that plug in a fake wire.</summary>
    internal static EsConnection ForWire(string name, IEsWire wire, EsServerInfo server, ConnectionSettings? settings = null) =>
        new EsConnection(name, settings ?? new ConnectionSettings(new[] { new Uri("http://localhost:9200") }), wire, server);

    /// <summary>What this connection signs in with, for a cluster that reads from this one (reindex from remote); never written anywhere.</summary>
    internal System.Net.NetworkCredential? Credential { get; }
    internal System.Security.SecureString? ApiKey { get; }

    public string Name { get; }
    public IReadOnlyList<Uri> Nodes { get; }
    public string? CloudId { get; }
    public string ClusterName => Server.ClusterName;
    public string ClusterUuid => Server.ClusterUuid;
    /// <summary>The version of the node that answered at connect time.</summary>
    public string Version => Server.VersionNumber;
    public int MajorVersion => Server.Version.Major;
    public string Authentication { get; }
    public CertificateTrustMode CertificateValidation { get; }
    public DateTimeOffset ConnectedAt { get; }
    public EsServerInfo Server { get; }
    /// <summary>Whether this is the session's current connection.</summary>
    public bool IsCurrent => ConnectionRegistry.Session.IsCurrent(this);
    internal IEsWire Wire { get; }

    /// <summary>False once disconnected or replaced by a newer connection of the same name.</summary>
    public bool IsOpen => !closed;
    volatile bool closed;

    public override string ToString() => Name;

    public void Dispose()
    {
        closed = true;
        Wire.Dispose();
    }
}

/// <summary>What <c>GET /</c> says about the server.</summary>
public sealed class EsServerInfo
{
    public EsServerInfo(string nodeName, string clusterName, string clusterUuid, string versionNumber, string? buildFlavor, string? luceneVersion)
    {
        NodeName = nodeName;
        ClusterName = clusterName;
        ClusterUuid = clusterUuid;
        VersionNumber = versionNumber;
        Version = EsVersion.Parse(versionNumber);
        BuildFlavor = buildFlavor;
        LuceneVersion = luceneVersion;
    }

    public string NodeName { get; }
    public string ClusterName { get; }
    public string ClusterUuid { get; }
    public string VersionNumber { get; }
    public Version Version { get; }
    public string? BuildFlavor { get; }
    public string? LuceneVersion { get; }
}

public static class EsVersion
{
    /// <summary>"8.19.0-SNAPSHOT" → 8.19.0. Unparseable text → 0.0.0.</summary>
    public static Version Parse(string? text)
    {
        var core = (text ?? "").Split('-')[0];
        return System.Version.TryParse(core, out var v) ? new Version(v.Major, v.Minor, Math.Max(v.Build, 0)) : new Version(0, 0, 0);
    }
}
