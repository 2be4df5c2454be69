namespace EsUpgrade.Emulator.Model;

/// <summary>
/// System features and their migration (BEHAVIOUR-ASSESS.md §2): a feature owns the system indices its descriptors
/// match; one whose oldest index was created before 7.0 needs migrating before 8.x. POST starts a persistent task that
/// reindexes one feature after another, each taking <see cref="ClusterSpec.FeatureMigrationTime"/>; a feature named in
/// <see cref="ClusterSpec.FailingFeatureMigration"/> ends in ERROR with a failure cause on its first index.
/// </summary>
public sealed partial class EmulatedCluster
{
    /// <summary>Feature name → the index patterns of its system index descriptors (in part).</summary>
    static readonly (string Feature, string[] Patterns)[] FeatureDescriptors =
    {
        ("async_search", new[] { ".async-search*" }),
        ("enrich", new[] { ".enrich-*" }),
        ("fleet", new[] { ".fleet-*" }),
        ("geoip", new[] { ".geoip_databases*" }),
        ("kibana", new[] { ".kibana*", ".reporting-*", ".apm-agent-configuration*", ".apm-custom-link*" }),
        ("logstash_management", new[] { ".logstash*" }),
        ("machine_learning", new[] { ".ml-config*", ".ml-inference-*", ".ml-meta*" }),
        ("searchable_snapshots", new[] { ".snapshot-blob-cache*" }),
        ("security", new[] { ".security-*", ".security" }),
        ("tasks", new[] { ".tasks*" }),
        ("transform", new[] { ".transform-internal-*" }),
        ("watcher", new[] { ".watches*", ".triggered_watches*" }),
    };

    static readonly string[] StatusOrder = { "NO_MIGRATION_NEEDED", "MIGRATION_NEEDED", "IN_PROGRESS", "ERROR" };

    public sealed record SystemFeature(string Name, string MinimumIndexVersion, string Status, IReadOnlyList<EmulatedIndex> Indices);

    readonly Queue<string> featuresToMigrate = new();
    DateTimeOffset featureDueAt;
    readonly Dictionary<string, string> featureFailures = new(StringComparer.Ordinal);

    public bool FeatureMigrationRunning => featuresToMigrate.Count > 0;

    /// <summary>The features, sorted by name, with their indices (sorted) and status. Call under the lock.</summary>
    public IEnumerable<SystemFeature> SystemFeatures()
    {
        var current = RequireMaster().Profile;
        foreach (var (feature, patterns) in FeatureDescriptors)
        {
            var owned = indices.Where(i => patterns.Any(p => Wildcard.Matches(p, i.Name))).OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
            var min = owned.Select(i => i.CreatedVersion).OrderBy(v => v.Version).FirstOrDefault() ?? current;
            var status = featuresToMigrate.Count > 0 && featuresToMigrate.Peek() == feature ? "IN_PROGRESS"
                : owned.Any(i => featureFailures.ContainsKey(i.Name)) ? "ERROR"
                : min.Version < new Version(7, 0, 0) ? "MIGRATION_NEEDED" : "NO_MIGRATION_NEEDED";
            yield return new SystemFeature(feature, min.Number, status, owned);
        }
    }

    public static string OverallFeatureStatus(IEnumerable<SystemFeature> features, bool taskRunning) =>
        StatusOrder[features.Select(f => Array.IndexOf(StatusOrder, f.Status)).Append(taskRunning ? 2 : 0).Max()];

    public string? FeatureMigrationFailure(EmulatedIndex index) => featureFailures.GetValueOrDefault(index.Name);

    /// <summary>POST _migration/system_features: queues every feature that needs migrating or failed; returns their names.</summary>
    public IReadOnlyList<string> StartSystemFeatureMigration()
    {
        lock (Sync)
        {
            if (featuresToMigrate.Count > 0) return featuresToMigrate.ToList();
            var due = SystemFeatures().Where(f => f.Status is "MIGRATION_NEEDED" or "ERROR").Select(f => f.Name).ToList();
            foreach (var f in due) featuresToMigrate.Enqueue(f);
            foreach (var i in indices.Where(i => due.Any(f => FeatureOf(i) == f))) featureFailures.Remove(i.Name);
            featureDueAt = Clock.UtcNow + Spec.FeatureMigrationTime;
            Signal();
            return due;
        }
    }

    static string? FeatureOf(EmulatedIndex index) =>
        FeatureDescriptors.FirstOrDefault(d => d.Patterns.Any(p => Wildcard.Matches(p, index.Name))).Feature;

    /// <summary>Finishes the features whose time has come; true when something changed. Under the lock, from Tick.</summary>
    bool TickFeatureMigration(DateTimeOffset now)
    {
        var any = false;
        while (featuresToMigrate.Count > 0 && featureDueAt <= now)
        {
            var feature = featuresToMigrate.Dequeue();
            var owned = indices.Where(i => FeatureOf(i) == feature).OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
            if (Spec.FailingFeatureMigration == feature && owned.Count > 0)
            {
                // The task stops at the first failure; later features stay as they were.
                featureFailures[owned[0].Name] = $"failed to reindex [{owned[0].Name}] into [{owned[0].Name}-reindexed-for-8]";
                featuresToMigrate.Clear();
            }
            else
            {
                foreach (var i in owned.Where(i => i.CreatedVersion.Version < new Version(7, 0, 0))) i.CreatedVersion = RequireMaster().Profile;
            }
            featureDueAt += Spec.FeatureMigrationTime;
            any = true;
        }
        return any;
    }

    DateTimeOffset? FeatureMigrationDue => featuresToMigrate.Count > 0 ? featureDueAt : null;
}
