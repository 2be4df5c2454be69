using System.Text.RegularExpressions;

namespace EsUpgrade.Emulator.Model;

/// <summary>What POST _snapshot/{repository}/{snapshot}/_restore asks for.</summary>
public sealed class RestoreRequest
{
    public string? Indices { get; init; }
    public string? RenamePattern { get; init; }
    public string? RenameReplacement { get; init; }
    public Dictionary<string, string?> IndexSettings { get; init; } = new();
    public List<string> IgnoreIndexSettings { get; init; } = new();
    public bool IncludeAliases { get; init; } = true;
    public bool IncludeGlobalState { get; init; }
    /// <summary>Null: all of the snapshot's feature states when the global state is restored, else none; ["none"]: none.</summary>
    public List<string>? FeatureStates { get; init; }
    public bool Partial { get; init; }
}

/// <summary>
/// Restoring a snapshot (RestoreService): refusals first, all or nothing — a snapshot that is not finished or was
/// taken by a newer version, an open index of the target name, an index created before the oldest major this
/// version reads (8.0–8.2 cannot; 8.3+ restores it as a read-only archive index with an enterprise or trial
/// licence, 403 otherwise), a system index asked for outside its feature state (8.x). Then each index is created
/// with the snapshot's settings and documents, its primaries recovering from the repository over the clock
/// (recovery type snapshot) at <see cref="ClusterSpec.SnapshotBytesPerSecond"/>, its replicas from the primaries.
/// The global state, when asked for, replaces persistent settings (those this version does not know are archived),
/// composable and component templates and ILM policies, and merges legacy templates.
/// </summary>
public sealed partial class EmulatedCluster
{
    public List<EmulatedIndex> RestoreSnapshot(RepositorySpec repo, string name, RestoreRequest request)
    {
        lock (Sync)
        {
            var master = RequireMaster();
            var snapshot = SnapshotsOf(repo).FirstOrDefault(s => s.Name == name && s.State != "IN_PROGRESS")
                ?? throw new EsError(500, "snapshot_restore_exception", $"[{repo.Name}:{name}] snapshot does not exist");
            var id = $"[{repo.Name}:{name}/{snapshot.Uuid}]";
            if (snapshot.State is "FAILED" or "INCOMPATIBLE")
                throw new EsError(500, "snapshot_restore_exception", $"{id} unsupported snapshot state [{snapshot.State}]");
            var snapshotVersion = new VersionProfile(snapshot.Version);
            var current = RunningNodes.Min(n => n.Profile.Version)!;
            if (snapshotVersion.Version > current)
                throw new EsError(500, "snapshot_restore_exception",
                    $"{id} the snapshot was created with Elasticsearch version [{snapshot.Version}] which is higher than the version of this node [{current}]");

            var is8 = master.Profile.Is8;
            var featureStates = request.FeatureStates is { } fs ? fs.Where(f => f != "none").ToList()
                : request.IncludeGlobalState ? snapshot.FeatureStates.ToList() : new List<string>();
            foreach (var f in featureStates.Where(f => !snapshot.FeatureStates.Contains(f)))
                throw EsError.IllegalArgument($"requested feature states [[{f}]] are not present in snapshot [{name}/{snapshot.Uuid}]");

            // The indices asked for: the regular ones the expression matches, then the system indices of the feature states.
            var regular = snapshot.IndexMetadata.Where(i => SystemFeatureOf(i.Name) is null).ToList();
            List<SnapshotIndex> chosen;
            if (IndexExpression.IsAll(request.Indices)) chosen = regular;
            else
            {
                chosen = new List<SnapshotIndex>();
                foreach (var part in request.Indices!.Split(','))
                {
                    if (part.StartsWith('-') && chosen.Count > 0) { chosen.RemoveAll(i => Wildcard.Matches(part[1..], i.Name)); continue; }
                    var matches = snapshot.IndexMetadata.Where(i => Wildcard.Matches(part, i.Name) && (Wildcard.IsPattern(part) ? SystemFeatureOf(i.Name) is null : true)).ToList();
                    if (matches.Count == 0 && !Wildcard.IsPattern(part))
                        throw new EsError(404, "index_not_found_exception", $"no such index [{part}]", metadata: new Dictionary<string, object?> { ["index_uuid"] = "_na_", ["index"] = part });
                    chosen.AddRange(matches.Where(m => !chosen.Contains(m)));
                }
                var system = chosen.Where(i => SystemFeatureOf(i.Name) != null).Select(i => i.Name).ToList();
                if (is8 && system.Count > 0)
                    throw EsError.IllegalArgument($"requested system indices {Bracket(system)}, but system indices can only be restored as part of a feature state");
            }
            chosen.AddRange(snapshot.IndexMetadata.Where(i => SystemFeatureOf(i.Name) is string f && featureStates.Contains(f) && !chosen.Contains(i)));

            var targets = new List<(SnapshotIndex Source, string Name, bool Archive)>();
            foreach (var source in chosen)
            {
                var target = request.RenamePattern is string pattern ? Regex.Replace(source.Name, pattern, request.RenameReplacement ?? "") : source.Name;
                var failed = snapshot.Failures.Any(f => f.StartsWith(source.Name + "[", StringComparison.Ordinal));
                if (failed && !request.Partial)
                    throw new EsError(500, "snapshot_restore_exception", $"{id} index [{source.Name}] wasn't fully snapshotted - cannot restore");
                var existing = Index(target);
                var replacedByFeature = SystemFeatureOf(source.Name) is string feature && featureStates.Contains(feature);
                if (existing is { Closed: false } && !replacedByFeature)
                    throw new EsError(500, "snapshot_restore_exception",
                        $"{id} cannot restore index [{target}] because an open index with same name already exists in the cluster. Either close or delete the existing index or restore the index under a different name by providing a rename pattern and replacement name");
                var created = new VersionProfile(source.CreatedVersion);
                var archive = false;
                if (created.Major < master.Profile.OldestReadableIndexMajor)
                {
                    var v = master.Profile.Version;
                    if (v < new Version(8, 3, 0) || created.Major < 5)
                        throw new EsError(500, "snapshot_restore_exception", $"{id} cannot restore index [{source.Name}] because it cannot be upgraded",
                            new EsError(500, "illegal_state_exception",
                                $"The index [[{source.Name}/{StableId("snapshot-index:" + source.Name)}]] was created with version [{source.CreatedVersion}] but the minimum compatible version is [{master.Profile.OldestReadableIndexMajor}.0.0]. It should be re-indexed in Elasticsearch {master.Profile.OldestReadableIndexMajor}.x before upgrading to {master.Profile.Number}."));
                    if (LicenseType is not ("enterprise" or "trial"))
                        throw new EsError(403, "security_exception", "current license is non-compliant for [archive]",
                            metadata: new Dictionary<string, object?> { ["license.expired.feature"] = "archive" });
                    archive = true;
                }
                targets.Add((source, target, archive));
            }
            foreach (var dup in targets.GroupBy(t => t.Name).Where(g => g.Count() > 1))
                throw new EsError(500, "snapshot_restore_exception", $"{id} indices [{string.Join(",", dup.Select(d => d.Source.Name))}] and [{dup.Key}] are renamed into the same index [{dup.Key}]");

            // RestoreService refuses settings a restore cannot change (the shard count, the creation version, the uuid).
            foreach (var key in request.IndexSettings.Keys.Select(k => k.StartsWith("index.", StringComparison.Ordinal) ? k : "index." + k))
                if (key is "index.number_of_shards" or "index.version.created" or "index.uuid" or "index.creation_date" or "index.soft_deletes.enabled")
                    throw new EsError(500, "snapshot_restore_exception", $"{id} cannot modify setting [{key}] on restore");
            if (request.IndexSettings.FirstOrDefault(p => p.Key is "index.number_of_replicas" or "number_of_replicas").Value is string r && !int.TryParse(r, out _))
                throw EsError.IllegalArgument($"Failed to parse value [{r}] for setting [index.number_of_replicas]");

            // All checks passed: now change the cluster.
            var restored = new List<EmulatedIndex>();
            foreach (var (source, target, archive) in targets)
            {
                if (Index(target) is { } old) indices.Remove(old);
                var settings = new Dictionary<string, string?>(source.Settings);
                foreach (var ignored in request.IgnoreIndexSettings)
                    foreach (var key in settings.Keys.Where(k => Wildcard.Matches(ignored.StartsWith("index.", StringComparison.Ordinal) ? ignored : "index." + ignored, k)).ToList())
                        settings.Remove(key);
                var replicas = source.Replicas;
                foreach (var (k, v) in request.IndexSettings)
                {
                    var key = k.StartsWith("index.", StringComparison.Ordinal) ? k : "index." + k;
                    if (key == "index.number_of_replicas") replicas = int.Parse(v ?? "1");
                    else settings[key] = v;
                }
                if (archive) settings["index.blocks.write"] = "true";
                var spec = new IndexSpec
                {
                    Name = target, Shards = source.Shards, Replicas = replicas, Documents = source.Documents, CreatedVersion = source.CreatedVersion,
                    MappingType = source.MappingType, Settings = settings, TierPreference = settings.GetValueOrDefault(EmulatedIndex.TierPreferenceSetting) ?? "data_content",
                    Aliases = request.IncludeAliases ? source.Aliases.ToList() : new List<string>(),
                };
                var index = new EmulatedIndex(spec, StableId("index:" + target + ":" + Clock.UtcNow.Ticks), Clock.UtcNow)
                {
                    Archive = archive, RestoreSource = $"{repo.Name}:{name}",
                };
                foreach (var copy in index.Copies) copy.UnassignedReason = "NEW_INDEX_RESTORED";
                indices.Add(index);
                restored.Add(index);
            }
            if (request.IncludeGlobalState && snapshot.IncludeGlobalState) RestoreGlobalState(snapshot);
            Reroute();
            TrackBusy(Clock.UtcNow);
            Signal();
            return restored;
        }
    }

    static string Bracket(IEnumerable<string> names) => "[" + string.Join(", ", names) + "]";

    public static string? FeatureOfIndex(string index) => SystemFeatureOf(index);

    static string? SystemFeatureOf(string index) =>
        FeatureDescriptors.FirstOrDefault(d => d.Patterns.Any(p => Wildcard.Matches(p, index))).Feature;

    void RestoreGlobalState(SnapshotSpec snapshot)
    {
        Persistent.Clear();
        foreach (var (k, v) in snapshot.PersistentSettings)
            Persistent[SettingsRegistry.IsRemoved(k, SettingsMajor) ? "archived." + k : k] = v;
        Templates.RemoveAll(t => t.Kind != TemplateKind.Legacy);
        foreach (var t in snapshot.Templates)
        {
            Templates.RemoveAll(x => x.Kind == t.Kind && x.Name == t.Name);
            Templates.Add(t);
        }
        IlmPolicies.Clear();
        IlmPolicies.AddRange(snapshot.IlmPolicies);
    }

    /// <summary>True once every primary of the restored indices has recovered from the repository.</summary>
    public bool RestoreDone(IEnumerable<EmulatedIndex> restored)
    {
        lock (Sync) return restored.All(i => !indices.Contains(i) || i.Copies.Where(c => c.Primary).All(c => c.IsActive));
    }
}
