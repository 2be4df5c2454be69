using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using EsUpgrade.Connections;
using EsUpgrade.Json;

namespace EsUpgrade.Health;

public enum HealthLevel { Cluster, Indices, Shards }

/// <summary>Elasticsearch's health colours, best first.</summary>
public enum HealthStatus { Green, Yellow, Red }

public static class HealthStatuses
{
    /// <summary>Elasticsearch's word ("green", "yellow", "red") as the enum; null for anything else (a closed index in _cat has none).</summary>
    public static HealthStatus? Parse(string? text) => text?.ToLowerInvariant() switch
    {
        "green" => HealthStatus.Green,
        "yellow" => HealthStatus.Yellow,
        "red" => HealthStatus.Red,
        _ => (HealthStatus?)null,
    };
}

/// <summary><c>GET _cluster/health</c>, in the names Elasticsearch uses.</summary>
public sealed class EsClusterHealth
{
    public EsConnection Connection { get; internal set; } = null!;
    public string ClusterName { get; internal set; } = "";
    public HealthStatus Status { get; internal set; }
    public bool TimedOut { get; internal set; }
    public int NumberOfNodes { get; internal set; }
    public int NumberOfDataNodes { get; internal set; }
    public int ActivePrimaryShards { get; internal set; }
    public int ActiveShards { get; internal set; }
    public int RelocatingShards { get; internal set; }
    public int InitializingShards { get; internal set; }
    public int UnassignedShards { get; internal set; }
    public int DelayedUnassignedShards { get; internal set; }
    public int NumberOfPendingTasks { get; internal set; }
    public int NumberOfInFlightFetch { get; internal set; }
    public long TaskMaxWaitingInQueueMillis { get; internal set; }
    public double ActiveShardsPercent { get; internal set; }
    public IReadOnlyList<EsIndexHealth> Indices { get; internal set; } = Array.Empty<EsIndexHealth>();

    public override string ToString() => $"{ClusterName}: {Status}";

    internal static EsClusterHealth Read(EsConnection connection, JsonElement h) => new EsClusterHealth
    {
        Connection = connection,
        ClusterName = h.Str("cluster_name") ?? "",
        Status = HealthStatuses.Parse(h.Str("status")) ?? HealthStatus.Red,
        TimedOut = h.Bool("timed_out"),
        NumberOfNodes = h.Int("number_of_nodes"),
        NumberOfDataNodes = h.Int("number_of_data_nodes"),
        ActivePrimaryShards = h.Int("active_primary_shards"),
        ActiveShards = h.Int("active_shards"),
        RelocatingShards = h.Int("relocating_shards"),
        InitializingShards = h.Int("initializing_shards"),
        UnassignedShards = h.Int("unassigned_shards"),
        DelayedUnassignedShards = h.Int("delayed_unassigned_shards"),
        NumberOfPendingTasks = h.Int("number_of_pending_tasks"),
        NumberOfInFlightFetch = h.Int("number_of_in_flight_fetch"),
        TaskMaxWaitingInQueueMillis = h.Long("task_max_waiting_in_queue_millis"),
        ActiveShardsPercent = h.Double("active_shards_percent_as_number"),
        Indices = h.Object("indices").Select(i => EsIndexHealth.Read(i.Name, i.Value)).ToList(),
    };
}

public sealed class EsIndexHealth
{
    public string Index { get; internal set; } = "";
    public HealthStatus Status { get; internal set; }
    public int NumberOfShards { get; internal set; }
    public int NumberOfReplicas { get; internal set; }
    public int ActivePrimaryShards { get; internal set; }
    public int ActiveShards { get; internal set; }
    public int RelocatingShards { get; internal set; }
    public int InitializingShards { get; internal set; }
    public int UnassignedShards { get; internal set; }
    public override string ToString() => $"{Index}: {Status}";

    internal static EsIndexHealth Read(string name, JsonElement i) => new EsIndexHealth
    {
        Index = name,
        Status = HealthStatuses.Parse(i.Str("status")) ?? HealthStatus.Red,
        NumberOfShards = i.Int("number_of_shards"),
        NumberOfReplicas = i.Int("number_of_replicas"),
        ActivePrimaryShards = i.Int("active_primary_shards"),
        ActiveShards = i.Int("active_shards"),
        RelocatingShards = i.Int("relocating_shards"),
        InitializingShards = i.Int("initializing_shards"),
        UnassignedShards = i.Int("unassigned_shards"),
    };
}

/// <summary>What <c>Wait-EsClusterHealth</c> waits for; each maps to one of Elasticsearch's <c>wait_for_*</c> parameters.</summary>
public sealed class HealthCondition
{
    public HealthStatus? Status { get; set; }
    public bool NoInitializingShards { get; set; }
    public bool NoRelocatingShards { get; set; }
    /// <summary>Elasticsearch's <c>wait_for_nodes</c> syntax: <c>3</c>, <c>&gt;=3</c>, <c>ge(3)</c>, ...</summary>
    public string? NodeCount { get; set; }
    public string? Index { get; set; }

    public override string ToString()
    {
        var parts = new List<string>();
        if (Status != null) parts.Add($"status {Status.ToString()!.ToLowerInvariant()} or better");
        if (NodeCount != null) parts.Add($"nodes {NodeCount}");
        if (NoInitializingShards) parts.Add("no initializing shards");
        if (NoRelocatingShards) parts.Add("no relocating shards");
        return parts.Count == 0 ? "any answer" : string.Join(", ", parts);
    }
}
