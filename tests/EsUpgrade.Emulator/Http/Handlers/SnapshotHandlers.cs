using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

/// <summary>Snapshot repository and snapshot listings (BEHAVIOUR.md §6 for the errors).</summary>
public static class SnapshotHandlers
{
    /// <summary>GET _snapshot[/{repository}]: an object keyed by repository; a missing full name is 404 repository_missing_exception.</summary>
    public static Task<Reply> GetRepositories(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var names = r.Param("repository");
            var repos = Select(r.Cluster, names);
            return Task.FromResult(Reply.Ok(repos.ToDictionary(x => x.Name, x => (object?)new Dictionary<string, object?>
            {
                ["type"] = x.Type,
                ["uuid"] = "repo" + Math.Abs(StringComparer.Ordinal.GetHashCode(x.Name)).ToString("D10") + "abcdefgh",
                ["settings"] = RepositorySettings(x),
            })));
        }
    }

    /// <summary>GET _snapshot/{repository}/{snapshot}: {"snapshots": [...], "total", "remaining"} (8.x; 7.17 has no total/remaining).</summary>
    public static Task<Reply> GetSnapshots(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var repos = Select(r.Cluster, r.Param("repository"));
            var names = r.Param("snapshot")!;
            var parts = names.Split(',');
            var snapshots = repos.SelectMany(repo => r.Cluster.SnapshotsOf(repo).Select(s => (Repo: repo, Snapshot: s)))
                .Where(x => names is "_all" or "*" || parts.Any(p => p == "_current" ? x.Snapshot.State == "IN_PROGRESS" : Wildcard.Matches(p, x.Snapshot.Name)))
                .OrderBy(x => x.Snapshot.StartTime).ToList();
            foreach (var p in parts.Where(p => p is not ("_all" or "*" or "_current") && !Wildcard.IsPattern(p)))
                if (repos.Count == 1 && snapshots.All(x => x.Snapshot.Name != p))
                    throw new EsError(404, "snapshot_missing_exception", $"[{repos[0].Name}:{p}] is missing");
            var body = new Dictionary<string, object?>
            {
                ["snapshots"] = snapshots.Select(x => Snapshot(x.Repo, x.Snapshot)).ToList(),
            };
            if (r.Node.Profile.Is8)
            {
                body["total"] = snapshots.Count;
                body["remaining"] = 0;
            }
            return Task.FromResult(Reply.Ok(body));
        }
    }

    static Dictionary<string, object?> Snapshot(RepositorySpec repo, SnapshotSpec s)
    {
        var end = s.StartTime + s.Duration;
        var version = new VersionProfile(s.Version);
        return new Dictionary<string, object?>
        {
            ["snapshot"] = s.Name,
            ["uuid"] = s.Uuid,
            ["repository"] = repo.Name,
            ["version_id"] = int.Parse($"{version.Version.Major}{version.Version.Minor:00}{version.Version.Build:00}99"),
            ["version"] = s.Version,
            ["indices"] = s.Indices,
            ["data_streams"] = Array.Empty<string>(),
            ["feature_states"] = s.FeatureStates.Select(f => (object?)new Dictionary<string, object?>
            {
                ["feature_name"] = f, ["indices"] = s.Indices.Where(i => EmulatedCluster.FeatureOfIndex(i) == f).ToList(),
            }).ToList(),
            ["include_global_state"] = s.IncludeGlobalState,
            ["state"] = s.State,
            ["start_time"] = s.StartTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
            ["start_time_in_millis"] = s.StartTime.ToUnixTimeMilliseconds(),
            ["end_time"] = end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
            ["end_time_in_millis"] = end.ToUnixTimeMilliseconds(),
            ["duration_in_millis"] = (long)s.Duration.TotalMilliseconds,
            ["failures"] = s.Failures.Select(f => (object?)new Dictionary<string, object?>
            {
                ["index"] = f.Split('[')[0], ["shard_id"] = int.TryParse(f.Split('[', ']')[1], out var id) ? id : 0, ["reason"] = f.Split(": ", 2).Last(), ["status"] = "INTERNAL_SERVER_ERROR",
            }).ToList(),
            ["shards"] = ShardCounts(s),
        };
    }

    static List<RepositorySpec> Select(EmulatedCluster cluster, string? names)
    {
        var all = cluster.Repositories.OrderBy(x => x.Name, StringComparer.Ordinal).ToList();
        if (names is null or "_all" or "*") return all;
        var parts = names.Split(',');
        foreach (var p in parts.Where(p => !Wildcard.IsPattern(p) && all.All(x => x.Name != p)))
            throw new EsError(404, "repository_missing_exception", $"[{p}] missing");
        return all.Where(x => parts.Any(p => Wildcard.Matches(p, x.Name))).ToList();
    }

    static Dictionary<string, object?> RepositorySettings(RepositorySpec x)
    {
        var settings = new Dictionary<string, object?> { [x.Type == "url" ? "url" : "location"] = x.Location };
        if (x.ReadOnly) settings["readonly"] = "true";
        if (x.Compress) settings["compress"] = "true";
        return settings;
    }

    /// <summary>PUT|POST _snapshot/{repository}: {"type", "settings": {"location", "readonly", "compress"}}; verify=false skips the check.</summary>
    public static Task<Reply> PutRepository(RestRequest r)
    {
        var name = r.Param("repository")!;
        var body = r.JsonBody() ?? throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: type is missing;");
        var type = body["type"]?.GetValue<string>() ?? throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: type is missing;");
        var settings = body["settings"] as System.Text.Json.Nodes.JsonObject;
        string? Setting(string key) => settings?[key]?.ToString();
        var location = Setting(type == "url" ? "url" : "location")
            ?? throw new EsError(500, "repository_exception", $"[{name}] failed to create repository", new EsError(500, "repository_exception", $"[{name}] missing location"));
        r.Cluster.RegisterRepository(new RepositorySpec
        {
            Name = name, Type = type, Location = location, ReadOnly = type == "url" || Setting("readonly") == "true", Compress = Setting("compress") == "true",
        });
        return Task.FromResult(Reply.Acknowledged());
    }

    public static Task<Reply> DeleteRepository(RestRequest r)
    {
        r.Cluster.UnregisterRepository(r.Param("repository")!);
        return Task.FromResult(Reply.Acknowledged());
    }

    /// <summary>POST _snapshot/{repository}/_verify: each data and master node writes and reads a test blob; {"nodes": {id: {"name"}}}.</summary>
    public static Task<Reply> VerifyRepository(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var repo = Select(r.Cluster, r.Param("repository")).Single();
            if (repo.Type == "fs" && !repo.ReadOnly && !Directory.Exists(repo.Location))
                throw new EsError(500, "repository_verification_exception", $"[{repo.Name}] [{repo.Location}] is not accessible on master node");
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?>
            {
                ["nodes"] = r.Cluster.RunningNodes.Where(n => n.IsDataNode || n.IsMasterEligible)
                    .ToDictionary(n => n.Id, n => (object?)new Dictionary<string, object?> { ["name"] = n.Name }),
            }));
        }
    }

    static Dictionary<string, object?> ShardCounts(SnapshotSpec s)
    {
        var total = s.ShardsTotal > 0 ? s.ShardsTotal : s.Indices.Count;
        var failed = s.State is "SUCCESS" or "IN_PROGRESS" ? 0 : Math.Max(s.Failures.Count, s.State == "FAILED" ? total : 1);
        return new Dictionary<string, object?> { ["total"] = total, ["failed"] = failed, ["successful"] = s.State == "IN_PROGRESS" ? 0 : total - failed };
    }

    /// <summary>
    /// PUT|POST _snapshot/{repository}/{snapshot}: {"indices", "include_global_state", "partial"}; wait_for_completion answers
    /// {"snapshot": {...}} once it ended, else {"accepted": true} at once.
    /// </summary>
    public static async Task<Reply> CreateSnapshot(RestRequest r)
    {
        var body = r.JsonBody();
        var indices = Strings(body?["indices"]) is { } list ? string.Join(",", list) : null;
        RepositorySpec repo;
        lock (r.Cluster.Sync) repo = Select(r.Cluster, r.Param("repository")).Single();
        var snapshot = r.Cluster.CreateSnapshot(repo, r.Param("snapshot")!, indices,
            body?["include_global_state"]?.GetValue<bool>() ?? true, body?["partial"]?.GetValue<bool>() ?? false, Strings(body?["feature_states"]));
        if (!r.Flag("wait_for_completion"))
            return Reply.Ok(new Dictionary<string, object?> { ["accepted"] = true });
        await r.Cluster.WaitUntilAsync(() => snapshot.State != "IN_PROGRESS", TimeSpan.FromHours(1), r.Aborted);
        lock (r.Cluster.Sync) return Reply.Ok(new Dictionary<string, object?> { ["snapshot"] = Snapshot(repo, snapshot) });
    }

    public static Task<Reply> DeleteSnapshot(RestRequest r)
    {
        RepositorySpec repo;
        lock (r.Cluster.Sync) repo = Select(r.Cluster, r.Param("repository")).Single();
        foreach (var name in r.Param("snapshot")!.Split(',')) r.Cluster.DeleteSnapshot(repo, name);
        return Task.FromResult(Reply.Acknowledged());
    }

    /// <summary>A string or an array of strings (Elasticsearch takes both for indices and feature_states).</summary>
    static List<string>? Strings(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonArray a => a.Select(x => x!.GetValue<string>()).ToList(),
        System.Text.Json.Nodes.JsonValue v => v.GetValue<string>().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
        _ => null,
    };

    /// <summary>
    /// POST _snapshot/{repository}/{snapshot}/_restore: {"indices", "rename_pattern", "rename_replacement", "index_settings",
    /// "ignore_index_settings", "include_aliases", "include_global_state", "feature_states", "partial"}; wait_for_completion
    /// answers {"snapshot": {"snapshot", "indices", "shards"}} once every primary recovered, else {"accepted": true}.
    /// </summary>
    public static async Task<Reply> Restore(RestRequest r)
    {
        var body = r.JsonBody();
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (body?["index_settings"] is System.Text.Json.Nodes.JsonObject o)
            foreach (var (k, v) in SettingsJson.Flatten(o)) settings[k] = v;
        var request = new RestoreRequest
        {
            Indices = Strings(body?["indices"]) is { } list ? string.Join(",", list) : null,
            RenamePattern = body?["rename_pattern"]?.GetValue<string>(),
            RenameReplacement = body?["rename_replacement"]?.GetValue<string>(),
            IndexSettings = settings,
            IgnoreIndexSettings = Strings(body?["ignore_index_settings"]) ?? new List<string>(),
            IncludeAliases = body?["include_aliases"]?.GetValue<bool>() ?? true,
            IncludeGlobalState = body?["include_global_state"]?.GetValue<bool>() ?? false,
            FeatureStates = Strings(body?["feature_states"]),
            Partial = body?["partial"]?.GetValue<bool>() ?? false,
        };
        RepositorySpec repo;
        lock (r.Cluster.Sync) repo = Select(r.Cluster, r.Param("repository")).Single();
        var name = r.Param("snapshot")!;
        var restored = r.Cluster.RestoreSnapshot(repo, name, request);
        if (!r.Flag("wait_for_completion"))
            return Reply.Ok(new Dictionary<string, object?> { ["accepted"] = true });
        await r.Cluster.WaitUntilAsync(() => r.Cluster.RestoreDone(restored), TimeSpan.FromHours(1), r.Aborted);
        var shards = restored.Sum(i => i.NumberOfShards);
        return Reply.Ok(new Dictionary<string, object?>
        {
            ["snapshot"] = new Dictionary<string, object?>
            {
                ["snapshot"] = name, ["indices"] = restored.Select(i => i.Name).ToList(),
                ["shards"] = new Dictionary<string, object?> { ["total"] = shards, ["failed"] = 0, ["successful"] = shards },
            },
        });
    }

    /// <summary>
    /// GET _snapshot/{repository}/{snapshot}/_status: per snapshot, index and shard the stage (INIT, STARTED, DONE, FAILURE)
    /// and bytes copied; a running snapshot's shards are done in turn over its duration.
    /// </summary>
    public static Task<Reply> Status(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var repo = Select(r.Cluster, r.Param("repository")).Single();
            var now = r.Cluster.Clock.UtcNow;
            var all = r.Cluster.SnapshotsOf(repo);
            var result = new List<object?>();
            foreach (var name in r.Param("snapshot")!.Split(','))
            {
                var s = all.FirstOrDefault(x => x.Name == name) ?? throw new EsError(404, "snapshot_missing_exception", $"[{repo.Name}:{name}] is missing");
                var shards = s.IndexMetadata.SelectMany(i => Enumerable.Range(0, i.Shards).Select(n => (Index: i, Shard: n))).ToList();
                var fraction = s.State != "IN_PROGRESS" || s.Duration <= TimeSpan.Zero ? 1.0 : Math.Clamp((now - s.StartTime) / s.Duration, 0, 1);
                var doneCount = (int)Math.Floor(fraction * shards.Count);
                var perShard = shards.Select((x, n) =>
                {
                    var size = x.Index.Documents * 1024 / Math.Max(1, x.Index.Shards);
                    var failed = s.Failures.Any(f => f.StartsWith($"{x.Index.Name}[{x.Shard}]", StringComparison.Ordinal));
                    var stage = failed ? "FAILURE" : n < doneCount ? "DONE" : s.State == "IN_PROGRESS" ? (n == doneCount ? "STARTED" : "INIT") : "DONE";
                    var copied = stage == "DONE" ? size : stage == "STARTED" ? (long)(size * (fraction * shards.Count - doneCount)) : 0;
                    return (x.Index.Name, x.Shard, Stage: stage, Size: size, Copied: copied);
                }).ToList();
                Dictionary<string, object?> Counts(IEnumerable<(string Name, int Shard, string Stage, long Size, long Copied)> xs)
                {
                    var list = xs.ToList();
                    return new Dictionary<string, object?>
                    {
                        ["initializing"] = list.Count(x => x.Stage == "INIT"), ["started"] = list.Count(x => x.Stage == "STARTED"), ["finalizing"] = 0,
                        ["done"] = list.Count(x => x.Stage == "DONE"), ["failed"] = list.Count(x => x.Stage == "FAILURE"), ["total"] = list.Count,
                    };
                }
                // "processed" is written only while it differs from "incremental" (SnapshotStats.toXContent): a running copy.
                Dictionary<string, object?> Stats(IEnumerable<(string Name, int Shard, string Stage, long Size, long Copied)> xs)
                {
                    var stats = StatsBody(xs);
                    if (xs.Sum(x => x.Copied) != xs.Sum(x => x.Size))
                        stats["processed"] = new Dictionary<string, object?> { ["file_count"] = xs.Count(x => x.Stage == "DONE") * 3, ["size_in_bytes"] = xs.Sum(x => x.Copied) };
                    return stats;
                }
                Dictionary<string, object?> StatsBody(IEnumerable<(string Name, int Shard, string Stage, long Size, long Copied)> xs) => new()
                {
                    ["incremental"] = new Dictionary<string, object?> { ["file_count"] = xs.Count() * 3, ["size_in_bytes"] = xs.Sum(x => x.Size) },
                    ["total"] = new Dictionary<string, object?> { ["file_count"] = xs.Count() * 3, ["size_in_bytes"] = xs.Sum(x => x.Size) },
                    ["start_time_in_millis"] = s.StartTime.ToUnixTimeMilliseconds(),
                    ["time_in_millis"] = (long)(s.State == "IN_PROGRESS" ? now - s.StartTime : s.Duration).TotalMilliseconds,
                };
                result.Add(new Dictionary<string, object?>
                {
                    ["snapshot"] = s.Name, ["repository"] = repo.Name, ["uuid"] = s.Uuid, ["state"] = s.State switch { "IN_PROGRESS" => "STARTED", "PARTIAL" => "SUCCESS", var other => other },    // _status has no PARTIAL: the shards say
                    ["include_global_state"] = s.IncludeGlobalState, ["shards_stats"] = Counts(perShard), ["stats"] = Stats(perShard),
                    ["indices"] = perShard.GroupBy(x => x.Name).ToDictionary(g => g.Key, g => (object?)new Dictionary<string, object?>
                    {
                        ["shards_stats"] = Counts(g), ["stats"] = Stats(g),
                        ["shards"] = g.ToDictionary(x => x.Shard.ToString(), x => (object?)new Dictionary<string, object?> { ["stage"] = x.Stage, ["stats"] = Stats(new[] { x }) }),
                    }),
                });
            }
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?> { ["snapshots"] = result }));
        }
    }
}
