using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Health;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Inventory;

/// <summary>Reads what a cluster is made of: nodes, versions, roles, the elected master.</summary>
public static class InventoryReader
{
    static readonly string[] Tiers = { "data_frozen", "data_cold", "data_warm", "data_hot", "data_content" };

    /// <param name="selector">Elasticsearch node selector (names, ids, wildcards, <c>master:true</c>, ...); null for all.</param>
    /// <summary>
    /// The nodes the names select (names, ids, addresses, wildcards, Elasticsearch's node selectors); each full
    /// name that is neither a selector nor matches a node is a NodeNotFound.
    /// </summary>
    public static async Task<Lookup<IReadOnlyList<EsNode>>> FindNodesAsync(EsApi api, IReadOnlyList<string>? names, CancellationToken ct)
    {
        var nodes = await GetNodesAsync(api, names is null || names.Count == 0 ? null : string.Join(",", names), ct).ConfigureAwait(false);
        var missing = Names.Unmatched(names, n => n.StartsWith("_", StringComparison.Ordinal) || n.IndexOf(':') >= 0
                || nodes.Any(node => node.Name == n || node.Id == n || node.Ip == n || node.Host == n))
            .Select(n => new EsException(EsErrorKind.NotFound, ErrorIds.NodeNotFound, $"There is no node named '{n}' in {api.Connection.Name}.", n))
            .ToList();
        return new Lookup<IReadOnlyList<EsNode>>(nodes, missing);
    }

    public static async Task<IReadOnlyList<EsNode>> GetNodesAsync(EsApi api, string? selector, CancellationToken ct)
    {
        var path = string.IsNullOrEmpty(selector) ? "/_nodes" : "/_nodes/" + Uri.EscapeDataString(selector);
        var nodesTask = api.GetJsonAsync(EsRequest.Get(path), ct);
        var masterId = await GetElectedMasterIdAsync(api, ct).ConfigureAwait(false);
        var body = await nodesTask.ConfigureAwait(false);
        // A node in the cluster state that cannot answer (killed, not yet dropped) is in _nodes.failures, not in nodes.
        foreach (var failure in body.Prop("_nodes")?.Array("failures") ?? Enumerable.Empty<JsonElement>())
            api.Log.Warning($"[{api.Connection.Name}] node {failure.Str("node_id") ?? "?"} is in the cluster but did not answer: {failure.Prop("caused_by")?.Str("reason") ?? failure.Str("reason")}");
        return body.Object("nodes").Select(p => ReadNode(api.Connection, p.Name, p.Value, masterId))
            .OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
    }

    static async Task<string?> GetElectedMasterIdAsync(EsApi api, CancellationToken ct)
    {
        var master = await api.GetJsonAsync(EsRequest.Get("/_cat/master?format=json"), ct).ConfigureAwait(false);
        return master.ValueKind == JsonValueKind.Array ? master.EnumerateArray().Select(m => m.Str("id")).FirstOrDefault() : null;
    }

    internal static EsNode ReadNode(EsConnection connection, string id, JsonElement n, string? masterId)
    {
        var roles = n.Strings("roles");
        var tiers = roles.Contains("data") ? new[] { "all" } : Tiers.Where(roles.Contains).Select(t => t.Substring(5)).ToArray();
        var versionNumber = n.Str("version") ?? "";
        return new EsNode
        {
            Connection = connection,
            Id = id,
            Name = n.Str("name") ?? id,
            VersionNumber = versionNumber,
            Version = EsVersion.Parse(versionNumber),
            Roles = roles,
            DataTiers = tiers,
            Host = n.Str("host"),
            Ip = n.Str("ip"),
            TransportAddress = n.Str("transport_address"),
            HttpAddress = n.Prop("http")?.Str("publish_address"),
            IsMasterEligible = roles.Contains("master"),
            IsElectedMaster = id == masterId,
            Plugins = n.Array("plugins").Select(p => p.Str("name") ?? "").Where(s => s.Length > 0).ToArray(),
            Attributes = n.Object("attributes").ToDictionary(a => a.Name, a => a.Value.ValueKind == JsonValueKind.String ? a.Value.GetString() ?? "" : a.Value.GetRawText()),
        };
    }

    public static async Task<EsCluster> GetClusterAsync(EsApi api, CancellationToken ct)
    {
        var rootTask = api.GetJsonAsync(EsRequest.Get("/"), ct);
        var healthTask = HealthReader.GetAsync(api, null, HealthLevel.Cluster, ct);
        var nodes = await GetNodesAsync(api, null, ct).ConfigureAwait(false);
        var root = await rootTask.ConfigureAwait(false);
        var health = await healthTask.ConfigureAwait(false);
        var versions = nodes.GroupBy(n => n.Version).OrderBy(g => g.Key).ToList();
        return new EsCluster
        {
            Connection = api.Connection,
            Name = root.Str("cluster_name") ?? health.ClusterName,
            Uuid = root.Str("cluster_uuid") ?? "",
            Status = health.Status,
            NumberOfNodes = health.NumberOfNodes,
            NumberOfDataNodes = health.NumberOfDataNodes,
            NumberOfMasterEligibleNodes = nodes.Count(n => n.IsMasterEligible),
            MinimumVersion = versions.Count > 0 ? versions.First().Key : new Version(0, 0, 0),
            MaximumVersion = versions.Count > 0 ? versions.Last().Key : new Version(0, 0, 0),
            Versions = versions.Select(g => $"{g.First().VersionNumber} ({g.Count()})").ToArray(),
            ElectedMaster = nodes.FirstOrDefault(n => n.IsElectedMaster)?.Name,
        };
    }
}
