using System.Text.Json;

namespace EsUpgrade.Emulator.Model;

/// <summary>
/// Taking snapshots: a snapshot copies the primaries over time (IN_PROGRESS, then SUCCESS, or PARTIAL when a primary
/// is missing and partial snapshots are allowed); an fs repository keeps each finished snapshot as files in its folder
/// (index.latest, index-N listing them, snap-uuid.dat holding one), so another emulated cluster reading the same
/// folder sees it.
/// </summary>
public sealed partial class EmulatedCluster
{
    readonly List<(RepositorySpec Repo, SnapshotSpec Snapshot, DateTimeOffset DueAt)> running = new();
    static readonly JsonSerializerOptions SnapshotJson = new() { WriteIndented = true };

    /// <summary>
    /// Starts a snapshot of the indices the expression names (system indices only through their feature states: all
    /// of them by default when the global state is included, none otherwise, or those <paramref name="featureStates"/> names).
    /// </summary>
    public SnapshotSpec CreateSnapshot(RepositorySpec repo, string name, string? indicesExpression, bool includeGlobalState, bool partial, IReadOnlyList<string>? featureStates = null)
    {
        lock (Sync)
        {
            RequireMaster();
            if (repo.ReadOnly)
                throw new EsError(500, "repository_exception", $"[{repo.Name}] cannot create snapshot in a readonly repository");
            if (SnapshotsOf(repo).Any(s => s.Name == name))
                throw new EsError(400, "invalid_snapshot_name_exception", $"[{repo.Name}:{name}] Invalid snapshot name [{name}], snapshot with the same name already exists");
            var features = SystemFeatures().Where(f => f.Indices.Count > 0).Select(f => f.Name).ToList();
            foreach (var f in featureStates?.Where(f => f != "none" && !features.Contains(f)) ?? Enumerable.Empty<string>())
                throw EsError.IllegalArgument($"No feature state registered with name [{f}]");    // (no indices: nothing to snapshot either)
            var chosenFeatures = featureStates is null ? (includeGlobalState ? features : new List<string>()) : featureStates.Where(f => f != "none").ToList();
            var targets = IndexExpression.Resolve(this, indicesExpression, expand: Expand.All)
                .Where(i => FeatureOf(i) is null || (indicesExpression ?? "").Split(',').Contains(i.Name)).ToList();    // a system index by its full name, as 7.x allows
            targets.AddRange(indices.Where(i => FeatureOf(i) is string f && chosenFeatures.Contains(f) && !targets.Contains(i)));
            var missing = targets.SelectMany(i => Enumerable.Range(0, i.NumberOfShards)
                .Where(s => !i.Copies.Any(c => c.Primary && c.Shard == s && c.IsActive)).Select(s => (Index: i, Shard: s))).ToList();
            if (missing.Count > 0 && !partial)
                throw new EsError(500, "snapshot_exception", $"[{repo.Name}:{name}] Indices don't have primary shards [{string.Join(", ", missing.Select(m => m.Index.Name).Distinct())}]");
            var now = Clock.UtcNow;
            var bytes = targets.Sum(i => i.Documents * 1024);
            var snapshot = new SnapshotSpec
            {
                Name = name, State = "IN_PROGRESS", StartTime = now, Version = RequireMaster().Profile.Number, IncludeGlobalState = includeGlobalState,
                Indices = targets.Select(i => i.Name).ToList(), ShardsTotal = targets.Sum(i => i.NumberOfShards),
                Failures = missing.Select(m => $"{m.Index.Name}[{m.Shard}]: primary shard is not allocated").ToList(),
                IndexMetadata = targets.Select(i => new SnapshotIndex
                {
                    Name = i.Name, Shards = i.NumberOfShards, Replicas = i.NumberOfReplicas, Documents = i.Documents, CreatedVersion = i.CreatedVersion.Number,
                    Aliases = i.Aliases.ToList(), MappingType = i.MappingType, Settings = new Dictionary<string, string?>(i.Settings),
                }).ToList(),
                PersistentSettings = includeGlobalState ? new Dictionary<string, string>(Persistent) : new(),
                Templates = includeGlobalState ? Templates.ToList() : new(),
                IlmPolicies = includeGlobalState ? IlmPolicies.ToList() : new(),
                FeatureStates = chosenFeatures,
            };
            snapshot.Duration = TimeSpan.FromSeconds(bytes / (double)Math.Max(1, Spec.SnapshotBytesPerSecond));
            repo.Snapshots.Add(snapshot);
            running.Add((repo, snapshot, now + snapshot.Duration));
            TrackBusy(now);
            Signal();
            return snapshot;
        }
    }

    /// <summary>Finishes the snapshots whose time has come; true when one did. Under the lock, from Tick.</summary>
    bool TickSnapshots(DateTimeOffset now)
    {
        var done = running.Where(r => r.DueAt <= now).ToList();
        foreach (var (repo, snapshot, _) in done)
        {
            snapshot.State = snapshot.Failures.Count > 0 ? "PARTIAL" : "SUCCESS";
            running.RemoveAll(r => ReferenceEquals(r.Snapshot, snapshot));
            if (repo.Type == "fs" && !Directory.Exists(repo.Location))
            {
                // The folder went away under it (an unmounted share): the snapshot cannot be finalized.
                snapshot.State = "FAILED";
                snapshot.Failures = snapshot.Indices.Select(i => $"{i}[0]: [{repo.Name}] failed to write to the repository: {repo.Location} is not accessible").ToList();
            }
            else if (repo.Type == "fs") WriteSnapshotFiles(repo);
            TrackBusy(snapshot.StartTime + snapshot.Duration);
        }
        return done.Count > 0;
    }

    DateTimeOffset? NextSnapshotDue => running.Select(r => (DateTimeOffset?)r.DueAt).Min();

    /// <summary>The snapshots of a repository: for an fs folder, those its files hold (written by any cluster) and those running here.</summary>
    public List<SnapshotSpec> SnapshotsOf(RepositorySpec repo)
    {
        lock (Sync)
        {
            if (repo.Type != "fs" || !Directory.Exists(repo.Location)) return repo.Snapshots.ToList();
            // What the folder holds wins; what runs here (or was only ever listed here) is added.
            return ReadSnapshotFiles(repo).Concat(repo.Snapshots).GroupBy(s => s.Name).Select(g => g.First()).OrderBy(s => s.StartTime).ToList();
        }
    }

    public void DeleteSnapshot(RepositorySpec repo, string name)
    {
        lock (Sync)
        {
            RequireMaster();
            var snapshot = SnapshotsOf(repo).FirstOrDefault(s => s.Name == name) ?? throw new EsError(404, "snapshot_missing_exception", $"[{repo.Name}:{name}] is missing");
            if (snapshot.State == "IN_PROGRESS")
                throw new EsError(503, "concurrent_snapshot_execution_exception", $"[{repo.Name}:{name}] cannot delete - another snapshot is currently being deleted");
            repo.Snapshots.RemoveAll(s => s.Name == name);
            if (repo.Type == "fs" && Directory.Exists(repo.Location))
            {
                var kept = ReadSnapshotFiles(repo).Where(s => s.Name != name).ToList();
                File.Delete(Path.Combine(repo.Location, $"snap-{snapshot.Uuid}.dat"));
                WriteIndexFiles(repo, kept);
            }
            Signal();
        }
    }

    void WriteSnapshotFiles(RepositorySpec repo)
    {
        var all = ReadSnapshotFiles(repo);
        foreach (var s in repo.Snapshots.Where(s => s.State != "IN_PROGRESS" && all.All(a => a.Name != s.Name)))
        {
            File.WriteAllText(Path.Combine(repo.Location, $"snap-{s.Uuid}.dat"), JsonSerializer.Serialize(s, SnapshotJson));
            all.Add(s);
        }
        WriteIndexFiles(repo, all);
    }

    static void WriteIndexFiles(RepositorySpec repo, List<SnapshotSpec> snapshots)
    {
        var latest = Path.Combine(repo.Location, "index.latest");
        var generation = File.Exists(latest) && long.TryParse(File.ReadAllText(latest), out var g) ? g + 1 : 0;
        File.WriteAllText(Path.Combine(repo.Location, $"index-{generation}"), JsonSerializer.Serialize(snapshots.Select(s => new { name = s.Name, uuid = s.Uuid }), SnapshotJson));
        File.WriteAllText(latest, generation.ToString());
    }

    static List<SnapshotSpec> ReadSnapshotFiles(RepositorySpec repo)
    {
        var latest = Path.Combine(repo.Location, "index.latest");
        if (!File.Exists(latest)) return new List<SnapshotSpec>();
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(repo.Location, "index-" + File.ReadAllText(latest).Trim())));
        return index.RootElement.EnumerateArray()
            .Select(e => Path.Combine(repo.Location, $"snap-{e.GetProperty("uuid").GetString()}.dat"))
            .Where(File.Exists)
            .Select(f => JsonSerializer.Deserialize<SnapshotSpec>(File.ReadAllText(f))!)
            .ToList();
    }
}
