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
            var snapshots = repos.SelectMany(repo => repo.Snapshots.Select(s => (Repo: repo, Snapshot: s)))
                .Where(x => names is "_all" or "*" || parts.Any(p => Wildcard.Matches(p, x.Snapshot.Name)))
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
            ["uuid"] = ("snap" + Math.Abs(StringComparer.Ordinal.GetHashCode(repo.Name + s.Name)).ToString("D10") + "abcdefgh")[..22],
            ["repository"] = repo.Name,
            ["version_id"] = int.Parse($"{version.Version.Major}{version.Version.Minor:00}{version.Version.Build:00}99"),
            ["version"] = s.Version,
            ["indices"] = s.Indices,
            ["data_streams"] = Array.Empty<string>(),
            ["feature_states"] = Array.Empty<object>(),
            ["include_global_state"] = true,
            ["state"] = s.State,
            ["start_time"] = s.StartTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
            ["start_time_in_millis"] = s.StartTime.ToUnixTimeMilliseconds(),
            ["end_time"] = end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
            ["end_time_in_millis"] = end.ToUnixTimeMilliseconds(),
            ["duration_in_millis"] = (long)s.Duration.TotalMilliseconds,
            ["failures"] = Array.Empty<object>(),
            ["shards"] = new Dictionary<string, object?> { ["total"] = s.Indices.Count, ["failed"] = s.State == "SUCCESS" ? 0 : 1, ["successful"] = s.State == "SUCCESS" ? s.Indices.Count : s.Indices.Count - 1 },
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
}
