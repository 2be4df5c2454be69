using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;
using EsUpgrade.Errors;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Snapshots;

/// <summary>A snapshot in a repository.</summary>
public sealed class EsSnapshot
{
    public EsConnection Connection { get; internal set; } = null!;
    public string Repository { get; internal set; } = "";
    public string Name { get; internal set; } = "";
    public string Uuid { get; internal set; } = "";
    /// <summary>IN_PROGRESS, SUCCESS, PARTIAL, FAILED or INCOMPATIBLE.</summary>
    public string State { get; internal set; } = "";
    /// <summary>The version that took it: a cluster restores only from its own major or the one before.</summary>
    public string Version { get; internal set; } = "";
    public IReadOnlyList<string> Indices { get; internal set; } = Array.Empty<string>();
    /// <summary>The system features whose indices it holds (7.12+): feature name → its system indices.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> FeatureStates { get; internal set; } = new Dictionary<string, IReadOnlyList<string>>();
    public bool IncludeGlobalState { get; internal set; }
    public DateTimeOffset? Start { get; internal set; }
    public DateTimeOffset? End { get; internal set; }
    public int ShardsTotal { get; internal set; }
    public int ShardsFailed { get; internal set; }
    /// <summary>The shards that failed, as "index[shard]: reason".</summary>
    public IReadOnlyList<string> Failures { get; internal set; } = Array.Empty<string>();
    public bool IsSuccess => State == "SUCCESS";
    public override string ToString() => $"{Repository}/{Name}: {State}";
}

/// <summary>Snapshots: take, list, wait for, delete. PARTIAL and FAILED are never reported as success.</summary>
public static class Snapshots
{
    public const int ProgressActivityId = 4400;

    /// <summary>A snapshot name for now: lowercase and sortable, as Elasticsearch requires names to be lowercase.</summary>
    public static string DatedName(DateTimeOffset now) => "esupgrade-" + now.UtcDateTime.ToString("yyyy.MM.dd-HHmmss-fff", CultureInfo.InvariantCulture);

    /// <summary>The repository that holds a snapshot of that name, when none was given: exactly one, else an error.</summary>
    public static async Task<string> RepositoryOfAsync(EsApi api, string? repository, string name, CancellationToken ct)
    {
        if (repository != null) return repository;
        var lookup = await FindAsync(api, null, new[] { name }, ct).ConfigureAwait(false);
        if (lookup.Missing.Count > 0) throw lookup.Missing[0];
        var holders = lookup.Found.Select(s => s.Repository).Distinct().ToList();
        return holders.Count == 1 ? holders[0]
            : throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.SnapshotNotFound,
                $"Snapshot '{name}' is in several repositories ({string.Join(", ", holders)}): give -Repository.", name);
    }

    /// <summary>The snapshots the names give in a repository (all repositories when null); each full name that matches none is a SnapshotNotFound.</summary>
    public static async Task<Lookup<IReadOnlyList<EsSnapshot>>> FindAsync(EsApi api, string? repository, IReadOnlyList<string>? names, CancellationToken ct)
    {
        var repositories = repository != null ? new[] { repository }
            : (await SnapshotRepositories.GetAsync(api, ct).ConfigureAwait(false)).Select(r => r.Name).ToArray();
        var all = new List<EsSnapshot>();
        foreach (var repo in repositories)
        {
            JsonElement body;
            try
            {
                body = await api.GetJsonAsync(EsRequest.Get($"/_snapshot/{Uri.EscapeDataString(repo)}/_all"), ct).ConfigureAwait(false);
            }
            catch (EsServerException ex) when (ex.ErrorType == "repository_missing_exception")
            {
                throw SnapshotRepositories.NotFound(api, repo);
            }
            all.AddRange(body.Array("snapshots").Select(s => Read(api.Connection, s)));
        }
        var found = all.Where(s => names is null || names.Any(n => Names.Like(n, s.Name))).OrderBy(s => s.Start).ToList();
        var missing = Names.Unmatched(names, n => all.Any(s => Names.Like(n, s.Name)))
            .Select(n => new EsException(EsErrorKind.NotFound, ErrorIds.SnapshotNotFound,
                $"There is no snapshot named '{n}' in {(repository is null ? "any repository" : "repository " + repository)} of {api.Connection.Name}.", n)).ToList();
        return new Lookup<IReadOnlyList<EsSnapshot>>(found, missing);
    }

    static EsSnapshot Read(EsConnection connection, JsonElement s) => new EsSnapshot
    {
        Connection = connection,
        Repository = s.Str("repository") ?? "",
        Name = s.Str("snapshot") ?? "",
        Uuid = s.Str("uuid") ?? "",
        State = s.Str("state") ?? "",
        Version = s.Str("version") ?? "",
        Indices = s.Strings("indices"),
        FeatureStates = s.Array("feature_states").GroupBy(f => f.Str("feature_name") ?? "")
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.SelectMany(f => f.Strings("indices")).ToList()),
        IncludeGlobalState = s.Bool("include_global_state"),
        Start = s.Prop("start_time_in_millis") is JsonElement st ? DateTimeOffset.FromUnixTimeMilliseconds(st.GetInt64()) : (DateTimeOffset?)null,
        End = s.Prop("end_time_in_millis") is JsonElement en && s.Str("state") != "IN_PROGRESS" ? DateTimeOffset.FromUnixTimeMilliseconds(en.GetInt64()) : (DateTimeOffset?)null,
        ShardsTotal = s.Prop("shards")?.Int("total") ?? 0,
        ShardsFailed = s.Prop("shards")?.Int("failed") ?? 0,
        Failures = s.Array("failures").Select(f => $"{f.Str("index")}[{f.Str("shard_id")}]: {f.Str("reason")}").ToList(),
    };

    /// <summary>Starts a snapshot (wait_for_completion=false) and returns it as it then stands.</summary>
    public static async Task<EsSnapshot> CreateAsync(EsApi api, string repository, string name, IReadOnlyList<string>? indices, bool includeGlobalState, bool partial, CancellationToken ct,
        IReadOnlyList<string>? featureStates = null)
    {
        var body = new Dictionary<string, object> { ["include_global_state"] = includeGlobalState, ["partial"] = partial };
        if (featureStates != null) body["feature_states"] = featureStates;
        if (indices != null && indices.Count > 0) body["indices"] = string.Join(",", indices);
        try
        {
            await api.SendAsync(new EsRequest("PUT", $"/_snapshot/{Uri.EscapeDataString(repository)}/{Uri.EscapeDataString(name)}?wait_for_completion=false", JsonSerializer.Serialize(body)), ct).ConfigureAwait(false);
        }
        catch (EsServerException ex) when (ex.ErrorType == "repository_missing_exception")
        {
            throw SnapshotRepositories.NotFound(api, repository);
        }
        catch (EsServerException ex) when (ex.ErrorType is "snapshot_exception" or "invalid_snapshot_name_exception" or "repository_exception" or "illegal_argument_exception")
        {
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.SnapshotFailed, $"{api.Connection.Name} refused snapshot [{repository}:{name}]: {ex.Reason}", name, ex);
        }
        return await GetOneAsync(api, repository, name, ct).ConfigureAwait(false);
    }

    static async Task<EsSnapshot> GetOneAsync(EsApi api, string repository, string name, CancellationToken ct)
    {
        var lookup = await FindAsync(api, repository, new[] { name }, ct).ConfigureAwait(false);
        return lookup.Missing.Count > 0 ? throw lookup.Missing[0] : lookup.Found.Single();
    }

    /// <summary>Polls until the snapshot ended; PARTIAL and FAILED are a SnapshotFailed error naming the failed shards.</summary>
    public static async Task<EsSnapshot> WaitAsync(EsApi api, string repository, string name, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = api.Clock.UtcNow + timeout;
        var snapshot = await GetOneAsync(api, repository, name, ct).ConfigureAwait(false);
        while (snapshot.State == "IN_PROGRESS")
        {
            await ReportProgressAsync(api, repository, name, ct).ConfigureAwait(false);
            if (api.Clock.UtcNow >= deadline)
                throw new EsException(EsErrorKind.Timeout, ErrorIds.SnapshotFailed,
                    $"Snapshot [{repository}:{name}] was still running after {timeout}: it goes on in the cluster; Wait-EsSnapshot waits again.", name);
            await api.Clock.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            snapshot = await GetOneAsync(api, repository, name, ct).ConfigureAwait(false);
        }
        api.Log.Progress(new EsProgress(ProgressActivityId, $"Snapshot {repository}/{name}", snapshot.State, 100, completed: true));
        if (!snapshot.IsSuccess)
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.SnapshotFailed,
                $"Snapshot [{repository}:{name}] ended {snapshot.State}: {snapshot.ShardsFailed} of {snapshot.ShardsTotal} shards failed" +
                (snapshot.Failures.Count > 0 ? $" ({string.Join("; ", snapshot.Failures.Take(10))})" : "") + ". It is no backup of those indices.", name);
        return snapshot;
    }

    /// <summary>Per-shard progress from GET _snapshot/{repository}/{snapshot}/_status: shards done of all, bytes copied.</summary>
    static async Task ReportProgressAsync(EsApi api, string repository, string name, CancellationToken ct)
    {
        JsonElement status;
        try
        {
            status = (await api.GetJsonAsync(EsRequest.Get($"/_snapshot/{Uri.EscapeDataString(repository)}/{Uri.EscapeDataString(name)}/_status"), ct).ConfigureAwait(false)).Array("snapshots").FirstOrDefault();
        }
        catch (EsException ex) when (ex.IsTransient || ex is EsServerException)
        {
            return;    // progress only: the state comes from the snapshot listing
        }
        var shards = status.ValueKind == JsonValueKind.Object ? status.Prop("shards_stats") : null;
        int done = shards?.Int("done") ?? 0, total = shards?.Int("total") ?? 0;
        // "processed" is there only while it differs from "incremental", the bytes this snapshot copies.
        var stats = status.ValueKind == JsonValueKind.Object ? status.Prop("stats") : null;
        var bytes = (stats?.Prop("processed") ?? stats?.Prop("incremental"))?.Long("size_in_bytes") ?? 0;
        api.Log.Progress(new EsProgress(ProgressActivityId, $"Snapshot {repository}/{name}",
            $"{done} of {total} shards done, {bytes / (1024 * 1024)} MB copied", total > 0 ? done * 100 / total : -1));
    }

    public static async Task DeleteAsync(EsApi api, string repository, string name, CancellationToken ct)
    {
        try
        {
            await api.SendAsync(new EsRequest("DELETE", $"/_snapshot/{Uri.EscapeDataString(repository)}/{Uri.EscapeDataString(name)}"), ct).ConfigureAwait(false);
        }
        catch (EsServerException ex) when (ex.ErrorType == "snapshot_missing_exception")
        {
            throw new EsException(EsErrorKind.NotFound, ErrorIds.SnapshotNotFound, $"There is no snapshot named '{name}' in repository {repository} of {api.Connection.Name}.", name);
        }
        catch (EsServerException ex) when (ex.ErrorType == "repository_missing_exception")
        {
            throw SnapshotRepositories.NotFound(api, repository);
        }
    }
}
