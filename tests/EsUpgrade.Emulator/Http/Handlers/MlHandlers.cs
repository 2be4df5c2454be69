using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

public static class MlHandlers
{
    /// <summary>POST _ml/set_upgrade_mode?enabled=true|false → {"acknowledged":true}.</summary>
    public static Task<Reply> SetUpgradeMode(RestRequest r)
    {
        var enabled = r.Q("enabled") ?? "false";
        if (!bool.TryParse(enabled, out var on))
            throw EsError.IllegalArgument($"Failed to parse value [{enabled}] as only [true] or [false] are allowed.");
        r.Cluster.SetMlUpgradeMode(on);
        return Task.FromResult(Reply.Acknowledged());
    }

    public static Task<Reply> Info(RestRequest r)
    {
        lock (r.Cluster.Sync)
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?>
            {
                ["defaults"] = new Dictionary<string, object?> { ["anomaly_detectors"] = new Dictionary<string, object?>(), ["datafeeds"] = new Dictionary<string, object?>() },
                ["upgrade_mode"] = r.Cluster.MlUpgradeMode,
                ["native_code"] = new Dictionary<string, object?> { ["version"] = r.Node.Profile.Number, ["build_hash"] = r.Node.Profile.BuildHash[..12] },
                ["limits"] = new Dictionary<string, object?>(),
            }));
    }

    /// <summary>GET _ml/anomaly_detectors[/{job_id}]: {"count", "jobs"}; a missing full id is 404.</summary>
    public static Task<Reply> Jobs(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var jobs = SelectJobs(r.Cluster, r.Param("job_id"));
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?>
            {
                ["count"] = jobs.Count,
                ["jobs"] = jobs.Select(j => new Dictionary<string, object?>
                {
                    ["job_id"] = j.JobId,
                    ["job_type"] = "anomaly_detector",
                    ["job_version"] = j.Snapshots.Select(s => s.MinVersion).DefaultIfEmpty(r.Node.Profile.Number).Min(),
                    ["create_time"] = 1609459200000L,
                    ["analysis_config"] = new Dictionary<string, object?> { ["bucket_span"] = "15m", ["detectors"] = new[] { new Dictionary<string, object?> { ["function"] = "count", ["detector_index"] = 0 } } },
                    ["data_description"] = new Dictionary<string, object?> { ["time_field"] = "timestamp", ["time_format"] = "epoch_ms" },
                    ["model_snapshot_id"] = j.Snapshots.LastOrDefault()?.SnapshotId,
                    ["results_index_name"] = "shared",
                    ["allow_lazy_open"] = false,
                }).ToList(),
            }));
        }
    }

    /// <summary>GET _ml/anomaly_detectors/{job_id}/model_snapshots[/{snapshot_id}]: {"count", "model_snapshots"}, sorted by timestamp or ?sort.</summary>
    public static Task<Reply> ModelSnapshots(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var jobs = SelectJobs(r.Cluster, r.Param("job_id"));
            var id = r.Param("snapshot_id");
            var snapshots = jobs.SelectMany(j => j.Snapshots.Select(s => (Job: j.JobId, Snapshot: s)))
                .Where(s => id is null or "*" or "_all" || Wildcard.Matches(id, s.Snapshot.SnapshotId)).ToList();
            snapshots = r.Q("sort") == "min_version"
                ? snapshots.OrderBy(s => Version.Parse(s.Snapshot.MinVersion)).ToList()
                : snapshots.OrderBy(s => s.Snapshot.LatestRecordTime).ToList();
            if (r.Flag("desc")) snapshots.Reverse();
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?>
            {
                ["count"] = snapshots.Count,
                ["model_snapshots"] = snapshots.Select(s => new Dictionary<string, object?>
                {
                    ["job_id"] = s.Job,
                    ["min_version"] = s.Snapshot.MinVersion,
                    ["timestamp"] = s.Snapshot.LatestRecordTime.ToUnixTimeMilliseconds(),
                    ["description"] = $"State persisted due to job close at {s.Snapshot.LatestRecordTime.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}",
                    ["snapshot_id"] = s.Snapshot.SnapshotId,
                    ["snapshot_doc_count"] = 1,
                    ["model_size_stats"] = new Dictionary<string, object?> { ["job_id"] = s.Job, ["result_type"] = "model_size_stats", ["model_bytes"] = 51722 },
                    ["latest_record_time_stamp"] = s.Snapshot.LatestRecordTime.ToUnixTimeMilliseconds(),
                    ["latest_result_time_stamp"] = s.Snapshot.LatestRecordTime.ToUnixTimeMilliseconds(),
                    ["retain"] = false,
                }).ToList(),
            }));
        }
    }

    static List<MlJobSpec> SelectJobs(EmulatedCluster cluster, string? ids)
    {
        var all = cluster.MlJobs.OrderBy(j => j.JobId, StringComparer.Ordinal).ToList();
        if (ids is null or "*" or "_all") return all;
        var parts = ids.Split(',');
        foreach (var p in parts.Where(p => !Wildcard.IsPattern(p) && all.All(j => j.JobId != p)))
            throw new EsError(404, "resource_not_found_exception", $"No known job with id '{p}'");
        return all.Where(j => parts.Any(p => Wildcard.Matches(p, j.JobId))).ToList();
    }

    static (MlJobSpec Job, ModelSnapshotSpec Snapshot) FindSnapshot(RestRequest r)
    {
        var job = SelectJobs(r.Cluster, r.Param("job_id")).FirstOrDefault() ?? throw new EsError(404, "resource_not_found_exception", $"No known job with id '{r.Param("job_id")}'");
        var id = r.Param("snapshot_id")!;
        var snapshot = job.Snapshots.FirstOrDefault(s => s.SnapshotId == id)
            ?? throw new EsError(404, "resource_not_found_exception", $"No model snapshot with id [{id}] exists for job [{job.JobId}]");
        return (job, snapshot);
    }

    /// <summary>
    /// POST _ml/anomaly_detectors/{job}/model_snapshots/{id}/_upgrade (7.16+): rewrites the snapshot for the running
    /// major; one already of this major is refused. The emulator upgrades at once and answers completed.
    /// </summary>
    public static Task<Reply> UpgradeSnapshot(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var (job, snapshot) = FindSnapshot(r);
            var current = r.Node.Profile;
            if (Version.Parse(snapshot.MinVersion).Major >= current.Major)
                throw EsError.IllegalArgument($"Cannot upgrade snapshot [{snapshot.SnapshotId}] for job [{job.JobId}] as it is already compatible with current major version {current.Major}");
            snapshot.MinVersion = current.Number;
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?> { ["node"] = r.Node.Id, ["completed"] = true }));
        }
    }

    /// <summary>DELETE _ml/anomaly_detectors/{job}/model_snapshots/{id}: the job's active (newest) snapshot cannot be deleted.</summary>
    public static Task<Reply> DeleteSnapshot(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var (job, snapshot) = FindSnapshot(r);
            if (ReferenceEquals(job.Snapshots[^1], snapshot))
                throw EsError.IllegalArgument($"Model snapshot '{snapshot.SnapshotId}' is the active snapshot for job '{job.JobId}', so cannot be deleted");
            job.Snapshots.Remove(snapshot);
            return Task.FromResult(Reply.Acknowledged());
        }
    }
}
