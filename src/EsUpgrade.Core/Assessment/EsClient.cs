using System;
using EsUpgrade.Connections;

namespace EsUpgrade.Assessment;

/// <summary>Whether a client keeps working when the cluster is on 8.x.</summary>
public enum ClientCompatibility
{
    /// <summary>Works with 8.x as it is.</summary>
    Compatible,
    /// <summary>A 7.x language client: works with 8.x only with REST API compatibility turned on (compatible-with=7 headers).</summary>
    CompatibilityMode,
    /// <summary>Breaks against 8.x: upgrade it first (or with the cluster).</summary>
    Incompatible,
    /// <summary>Not a client EsUpgrade knows (curl, a browser, a script): check what it calls.</summary>
    Unknown,
}

/// <summary>An HTTP client a node has seen (_nodes/stats/http, Elasticsearch 7.13+), read from its user agent.</summary>
public sealed class EsClient
{
    public EsConnection Connection { get; internal set; } = null!;
    /// <summary>The node it talked to.</summary>
    public string Node { get; internal set; } = "";
    /// <summary>x-elastic-product-origin (kibana, fleet, ...) when sent, else the User-Agent.</summary>
    public string? Agent { get; internal set; }
    /// <summary>What the agent says it is: "Filebeat", ".NET client", "Kibana", ...</summary>
    public string Product { get; internal set; } = "";
    public string? Version { get; internal set; }
    public ClientCompatibility Compatibility { get; internal set; }
    public string Reason { get; internal set; } = "";
    public string? RemoteAddress { get; internal set; }
    public string? ForwardedFor { get; internal set; }
    public string? OpaqueId { get; internal set; }
    public string? LastUri { get; internal set; }
    public long RequestCount { get; internal set; }
    public DateTimeOffset? Opened { get; internal set; }
    public DateTimeOffset? LastRequest { get; internal set; }
    /// <summary>Null while the connection is open.</summary>
    public DateTimeOffset? Closed { get; internal set; }
    public override string ToString() => $"{Product} {Version} from {RemoteAddress}";
}
