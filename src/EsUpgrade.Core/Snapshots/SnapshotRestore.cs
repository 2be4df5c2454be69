using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;
using EsUpgrade.Errors;
using EsUpgrade.Indices;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Snapshots;

/// <summary>What a restore asks for (POST _snapshot/{repository}/{snapshot}/_restore).</summary>
public sealed class RestoreOptions
{
    /// <summary>Names and wildcards of the snapshot's indices; every regular index when null.</summary>
    public IReadOnlyList<string>? Indices { get; set; }
    public string? RenamePattern { get; set; }
    public string? RenameReplacement { get; set; }
    public IReadOnlyDictionary<string, object?> IndexSettings { get; set; } = new Dictionary<string, object?>();
    public IReadOnlyList<string> IgnoreIndexSettings { get; set; } = Array.Empty<string>();
    public bool IncludeAliases { get; set; } = true;
    /// <summary>Persistent settings, templates and ILM policies (replacing the target's) and, unless FeatureStates says, every feature state.</summary>
    public bool IncludeGlobalState { get; set; }
    /// <summary>System features to restore ("none" for none); by default those the global state brings.</summary>
    public IReadOnlyList<string>? FeatureStates { get; set; }
    public bool Partial { get; set; }
}

/// <summary>What the pre-check says of one index of the snapshot: restored as it is, as a read-only archive, or refused, and why.</summary>
public sealed class RestoreCheck
{
    public string Index { get; internal set; } = "";
    /// <summary>The name it gets in the target cluster (after -RenamePattern).</summary>
    public string Target { get; internal set; } = "";
    /// <summary>Restore, Archive (8.3+, read-only) or Refused.</summary>
    public string Verdict { get; internal set; } = "";
    public string Reason { get; internal set; } = "";
    /// <summary>The version that created the index, when its own cluster still has it.</summary>
    public Version? CreatedVersion { get; internal set; }
    public bool IsRefused => Verdict == "Refused";
    public override string ToString() => $"{Index} -> {Target}: {Verdict}";
}

/// <summary>A restore as it ended (or as it was started, without waiting).</summary>
public sealed class EsRestoreResult
{
    public EsConnection Connection { get; internal set; } = null!;
    /// <summary>The repository restored from (read-only in this cluster when it came from another; not named Repository, so a result piped on takes no snapshot there).</summary>
    public string SourceRepository { get; internal set; } = "";
    /// <summary>The snapshot restored (Get-EsSnapshot finds it by this Name).</summary>
    public string Name { get; internal set; } = "";
    /// <summary>The indices it created, by their names in this cluster.</summary>
    public IReadOnlyList<string> Indices { get; internal set; } = Array.Empty<string>();
    public int ShardsTotal { get; internal set; }
    public int ShardsRestored { get; internal set; }
    /// <summary>Started (not waited for) or Restored (every primary recovered from the repository).</summary>
    public string State { get; internal set; } = "";
    public IReadOnlyList<RestoreCheck> Checks { get; internal set; } = Array.Empty<RestoreCheck>();
    public DateTimeOffset Started { get; internal set; }
    public DateTimeOffset? Ended { get; internal set; }
    public override string ToString() => $"{SourceRepository}/{Name} -> {Connection.Name}: {State}, {Indices.Count} indices";
}

/// <summary>
/// Restores a snapshot into its own cluster or another: the repository registered there read-only when it is not; a
/// pre-check against the target's version, licence and indices that says what Elasticsearch would refuse before
/// anything is sent; the restore; its progress until every primary has recovered.
/// </summary>
public static class SnapshotRestore
{
    public const int ProgressActivityId = 4500;

    /// <summary>
    /// What the target would do with each index of the snapshot. Reads the target's version, licence and indices and,
    /// when <paramref name="source"/> is the snapshot's own cluster, the created version of each index it still has.
    /// </summary>
    public static async Task<IReadOnlyList<RestoreCheck>> PreCheckAsync(EsApi target, EsApi? source, EsSnapshot snapshot, RestoreOptions options, CancellationToken ct)
    {
        CheckSnapshot(target, snapshot);
        var targetVersion = EsVersion.Parse(target.Connection.Version);
        var created = new Dictionary<string, Version?>(StringComparer.Ordinal);
        if (source != null)
            foreach (var i in await IndexReader.GetIndicesAsync(source, null, includeHidden: true, ct).ConfigureAwait(false))
                created[i.Name] = i.CreatedVersion;
        var existing = (await IndexReader.GetIndicesAsync(target, null, includeHidden: true, ct).ConfigureAwait(false)).ToDictionary(i => i.Name, i => i, StringComparer.Ordinal);
        string? licence = null;
        async Task<string> LicenceAsync() => licence ??= (await target.GetJsonAsync(EsRequest.Get("/_license"), ct).ConfigureAwait(false)).Prop("license")?.Str("type") ?? "basic";

        // System indices are those of the snapshot's feature states: restored with their feature, never by name on 8.x.
        var system = new HashSet<string>(snapshot.FeatureStates.Values.SelectMany(i => i), StringComparer.Ordinal);
        bool IsSystem(string name) => system.Contains(name);
        var chosen = Choose(snapshot, options.Indices, IsSystem);
        var checks = new List<RestoreCheck>();
        foreach (var index in chosen)
        {
                var name = options.RenamePattern is null ? index : Rename(index, options.RenamePattern, options.RenameReplacement ?? "");
            var check = new RestoreCheck { Index = index, Target = name, Verdict = "Restore", Reason = "" };
            created.TryGetValue(index, out var version);
            check.CreatedVersion = version;
            if (IsSystem(index) && targetVersion.Major >= 8)    // only a full name brings a system index here
                Refuse(check, $"[{index}] is a system index: {target.Connection.Version} restores it only with its feature state (-FeatureState), not by name.");
            else if (snapshot.Failures.Any(f => f.StartsWith(index + "[", StringComparison.Ordinal)) && !options.Partial)
                Refuse(check, $"[{index}] was not fully snapshotted (the snapshot is {snapshot.State}): restore it with -Partial, or take a new snapshot.");
            else if (existing.TryGetValue(name, out var there) && there.Status == "open")
                Refuse(check, $"{target.Connection.Name} has an open index [{name}]: close or delete it, or restore under another name (-RenamePattern, -RenameReplacement).");
            else if (version != null && version.Major < targetVersion.Major - 1)
            {
                if (targetVersion < new Version(8, 3) || version.Major < 5)
                    Refuse(check, $"[{index}] was created by {version}; {target.Connection.Version} cannot read it. Reindex it from the old cluster (Invoke-EsReindex -SourceConnection) or in 7.x first.");
                else if (await LicenceAsync().ConfigureAwait(false) is not ("enterprise" or "trial"))
                    Refuse(check, $"[{index}] was created by {version}; {target.Connection.Version} restores it only as an archive index, which needs an enterprise licence (this cluster's is {licence}). Reindex it from the old cluster instead.");
                else
                {
                    check.Verdict = "Archive";
                    check.Reason = $"[{index}] was created by {version}: restored as a read-only archive index (no writes, slower searches).";
                }
            }
            else if (version is null && source is null)
                check.Reason = "the created version is not known here (the snapshot's own cluster is not at hand): Elasticsearch may still refuse an index created before 7.0.";
            checks.Add(check);
        }
        foreach (var dup in checks.GroupBy(c => c.Target).Where(g => g.Count() > 1))
            foreach (var c in dup) Refuse(c, $"{string.Join(" and ", dup.Select(d => d.Index))} would all be restored as [{dup.Key}].");
        return checks;
    }

    /// <summary>What makes the whole snapshot unrestorable into the target: running, failed, or taken by a newer version.</summary>
    static void CheckSnapshot(EsApi target, EsSnapshot snapshot)
    {
        var targetVersion = EsVersion.Parse(target.Connection.Version);
        var snapshotVersion = EsVersion.Parse(snapshot.Version);
        if (snapshot.State == "IN_PROGRESS")
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.RestoreRefused,
                $"Snapshot [{snapshot.Repository}:{snapshot.Name}] is still running: Wait-EsSnapshot, then restore it.", snapshot.Name);
        if (snapshot.State is "FAILED" or "INCOMPATIBLE")
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.RestoreRefused,
                $"Snapshot [{snapshot.Repository}:{snapshot.Name}] is {snapshot.State}: Elasticsearch restores only SUCCESS and PARTIAL snapshots.", snapshot.Name);
        if (snapshotVersion > targetVersion)
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.RestoreRefused,
                $"Snapshot [{snapshot.Repository}:{snapshot.Name}] was taken by {snapshot.Version}; {target.Connection.Name} runs {target.Connection.Version} and restores nothing newer than itself.", snapshot.Name);

    }

    /// <summary>
    /// The snapshot's indices a list names, as SnapshotUtils.filterIndices reads it: names and wildcards in order, a
    /// leading "-" removing what matched so far; a wildcard never picks a system index (those come with their feature
    /// state), a full name does. A full name the snapshot lacks is an IndexNotFound, before anything is sent.
    /// </summary>
    static List<string> Choose(EsSnapshot snapshot, IReadOnlyList<string>? names, Func<string, bool> isSystem)
    {
        if (names is null) return snapshot.Indices.Where(i => !isSystem(i)).ToList();
        var chosen = new List<string>();
        for (var n = 0; n < names.Count; n++)
        {
            var name = names[n];
            if (name.StartsWith("-", StringComparison.Ordinal) && (n > 0 || name.Length > 1))
            {
                if (n == 0) chosen.AddRange(snapshot.Indices.Where(i => !isSystem(i)));    // "-x" first: everything but x
                chosen.RemoveAll(i => Names.Like(name.Substring(1), i));
                continue;
            }
            var pattern = name.IndexOfAny(new[] { '*', '?' }) >= 0;
            var matches = snapshot.Indices.Where(i => Names.Like(name, i) && (!pattern || !isSystem(i))).ToList();
            if (matches.Count == 0 && !pattern)
                throw new EsException(EsErrorKind.NotFound, ErrorIds.IndexNotFound,
                    $"Snapshot [{snapshot.Repository}:{snapshot.Name}] holds no index named '{name}'.", name);
            chosen.AddRange(matches.Where(m => !chosen.Contains(m)));
        }
        return chosen;
    }

    /// <summary>-RenamePattern on a name ($1 reads the same in Java and .NET); a pattern that is no regular expression is an InvalidArgument.</summary>
    static string Rename(string index, string pattern, string replacement)
    {
        try
        {
            return Regex.Replace(index, pattern, replacement);
        }
        catch (ArgumentException ex)
        {
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.RestoreRefused, $"-RenamePattern '{pattern}' is not a regular expression: {ex.Message}", pattern);
        }
    }

    static void Refuse(RestoreCheck check, string reason)
    {
        check.Verdict = "Refused";
        check.Reason = reason;
    }

    /// <summary>
    /// Makes sure the target knows the snapshot's repository: registered read-only with the source's type and settings
    /// when it is not (a second cluster must never write to a repository another cluster writes to).
    /// </summary>
    public static async Task EnsureRepositoryAsync(EsApi target, EsApi source, string repository, CancellationToken ct)
    {
        var lookup = await SnapshotRepositories.FindAsync(source, new[] { repository }, ct).ConfigureAwait(false);
        if (lookup.Missing.Count > 0) throw lookup.Missing[0];
        var repo = lookup.Found.Single();
        if ((await SnapshotRepositories.GetAsync(target, ct).ConfigureAwait(false)).FirstOrDefault(r => r.Name == repository) is { } there)
        {
            // Same name, other storage: restoring from it would read the wrong snapshots, or none.
            if (there.Type != repo.Type || there.Location != repo.Location)
                throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.RepositoryRejected,
                    $"{target.Connection.Name} has a repository [{repository}] of its own ({there.Type}, {there.Location}), not {source.Connection.Name}'s ({repo.Type}, {repo.Location}): unregister it there, or register {source.Connection.Name}'s storage under another name.", repository);
            if (!there.ReadOnly)
                target.Log.Warning($"[{target.Connection.Name}] repository [{repository}] is registered there writable: two clusters writing to one repository can corrupt it. Register it with -ReadOnly on the cluster that only restores.");
            return;
        }
        var settings = repo.Settings.Where(s => s.Key != "readonly").ToDictionary(s => s.Key, s => (object?)s.Value);
        target.Log.Verbose($"[{target.Connection.Name}] registering repository [{repository}] ({repo.Type}, {repo.Location}) read-only");
        await SnapshotRepositories.RegisterAsync(target, repository, repo.Type, settings, readOnly: true, verify: true, ct).ConfigureAwait(false);
    }

    /// <summary>Sends the restore (wait_for_completion=false); Elasticsearch's refusals become RestoreRefused with its reason.</summary>
    public static async Task StartAsync(EsApi target, string repository, string snapshot, RestoreOptions options, CancellationToken ct)
    {
        var body = new Dictionary<string, object?>
        {
            ["include_aliases"] = options.IncludeAliases,
            ["include_global_state"] = options.IncludeGlobalState,
            ["partial"] = options.Partial,
        };
        if (options.Indices != null) body["indices"] = string.Join(",", options.Indices);
        if (options.RenamePattern != null)
        {
            body["rename_pattern"] = options.RenamePattern;
            body["rename_replacement"] = options.RenameReplacement ?? "";
        }
        if (options.IndexSettings.Count > 0) body["index_settings"] = options.IndexSettings;
        if (options.IgnoreIndexSettings.Count > 0) body["ignore_index_settings"] = options.IgnoreIndexSettings;
        if (options.FeatureStates != null) body["feature_states"] = options.FeatureStates;
        try
        {
            await target.SendAsync(new EsRequest("POST", $"/_snapshot/{Uri.EscapeDataString(repository)}/{Uri.EscapeDataString(snapshot)}/_restore?wait_for_completion=false", JsonSerializer.Serialize(body)), ct).ConfigureAwait(false);
        }
        catch (EsServerException ex) when (ex.ErrorType == "repository_missing_exception")
        {
            throw SnapshotRepositories.NotFound(target, repository);
        }
        catch (EsServerException ex) when (ex.ErrorType == "snapshot_missing_exception" || (ex.Reason ?? "").EndsWith("snapshot does not exist", StringComparison.Ordinal))
        {
            throw new EsException(EsErrorKind.NotFound, ErrorIds.SnapshotNotFound, $"There is no finished snapshot named '{snapshot}' in repository {repository} of {target.Connection.Name}.", snapshot);
        }
        catch (EsServerException ex) when (ex.ErrorType is "snapshot_restore_exception" or "illegal_argument_exception" or "security_exception")
        {
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.RestoreRefused, $"{target.Connection.Name} refused to restore [{repository}:{snapshot}]: {ex.Reason}. Nothing was restored.", snapshot, ex);
        }
    }

    /// <summary>Follows the restore until every primary of <paramref name="indices"/> has recovered, with progress by shards.</summary>
    public static async Task<int> WaitAsync(EsApi target, string label, IReadOnlyCollection<string> indices, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = target.Clock.UtcNow + timeout;
        var wanted = new HashSet<string>(indices, StringComparer.Ordinal);
        while (true)
        {
            var health = await target.GetJsonAsync(EsRequest.Get("/_cluster/health?level=indices&expand_wildcards=all"), ct).ConfigureAwait(false);
            int total = 0, active = 0, present = 0;
            foreach (var i in health.Object("indices").Where(i => wanted.Contains(i.Name)))
            {
                present++;
                total += i.Value.Int("number_of_shards");
                active += i.Value.Int("active_primary_shards");
            }
            var done = present == wanted.Count && active >= total;
            target.Log.Progress(new EsProgress(ProgressActivityId, $"Restoring {label}", $"{active} of {total} primary shards restored",
                total > 0 ? active * 100 / total : -1, completed: done));
            if (done) return total;
            if (target.Clock.UtcNow >= deadline)
                throw new EsException(EsErrorKind.Timeout, ErrorIds.RestoreTimeout,
                    $"The restore of {label} had {active} of {total} primaries after {timeout}: it goes on in {target.Connection.Name} (GET _cat/recovery?active_only says where it stands).", label);
            await target.Clock.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The whole restore: repository (read-only) on the target when needed, pre-check (refusals stop it before anything is
    /// sent), restore, and with <paramref name="wait"/> its progress to the end. A caller that already ran the pre-check
    /// (to show it for -WhatIf) hands its <paramref name="checks"/> over rather than reading both clusters again.
    /// </summary>
    public static async Task<EsRestoreResult> RestoreAsync(EsApi target, EsApi? source, EsSnapshot snapshot, RestoreOptions options, bool wait, TimeSpan timeout, CancellationToken ct,
        IReadOnlyList<RestoreCheck>? checks = null)
    {
        CheckSnapshot(target, snapshot);    // before the repository is registered there: a refusal leaves nothing behind
        if (source != null && source.Connection.ClusterUuid != target.Connection.ClusterUuid)
            await EnsureRepositoryAsync(target, source, snapshot.Repository, ct).ConfigureAwait(false);
        checks ??= await PreCheckAsync(target, source, snapshot, options, ct).ConfigureAwait(false);
        var refused = checks.Where(c => c.IsRefused).ToList();
        if (refused.Count > 0)
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.RestoreRefused,
                $"{target.Connection.Name} would refuse to restore [{snapshot.Repository}:{snapshot.Name}]: {string.Join(" ", refused.Select(r => r.Reason))} Nothing was sent.", snapshot.Name);
        foreach (var c in checks.Where(c => c.Verdict == "Archive")) target.Log.Warning(c.Reason);
        if (checks.Count == 0 && options.FeatureStates is null && !options.IncludeGlobalState)
            throw new EsException(EsErrorKind.NotFound, ErrorIds.IndexNotFound,
                $"Snapshot [{snapshot.Repository}:{snapshot.Name}] holds no index that -Index names ({string.Join(", ", options.Indices ?? Array.Empty<string>())}).", snapshot.Name);
        var started = target.Clock.UtcNow;
        await StartAsync(target, snapshot.Repository, snapshot.Name, options, ct).ConfigureAwait(false);
        var names = checks.Select(c => c.Target).ToList();
        var result = new EsRestoreResult
        {
            Connection = target.Connection, SourceRepository = snapshot.Repository, Name = snapshot.Name, Indices = names, Checks = checks, Started = started, State = "Started",
        };
        if (!wait) return result;
        result.ShardsTotal = result.ShardsRestored = await WaitAsync(target, $"{snapshot.Repository}/{snapshot.Name}", names, timeout, ct).ConfigureAwait(false);
        result.State = "Restored";
        result.Ended = target.Clock.UtcNow;
        return result;
    }
}
