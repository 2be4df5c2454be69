using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Fixes;
using EsUpgrade.Indices;
using EsUpgrade.Json;
using EsUpgrade.Snapshots;
using EsUpgrade.Upgrade;
using EsUpgrade.Wire;

namespace EsUpgrade.Migration;

/// <summary>How an index moves to the new cluster.</summary>
public enum MigrationRoute { Restore, Reindex }

/// <summary>One index of the route: how it will move and why.</summary>
public sealed class MigrationPlanItem
{
    public string Index { get; internal set; } = "";
    public MigrationRoute Route { get; internal set; }
    public string? CreatedVersion { get; internal set; }
    public long Documents { get; internal set; }
    /// <summary>The primaries' size: what the snapshot copies and the restore reads back.</summary>
    public long Bytes { get; internal set; }
    public string Reason { get; internal set; } = "";
    /// <summary>How long this index's own part takes (its restore, or its reindex); the snapshot is the plan's.</summary>
    public TimeSpan Estimate { get; internal set; }
    public override string ToString() => $"{Index}: {Route} ({Reason})";
}

/// <summary>One index as the migration left it: how it moved and the documents counted on both sides.</summary>
public sealed class EsMigratedIndex
{
    /// <summary>The destination cluster.</summary>
    public EsConnection Connection { get; internal set; } = null!;
    public string SourceCluster { get; internal set; } = "";
    public string Index { get; internal set; } = "";
    /// <summary>Restored (from the snapshot) or Reindexed (from the source cluster).</summary>
    public string Route { get; internal set; } = "";
    public string? CreatedVersion { get; internal set; }
    public long SourceDocuments { get; internal set; }
    public long DestinationDocuments { get; internal set; }
    public IReadOnlyList<string> Aliases { get; internal set; } = Array.Empty<string>();
    /// <summary>Complete, or what differs (CountMismatch, AliasMismatch, Missing).</summary>
    public string Status { get; internal set; } = "";
    public string Snapshot { get; internal set; } = "";
    public override string ToString() => $"{Index}: {Route}, {DestinationDocuments} of {SourceDocuments} documents, {Status}";
}

public sealed class MigrationOptions
{
    public string Repository { get; set; } = "";
    /// <summary>The snapshot's name; a dated one by default.</summary>
    public string? Snapshot { get; set; }
    /// <summary>Only these indices (names, wildcards); every regular index by default.</summary>
    public IReadOnlyList<string>? Index { get; set; }
    public string StatePath { get; set; } = "";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(12);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>The rates an earlier migration measured (its state file's Measured); the defaults when null.</summary>
    public MigrationRates? Calibration { get; set; }
}

public sealed class MigratedIndexState
{
    public string Name { get; set; } = "";
    public MigrationRoute Route { get; set; }
    public string? CreatedVersion { get; set; }
    public long SourceDocuments { get; set; }
    public long Bytes { get; set; }
    public int Replicas { get; set; } = 1;
    public List<string> Aliases { get; set; } = new List<string>();
    /// <summary>Reindex route: the destination index exists, the task, the copy finished, replicas and aliases back.</summary>
    public bool Created { get; set; }
    public string? TaskId { get; set; }
    public bool Copied { get; set; }
    public bool Finished { get; set; }
}

/// <summary>The migration's checkpoint: each step is recorded once done, so a second run resumes after the last.</summary>
public sealed class MigrationState
{
    public int Format { get; set; } = 1;
    public string SourceUuid { get; set; } = "";
    public string DestinationUuid { get; set; } = "";
    public string Repository { get; set; } = "";
    public string Snapshot { get; set; } = "";
    public bool SnapshotTaken { get; set; }
    public bool RepositoryReady { get; set; }
    public bool RestoreSent { get; set; }
    public bool Restored { get; set; }
    public bool Completed { get; set; }
    public List<MigratedIndexState> Indices { get; set; } = new List<MigratedIndexState>();
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>What the run measured, for the estimate of a later one (-Calibration).</summary>
    public MigrationRates? Measured { get; set; }
}

/// <summary>The rates a migration moves at: defaults, or measured by an earlier run.</summary>
public sealed class MigrationRates
{
    /// <summary>Bytes a second the snapshot copies (primaries, the whole cluster).</summary>
    public double SnapshotBytesPerSecond { get; set; } = 40.0 * 1024 * 1024;
    /// <summary>Bytes a second the restore reads back (the whole cluster).</summary>
    public double RestoreBytesPerSecond { get; set; } = 40.0 * 1024 * 1024;
    /// <summary>Documents a second a reindex from the source copies (one scroll, batches of 1,000).</summary>
    public double ReindexDocumentsPerSecond { get; set; } = 5000;
    public string Basis { get; set; } = "defaults: snapshot and restore at 40 MB/s (max_snapshot_bytes_per_sec, indices.recovery.max_bytes_per_sec), reindex from remote at 5,000 documents/s";
}

/// <summary>
/// The new-cluster route from 7.x to 8.x: snapshot the source with its global state; register the repository read-only on
/// the destination; restore what 8.x can read (with templates, ILM policies, persistent settings and feature states);
/// create and reindex from the source what it cannot (indices created before 7.0: settings copied, mappings typeless,
/// aliases recreated); count and compare. Every step is checkpointed in the state file: a second run resumes, and a run
/// after the end checks again and reports.
/// </summary>
public static class SnapshotMigration
{
    /// <summary>The default checkpoint: one per pair of clusters in the user's local application data.</summary>
    public static string DefaultStatePath(EsConnection source, EsConnection destination) =>
        System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "EsUpgrade",
            $"migration-{source.ClusterUuid}-{destination.ClusterUuid}.json");

    /// <summary>Source and destination must be different clusters, the destination one major newer.</summary>
    public static void CheckClusters(EsConnection source, EsConnection destination)
    {
        if (source.ClusterUuid == destination.ClusterUuid)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.ClusterVersionMismatch,
                $"{source.Name} and {destination.Name} are the same cluster ({source.ClusterName}): the new-cluster route needs a new 8.x cluster as -Destination.", destination.Name);
        if (source.MajorVersion != 7 || destination.MajorVersion != 8)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.ClusterVersionMismatch,
                $"The route moves a 7.x cluster into an 8.x one; {source.Name} runs {source.Version} and {destination.Name} {destination.Version}.", destination.Name);
    }

    /// <summary>How each index will move: by restore, or by reindex when it was created before the oldest major the destination reads.</summary>
    public static async Task<IReadOnlyList<MigrationPlanItem>> PlanAsync(EsApi source, EsApi destination, MigrationOptions options, CancellationToken ct)
    {
        CheckClusters(source.Connection, destination.Connection);
        var indices = options.Index is null
            ? await IndexReader.GetIndicesAsync(source, null, includeHidden: false, ct).ConfigureAwait(false)
            : await FoundOrThrowAsync(source, options.Index, ct).ConfigureAwait(false);
        var oldest = destination.Connection.MajorVersion - 1;
        var plan = indices.Where(i => !i.IsHidden && !i.Name.StartsWith(".", StringComparison.Ordinal)).Select(i => new MigrationPlanItem
        {
            Index = i.Name, Documents = i.DocsCount, CreatedVersion = i.CreatedVersion?.ToString(), Bytes = i.StoreSizeBytes / Math.Max(1, 1 + i.Replicas),
            Route = i.CreatedVersion != null && i.CreatedVersion.Major < oldest ? MigrationRoute.Reindex : MigrationRoute.Restore,
            Reason = i.CreatedVersion != null && i.CreatedVersion.Major < oldest
                ? $"created by {i.CreatedVersion}: {destination.Connection.Version} cannot restore it, so it is reindexed from {source.Connection.Name}"
                : $"restored from the snapshot",
        }).ToList();
        if (plan.Count == 0)
            throw new EsException(EsErrorKind.NotFound, ErrorIds.IndexNotFound,
                $"{source.Connection.Name} has no regular index{(options.Index is null ? "" : " that -Index names")} to migrate (hidden and system indices move with the global state of a migration that has indices).", options.Index is null ? source.Connection.Name : string.Join(",", options.Index));
        return plan;
    }

    /// <summary>
    /// The route's expected duration: the snapshot of every index's primaries, then the restore of those restored, then
    /// each reindex in turn — at the defaults' rates or those an earlier run measured. Sets each item's own part.
    /// </summary>
    public static TimeSpan Estimate(IReadOnlyList<MigrationPlanItem> plan, MigrationRates rates)
    {
        foreach (var item in plan)
            item.Estimate = item.Route == MigrationRoute.Restore
                ? TimeSpan.FromSeconds(item.Bytes / Math.Max(1, rates.RestoreBytesPerSecond))
                : TimeSpan.FromSeconds(item.Documents / Math.Max(1, rates.ReindexDocumentsPerSecond));
        var snapshot = TimeSpan.FromSeconds(plan.Sum(i => i.Bytes) / Math.Max(1, rates.SnapshotBytesPerSecond));
        return snapshot + TimeSpan.FromTicks(plan.Sum(i => i.Estimate.Ticks));
    }

    static async Task<IReadOnlyList<EsIndex>> FoundOrThrowAsync(EsApi api, IReadOnlyList<string> names, CancellationToken ct)
    {
        var lookup = await IndexReader.FindIndicesAsync(api, names, includeHidden: false, ct).ConfigureAwait(false);
        if (lookup.Missing.Count > 0) throw lookup.Missing[0];
        return lookup.Found;
    }

    /// <summary>The route; <paramref name="plan"/> is the plan a caller already made (for -WhatIf), else it is made here.</summary>
    public static async Task<IReadOnlyList<EsMigratedIndex>> RunAsync(EsApi source, EsApi destination, MigrationOptions options, CancellationToken ct,
        IReadOnlyList<MigrationPlanItem>? plan = null)
    {
        CheckClusters(source.Connection, destination.Connection);
        var store = new JsonStateFile<MigrationState>(options.StatePath);
        using var held = store.Hold();
        var state = store.Load();
        void Note(string what) => destination.Log.Verbose($"[{source.Connection.Name} -> {destination.Connection.Name}] {what}");
        if (state != null && (state.SourceUuid != source.Connection.ClusterUuid || state.DestinationUuid != destination.Connection.ClusterUuid))
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.StateMismatch,
                $"The state file '{options.StatePath}' is of a migration from cluster {state.SourceUuid} to {state.DestinationUuid}, not from {source.Connection.ClusterName} to {destination.Connection.ClusterName}: give another -StatePath.", options.StatePath);
        if (state is null)
        {
            plan ??= await PlanAsync(source, destination, options, ct).ConfigureAwait(false);
            await PreflightAsync(source, destination, plan, ct).ConfigureAwait(false);
            var settings = await source.GetJsonAsync(EsRequest.Get("/_all/_settings/index.number_of_replicas?flat_settings=true"), ct).ConfigureAwait(false);
            var aliases = await source.GetJsonAsync(EsRequest.Get("/_alias"), ct).ConfigureAwait(false);
            state = new MigrationState
            {
                SourceUuid = source.Connection.ClusterUuid, DestinationUuid = destination.Connection.ClusterUuid, Repository = options.Repository,
                Snapshot = options.Snapshot ?? Snapshots.Snapshots.DatedName(source.Clock.UtcNow), StartedAt = source.Clock.UtcNow,
                Indices = plan.Select(p => new MigratedIndexState
                {
                    Name = p.Index, Route = p.Route, CreatedVersion = p.CreatedVersion, SourceDocuments = p.Documents, Bytes = p.Bytes,
                    Replicas = int.TryParse(settings.Prop(p.Index)?.Prop("settings")?.Str("index.number_of_replicas"), out var r) ? r : 1,
                    Aliases = aliases.Prop(p.Index)?.Object("aliases").Select(a => a.Name).ToList() ?? new List<string>(),
                }).ToList(),
            };
            store.Save(state);
            // What the source held before: Test-EsUpgradeResult -Baseline (on the source) and Compare-EsCluster read it afterwards.
            var baselinePath = Verification.ClusterBaselines.BesideStateFile(options.StatePath);
            if (!System.IO.File.Exists(baselinePath))
                Verification.ClusterBaselines.Save(await Verification.ClusterBaselines.TakeAsync(source, ct).ConfigureAwait(false), baselinePath);
            Note($"{state.Indices.Count(i => i.Route == MigrationRoute.Restore)} indices to restore, {state.Indices.Count(i => i.Route == MigrationRoute.Reindex)} to reindex, through [{state.Repository}:{state.Snapshot}]");
        }
        else Note(state.Completed ? "the migration is complete: checking again" : "resuming");

        var step = "snapshot";
        try
        {
            if (!state.SnapshotTaken)
            {
                var existing = await Snapshots.Snapshots.FindAsync(source, state.Repository, new[] { state.Snapshot + "*" }, ct).ConfigureAwait(false);
                if (existing.Found.FirstOrDefault(s => s.Name == state.Snapshot) is { State: not ("IN_PROGRESS" or "SUCCESS") } failed)
                {
                    // An earlier run's snapshot ended PARTIAL or FAILED: a new one, under a new name.
                    state.Snapshot = Snapshots.Snapshots.DatedName(source.Clock.UtcNow);
                    store.Save(state);
                    Note($"snapshot [{failed.Name}] ended {failed.State}: taking [{state.Snapshot}]");
                }
                var snapshotStarted = source.Clock.UtcNow;
                var fresh = !existing.Found.Any(s => s.Name == state.Snapshot);
                if (fresh)
                    await Snapshots.Snapshots.CreateAsync(source, state.Repository, state.Snapshot, state.Indices.Select(i => i.Name).ToList(), includeGlobalState: true, partial: false, ct).ConfigureAwait(false);
                await Snapshots.Snapshots.WaitAsync(source, state.Repository, state.Snapshot, options.Timeout, ct).ConfigureAwait(false);
                if (fresh) Measure(state, m => m.SnapshotBytesPerSecond = Rate(state.Indices.Sum(i => i.Bytes), source.Clock.UtcNow - snapshotStarted, m.SnapshotBytesPerSecond));
                state.SnapshotTaken = true;
                store.Save(state);
                Note($"snapshot [{state.Repository}:{state.Snapshot}] taken");
            }
            step = "repository";
            if (!state.RepositoryReady)
            {
                await SnapshotRestore.EnsureRepositoryAsync(destination, source, state.Repository, ct).ConfigureAwait(false);
                state.RepositoryReady = true;
                store.Save(state);
            }
            step = "restore";
            var restoring = state.Indices.Where(i => i.Route == MigrationRoute.Restore).Select(i => i.Name).ToList();
            DateTimeOffset? restoreStarted = null;
            if (!state.Restored)
            {
                var there = new HashSet<string>((await IndexReader.GetIndicesAsync(destination, null, includeHidden: true, ct).ConfigureAwait(false)).Select(i => i.Name), StringComparer.Ordinal);
                // Without indices of its own the restore is only the global state, safe to send again.
                if (!(state.RestoreSent && restoring.Count > 0 && restoring.All(there.Contains)))
                {
                    var found = await Snapshots.Snapshots.FindAsync(source, state.Repository, new[] { state.Snapshot }, ct).ConfigureAwait(false);
                    if (found.Missing.Count > 0) throw found.Missing[0];
                    var snapshot = found.Found.Single();
                    // "-*" alone names nothing (an empty list would mean every index): only the global state then.
                    // Every feature state but security: the destination's users and keys (this connection's among them) stay.
                    var features = snapshot.FeatureStates.Keys.Where(f => f != "security").OrderBy(f => f, StringComparer.Ordinal).ToList();
                    var restore = new RestoreOptions
                    {
                        Indices = restoring.Count > 0 ? restoring : new List<string> { "-*" }, IncludeGlobalState = true, IncludeAliases = true,
                        FeatureStates = features.Count > 0 ? features : new List<string> { "none" },
                    };
                    var refused = (await SnapshotRestore.PreCheckAsync(destination, source, snapshot, restore, ct).ConfigureAwait(false)).Where(c => c.IsRefused).ToList();
                    if (refused.Count > 0)
                        throw new EsException(EsErrorKind.InvalidState, ErrorIds.RestoreRefused, string.Join(" ", refused.Select(r => r.Reason)), refused[0].Index);
                    state.RestoreSent = true;
                    store.Save(state);
                    await SnapshotRestore.StartAsync(destination, state.Repository, state.Snapshot, restore, ct).ConfigureAwait(false);
                    Note($"restore of {restoring.Count} indices started");
                    restoreStarted = destination.Clock.UtcNow;
                }
                await SnapshotRestore.WaitAsync(destination, $"{state.Repository}/{state.Snapshot}", restoring, options.Timeout, ct).ConfigureAwait(false);
                if (restoreStarted is DateTimeOffset rs)
                    Measure(state, m => m.RestoreBytesPerSecond = Rate(state.Indices.Where(i => i.Route == MigrationRoute.Restore).Sum(i => i.Bytes), destination.Clock.UtcNow - rs, m.RestoreBytesPerSecond));
                state.Restored = true;
                store.Save(state);
                Note($"{restoring.Count} indices restored, with the global state");
            }
            foreach (var index in state.Indices.Where(i => i.Route == MigrationRoute.Reindex && !i.Finished))
            {
                step = "reindex " + index.Name;
                var reindexStarted = destination.Clock.UtcNow;
                var wasStarted = index.TaskId != null;
                await ReindexFromSourceAsync(source, destination, index, options, () => store.Save(state), ct).ConfigureAwait(false);
                if (!wasStarted) Measure(state, m => m.ReindexDocumentsPerSecond = Rate(index.SourceDocuments, destination.Clock.UtcNow - reindexStarted, m.ReindexDocumentsPerSecond));
                Note($"[{index.Name}] reindexed from {source.Connection.Name}");
            }
            state.Completed = true;
            store.Save(state);
        }
        catch (EsException ex)
        {
            throw new EsException(ex.Kind, ErrorIds.MigrationFailed,
                $"The migration from {source.Connection.Name} to {destination.Connection.Name} stopped at step {step}: {ex.Message} What was done is kept in '{options.StatePath}': run the same command again to resume.", ex.Target, ex);
        }
        return await VerifyAsync(source, destination, state, ct).ConfigureAwait(false);
    }

    /// <summary>Records a measured rate in the state (saved with the next checkpoint), for a later run's -Calibration.</summary>
    static void Measure(MigrationState state, Action<MigrationRates> set)
    {
        state.Measured ??= new MigrationRates();
        set(state.Measured);
        state.Measured.Basis = $"measured by the migration of {state.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";
    }

    /// <summary>Amount per second; the previous rate when too little time passed to tell.</summary>
    static double Rate(double amount, TimeSpan took, double previous) => took.TotalSeconds >= 0.5 && amount > 0 ? amount / took.TotalSeconds : previous;

    /// <summary>Refuses, before anything is done, what would stop the route half-way: names taken on the destination, a missing whitelist.</summary>
    static async Task PreflightAsync(EsApi source, EsApi destination, IReadOnlyList<MigrationPlanItem> plan, CancellationToken ct)
    {
        var there = new HashSet<string>((await IndexReader.GetIndicesAsync(destination, null, includeHidden: true, ct).ConfigureAwait(false)).Select(i => i.Name), StringComparer.Ordinal);
        var taken = plan.Where(p => there.Contains(p.Index)).Select(p => p.Index).ToList();
        if (taken.Count > 0)
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.DestinationExists,
                $"{destination.Connection.Name} already has {string.Join(", ", taken.Take(10).Select(t => "[" + t + "]"))}{(taken.Count > 10 ? $" and {taken.Count - 10} more" : "")}: the route restores into a new cluster. Delete them there, or leave them out with -Index.", taken[0]);
        if (plan.All(p => p.Route != MigrationRoute.Reindex)) return;
        var uri = source.Connection.Nodes.FirstOrDefault() ?? throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.NoNodeUri,
            $"{source.Connection.Name} has no node address {destination.Connection.Name} could reindex from.", source.Connection.Name);
        var nodes = await destination.GetJsonAsync(EsRequest.Get("/_nodes/settings"), ct).ConfigureAwait(false);
        var hostPort = $"{uri.Host}:{uri.Port}";
        var denied = nodes.Object("nodes").Where(n =>
        {
            var list = n.Value.Prop("settings")?.Prop("reindex")?.Prop("remote")?.Prop("whitelist");
            var entries = list is JsonElement l ? (l.ValueKind == JsonValueKind.Array ? l.EnumerateArray().Select(e => e.GetString() ?? "") : (l.GetString() ?? "").Split(','))
                : Enumerable.Empty<string>();
            return !entries.Select(e => e.Trim()).Any(e => Names.Like(e, hostPort));
        }).Select(n => n.Value.Str("name") ?? n.Name).ToList();
        if (denied.Count > 0)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.RemoteNotWhitelisted,
                $"{plan.Count(p => p.Route == MigrationRoute.Reindex)} indices must be reindexed from {source.Connection.Name} ({string.Join(", ", plan.Where(p => p.Route == MigrationRoute.Reindex).Take(5).Select(p => p.Index))}), but {string.Join(", ", denied)} of {destination.Connection.Name} do not list {hostPort} in reindex.remote.whitelist. Add reindex.remote.whitelist: \"{hostPort}\" to their elasticsearch.yml and restart them (a static setting). Nothing was done.",
                destination.Connection.Name);
    }

    static async Task ReindexFromSourceAsync(EsApi source, EsApi destination, MigratedIndexState index, MigrationOptions options, Action save, CancellationToken ct)
    {
        var name = Uri.EscapeDataString(index.Name);
        if (!index.Created)
        {
            var settings = (await source.GetJsonAsync(EsRequest.Get($"/{name}/_settings?flat_settings=true"), ct).ConfigureAwait(false)).EnumerateObject().First().Value.Prop("settings");
            // 7.x answers typeless: a 6.x index's single type is lifted away.
            var mapping = (await source.GetJsonAsync(EsRequest.Get($"/{name}/_mapping"), ct).ConfigureAwait(false)).EnumerateObject().First().Value.Prop("mappings");
            var copied = IndexUpgrader.CopyableSettings(settings);
            copied["index.number_of_replicas"] = 0;
            var body = new Dictionary<string, object?> { ["settings"] = copied };
            if (mapping is JsonElement m) body["mappings"] = m.ToPlain();
            try
            {
                await destination.SendAsync(new EsRequest("PUT", $"/{name}?wait_for_active_shards=1", JsonSerializer.Serialize(body)), ct).ConfigureAwait(false);
            }
            catch (EsServerException ex) when (ex.ErrorType == "resource_already_exists_exception")
            {
                // Created by a run that stopped before its checkpoint.
            }
            index.Created = true;
            save();
        }
        if (!index.Copied)
        {
            var reindex = new ReindexOptions { Source = index.Name, Destination = index.Name, Remote = source.Connection, Timeout = options.Timeout, PollInterval = options.PollInterval };
            for (var attempt = 0; ; attempt++)
            {
                if (index.TaskId is null)
                {
                    index.TaskId = await Reindex.StartAsync(destination, reindex, ct).ConfigureAwait(false);
                    save();
                }
                JsonElement? status;
                try
                {
                    status = await Reindex.AwaitAsync(destination, index.TaskId, $"{source.Connection.Name}:{index.Name} into {index.Name}", reindex, ct).ConfigureAwait(false);
                }
                catch (EsException ex) when (ex.Kind != EsErrorKind.Timeout && !ex.IsTransient)
                {
                    index.TaskId = null;    // a failed task stays failed: the next run starts a new one (op_type create copies nothing twice)
                    save();
                    throw;
                }
                if (status != null) break;
                index.TaskId = null;    // gone with its node: start it again
                save();
                if (attempt > 0) throw new EsException(EsErrorKind.InvalidState, ErrorIds.ReindexFailed, $"the reindex task of [{index.Name}] vanished twice.", index.Name);
            }
            index.Copied = true;
            save();
        }
        await destination.SendAsync(new EsRequest("POST", $"/{name}/_refresh"), ct).ConfigureAwait(false);
        var replicas = JsonSerializer.Serialize(new Dictionary<string, object?> { ["index"] = new Dictionary<string, object?> { ["number_of_replicas"] = index.Replicas } });
        await destination.SendAsync(new EsRequest("PUT", $"/{name}/_settings", replicas), ct).ConfigureAwait(false);
        if (index.Aliases.Count > 0)
        {
            var actions = index.Aliases.Select(a => new Dictionary<string, object> { ["add"] = new Dictionary<string, string> { ["index"] = index.Name, ["alias"] = a } }).ToList();
            await destination.SendAsync(new EsRequest("POST", "/_aliases", JsonSerializer.Serialize(new Dictionary<string, object> { ["actions"] = actions })), ct).ConfigureAwait(false);
        }
        index.Finished = true;
        save();
    }

    /// <summary>Counts and compares: one result per index; templates and ILM policies the destination lacks are warnings.</summary>
    static async Task<IReadOnlyList<EsMigratedIndex>> VerifyAsync(EsApi source, EsApi destination, MigrationState state, CancellationToken ct)
    {
        var names = state.Indices.Select(i => i.Name).ToList();
        var differences = await ClusterComparison.CompareAsync(source, destination, new CompareOptions { Index = names.Count > 0 ? names : null, Mappings = false }, ct).ConfigureAwait(false);
        foreach (var d in differences.Where(d => d.Kind is "IndexTemplate" or "ComponentTemplate" or "LegacyTemplate" or "IlmPolicy"))
            destination.Log.Warning(d.Detail);
        var there = (await IndexReader.GetIndicesAsync(destination, null, includeHidden: true, ct).ConfigureAwait(false)).ToDictionary(i => i.Name, i => i, StringComparer.Ordinal);
        var sourceCounts = (await IndexReader.GetIndicesAsync(source, null, includeHidden: true, ct).ConfigureAwait(false)).ToDictionary(i => i.Name, i => i.DocsCount, StringComparer.Ordinal);
        var aliases = await destination.GetJsonAsync(EsRequest.Get("/_alias"), ct).ConfigureAwait(false);
        return state.Indices.Select(i =>
        {
            var sourceDocs = sourceCounts.TryGetValue(i.Name, out var c) ? c : i.SourceDocuments;
            var present = there.TryGetValue(i.Name, out var dest);
            var destAliases = aliases.Prop(i.Name)?.Object("aliases").Select(a => a.Name).OrderBy(a => a, StringComparer.Ordinal).ToList() ?? new List<string>();
            var status = !present ? "Missing"
                : dest!.DocsCount < sourceDocs ? "CountMismatch"
                : !i.Aliases.OrderBy(a => a, StringComparer.Ordinal).SequenceEqual(destAliases) ? "AliasMismatch"
                : "Complete";
            return new EsMigratedIndex
            {
                Connection = destination.Connection, SourceCluster = source.Connection.Name, Index = i.Name, Route = i.Route == MigrationRoute.Restore ? "Restored" : "Reindexed",
                CreatedVersion = i.CreatedVersion, SourceDocuments = sourceDocs, DestinationDocuments = present ? dest!.DocsCount : 0, Aliases = destAliases,
                Status = status, Snapshot = $"{state.Repository}:{state.Snapshot}",
            };
        }).ToList();
    }
}
