using System;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Fixes;

/// <summary>What was done to an ML model snapshot.</summary>
public sealed class ModelSnapshotChange
{
    public EsConnection Connection { get; internal set; } = null!;
    public string JobId { get; internal set; } = "";
    public string SnapshotId { get; internal set; } = "";
    /// <summary>Upgraded, AlreadyUpgraded or Deleted.</summary>
    public string Action { get; internal set; } = "";
    public bool Completed { get; internal set; }
    public override string ToString() => $"{JobId}/{SnapshotId}: {Action}";
}

/// <summary>ML model snapshots older than the previous major: upgraded (7.16+) or deleted.</summary>
public static class ModelSnapshots
{
    static string PathOf(string jobId, string snapshotId) =>
        $"/_ml/anomaly_detectors/{Uri.EscapeDataString(jobId)}/model_snapshots/{Uri.EscapeDataString(snapshotId)}";

    public static async Task<ModelSnapshotChange> UpgradeAsync(EsApi api, string jobId, string snapshotId, bool wait, CancellationToken ct)
    {
        if (api.Connection.Server.Version < new Version(7, 16))
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.ApiNotAvailable,
                $"{api.Connection.Name} runs Elasticsearch {api.Connection.Version}: model snapshots can be upgraded from 7.16 on. Upgrade to 7.17 first, or delete the snapshot.", api.Connection.Name);
        try
        {
            var body = await api.GetJsonAsync(new EsRequest("POST", $"{PathOf(jobId, snapshotId)}/_upgrade?wait_for_completion={(wait ? "true" : "false")}&timeout=30m",
                timeout: TimeSpan.FromMinutes(31)), ct).ConfigureAwait(false);
            return new ModelSnapshotChange { Connection = api.Connection, JobId = jobId, SnapshotId = snapshotId, Action = "Upgraded", Completed = body.Bool("completed") };
        }
        catch (EsServerException ex) when (ex.StatusCode == 400 && (ex.Reason ?? "").Contains("already compatible"))
        {
            // Asked twice (a resumed runbook): the snapshot is what was wanted.
            return new ModelSnapshotChange { Connection = api.Connection, JobId = jobId, SnapshotId = snapshotId, Action = "AlreadyUpgraded", Completed = true };
        }
    }

    public static async Task<ModelSnapshotChange> DeleteAsync(EsApi api, string jobId, string snapshotId, CancellationToken ct)
    {
        await api.SendAsync(new EsRequest("DELETE", PathOf(jobId, snapshotId)), ct).ConfigureAwait(false);
        return new ModelSnapshotChange { Connection = api.Connection, JobId = jobId, SnapshotId = snapshotId, Action = "Deleted", Completed = true };
    }
}
