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

namespace EsUpgrade.Monitoring;

/// <summary>The cluster as _cluster/stats sums it up: the guide's "stats APIs" after an upgrade.</summary>
public sealed class EsClusterStats
{
    public EsConnection Connection { get; internal set; } = null!;
    public string ClusterName { get; internal set; } = "";
    public HealthStatus? Status { get; internal set; }
    public int Nodes { get; internal set; }
    public int DataNodes { get; internal set; }
    public int MasterNodes { get; internal set; }
    public IReadOnlyList<string> Versions { get; internal set; } = Array.Empty<string>();
    public int Indices { get; internal set; }
    public int Shards { get; internal set; }
    public int PrimaryShards { get; internal set; }
    public long Documents { get; internal set; }
    public long StoreBytes { get; internal set; }
    public long HeapUsedBytes { get; internal set; }
    public long HeapMaxBytes { get; internal set; }
    public long DiskTotalBytes { get; internal set; }
    public long DiskAvailableBytes { get; internal set; }
    public double? HeapUsedPercent => HeapMaxBytes > 0 ? Math.Round(100.0 * HeapUsedBytes / HeapMaxBytes, 1) : (double?)null;
    public double? DiskUsedPercent => DiskTotalBytes > 0 ? Math.Round(100.0 * (DiskTotalBytes - DiskAvailableBytes) / DiskTotalBytes, 1) : (double?)null;
    public override string ToString() => $"{ClusterName}: {Status}, {Nodes} nodes ({string.Join(", ", Versions)}), {Indices} indices, {Documents} documents";
}

/// <summary>One node as _nodes/stats shows it: heap, CPU, load, disk, open HTTP connections, documents.</summary>
public sealed class EsNodeStats
{
    public EsConnection Connection { get; internal set; } = null!;
    public string Name { get; internal set; } = "";
    public string Id { get; internal set; } = "";
    public IReadOnlyList<string> Roles { get; internal set; } = Array.Empty<string>();
    public int? HeapUsedPercent { get; internal set; }
    public long? HeapMaxBytes { get; internal set; }
    public int? CpuPercent { get; internal set; }
    public double? LoadAverage1m { get; internal set; }
    public long? DiskTotalBytes { get; internal set; }
    public long? DiskAvailableBytes { get; internal set; }
    public double? DiskUsedPercent => DiskTotalBytes > 0 && DiskAvailableBytes != null ? Math.Round(100.0 * (DiskTotalBytes.Value - DiskAvailableBytes.Value) / DiskTotalBytes.Value, 1) : (double?)null;
    public int? HttpOpen { get; internal set; }
    public long? OpenFileDescriptors { get; internal set; }
    public long? Documents { get; internal set; }
    public long? StoreBytes { get; internal set; }
    public override string ToString() => Name;
}

public static class StatsReader
{
    public static async Task<EsClusterStats> GetClusterAsync(EsApi api, CancellationToken ct)
    {
        var body = await api.GetJsonAsync(EsRequest.Get("/_cluster/stats"), ct).ConfigureAwait(false);
        var indices = body.Prop("indices");
        var nodes = body.Prop("nodes");
        return new EsClusterStats
        {
            Connection = api.Connection, ClusterName = body.Str("cluster_name") ?? api.Connection.ClusterName, Status = HealthStatuses.Parse(body.Str("status")),
            Nodes = nodes?.Prop("count")?.Int("total") ?? 0, DataNodes = nodes?.Prop("count")?.Int("data") ?? 0, MasterNodes = nodes?.Prop("count")?.Int("master") ?? 0,
            Versions = nodes?.Strings("versions") ?? Array.Empty<string>(),
            Indices = indices?.Int("count") ?? 0, Shards = indices?.Prop("shards")?.Int("total") ?? 0, PrimaryShards = indices?.Prop("shards")?.Int("primaries") ?? 0,
            Documents = indices?.Prop("docs")?.Long("count") ?? 0, StoreBytes = indices?.Prop("store")?.Long("size_in_bytes") ?? 0,
            HeapUsedBytes = nodes?.Prop("jvm")?.Prop("mem")?.Long("heap_used_in_bytes") ?? 0, HeapMaxBytes = nodes?.Prop("jvm")?.Prop("mem")?.Long("heap_max_in_bytes") ?? 0,
            DiskTotalBytes = nodes?.Prop("fs")?.Long("total_in_bytes") ?? 0, DiskAvailableBytes = nodes?.Prop("fs")?.Long("available_in_bytes") ?? 0,
        };
    }

    /// <summary>The nodes the names give (wildcards; all when null); each full name that matches none is a NodeNotFound.</summary>
    public static async Task<Lookup<IReadOnlyList<EsNodeStats>>> FindNodesAsync(EsApi api, IReadOnlyList<string>? names, CancellationToken ct)
    {
        var body = await api.GetJsonAsync(EsRequest.Get("/_nodes/stats/jvm,os,process,fs,http,indices"), ct).ConfigureAwait(false);
        var all = body.Object("nodes").Select(n => Read(api.Connection, n.Name, n.Value)).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var found = all.Where(n => names is null || names.Any(x => Names.Like(x, n.Name))).ToList();
        var missing = Names.Unmatched(names, x => all.Any(n => Names.Like(x, n.Name)))
            .Select(x => new EsException(EsErrorKind.NotFound, ErrorIds.NodeNotFound, $"There is no node named '{x}' in {api.Connection.Name}.", x)).ToList();
        return new Lookup<IReadOnlyList<EsNodeStats>>(found, missing);
    }

    /// <summary>A number, or null when it is missing or not a number (a node that does not report it).</summary>
    static long? N(JsonElement? parent, string name) =>
        parent?.Prop(name) is JsonElement v && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var x) ? x : (long?)null;

    static EsNodeStats Read(EsConnection connection, string id, JsonElement n)
    {
        var fs = n.Prop("fs")?.Prop("total");
        return new EsNodeStats
        {
            Connection = connection, Id = id, Name = n.Str("name") ?? id, Roles = n.Strings("roles"),
            HeapUsedPercent = (int?)N(n.Prop("jvm")?.Prop("mem"), "heap_used_percent"),
            HeapMaxBytes = N(n.Prop("jvm")?.Prop("mem"), "heap_max_in_bytes"),
            CpuPercent = (int?)N(n.Prop("os")?.Prop("cpu"), "percent"),
            LoadAverage1m = n.Prop("os")?.Prop("cpu")?.Prop("load_average")?.Prop("1m") is JsonElement l && l.ValueKind == JsonValueKind.Number ? l.GetDouble() : (double?)null,
            DiskTotalBytes = N(fs, "total_in_bytes"), DiskAvailableBytes = N(fs, "available_in_bytes"),
            HttpOpen = (int?)N(n.Prop("http"), "current_open"),
            OpenFileDescriptors = N(n.Prop("process"), "open_file_descriptors"),
            Documents = N(n.Prop("indices")?.Prop("docs"), "count"),
            StoreBytes = N(n.Prop("indices")?.Prop("store"), "size_in_bytes"),
        };
    }
}
