namespace EsUpgrade.Emulator.Model;

/// <summary>Cluster metadata the assessment reads: index templates (legacy, composable, component), ML jobs and their model snapshots, the license.</summary>
public sealed partial class EmulatedCluster
{
    public List<TemplateSpec> Templates => Spec.Templates;
    public List<MlJobSpec> MlJobs => Spec.MlJobs;
    /// <summary>Registered snapshot repositories and the snapshots in them (listings only; taking snapshots is another issue's).</summary>
    public List<RepositorySpec> Repositories => Spec.Repositories;
    public List<IlmPolicySpec> IlmPolicies => Spec.IlmPolicies;
    /// <summary>The license type: basic (the default of a self-managed cluster), trial, gold, platinum, enterprise.</summary>
    public string LicenseType => Spec.License;

    /// <summary>
    /// PUT _snapshot/{repository}: an fs repository's location must resolve inside path.repo (a relative one against
    /// its first entry); the folder is created. Registering a name again replaces it.
    /// </summary>
    public void RegisterRepository(RepositorySpec repository)
    {
        lock (Sync)
        {
            RequireMaster();
            if (repository.Type == "fs")
            {
                var roots = Spec.PathRepo.Select(p => Path.GetFullPath(p)).ToList();
                var resolved = Path.IsPathRooted(repository.Location) || roots.Count == 0 ? repository.Location : Path.Combine(roots[0], repository.Location);
                var full = Path.GetFullPath(resolved);
                if (!roots.Any(r => full == r || full.StartsWith(r.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
                    throw new EsError(500, "repository_exception", $"[{repository.Name}] failed to create repository",
                        new EsError(500, "repository_exception", $"[{repository.Name}] location [{repository.Location}] doesn't match any of the locations specified by path.repo" +
                            (roots.Count == 0 ? " because this setting is empty" : "")));
                if (!repository.ReadOnly) Directory.CreateDirectory(full);
                else if (!Directory.Exists(full))
                    throw new EsError(500, "repository_exception", $"[{repository.Name}] failed to create repository",
                        new EsError(500, "repository_exception", $"[{repository.Name}] location [{repository.Location}] does not exist"));
                repository.Location = full;
            }
            else if (repository.Type != "url")
                throw new EsError(500, "repository_exception", $"[{repository.Name}] repository type [{repository.Type}] does not exist");
            var existing = Repositories.FirstOrDefault(r => r.Name == repository.Name);
            if (existing != null)
            {
                repository.Snapshots.AddRange(existing.Snapshots);
                Repositories.Remove(existing);
            }
            Repositories.Add(repository);
            Signal();
        }
    }

    /// <summary>DELETE _snapshot/{repository}: unregisters it; the files stay.</summary>
    public void UnregisterRepository(string name)
    {
        lock (Sync)
        {
            RequireMaster();
            if (Repositories.RemoveAll(r => r.Name == name) == 0)
                throw new EsError(404, "repository_missing_exception", $"[{name}] missing");
            Signal();
        }
    }

    /// <summary>PUT _template/{name}: a legacy template, replacing one of the same name.</summary>
    public void PutTemplate(TemplateSpec template)
    {
        lock (Sync)
        {
            RequireMaster();
            Templates.RemoveAll(t => t.Kind == template.Kind && t.Name == template.Name);
            Templates.Add(template);
            Signal();
        }
    }
}

public enum TemplateKind { Legacy, Composable, Component }

/// <summary>An index template. A legacy template may map several types (6.x) or a custom one; 7.x wants <c>_doc</c> or none.</summary>
public sealed class TemplateSpec
{
    public string Name { get; set; } = "";
    public TemplateKind Kind { get; set; } = TemplateKind.Legacy;
    public List<string> IndexPatterns { get; set; } = new();
    /// <summary>Mapping type names of a legacy template (empty: typeless).</summary>
    public List<string> MappingTypes { get; set; } = new();
    public int Order { get; set; }
}

/// <summary>An anomaly-detection job and its model snapshots.</summary>
public sealed class MlJobSpec
{
    public string JobId { get; set; } = "";
    public List<ModelSnapshotSpec> Snapshots { get; set; } = new();
}

public sealed class ModelSnapshotSpec
{
    public string SnapshotId { get; set; } = "";
    /// <summary>The oldest version that can load the snapshot; before 7.0.0 it must be upgraded or deleted before 8.x.</summary>
    public string MinVersion { get; set; } = "7.17.0";
    public DateTimeOffset LatestRecordTime { get; set; } = new(2021, 3, 1, 0, 0, 0, TimeSpan.Zero);
}

/// <summary>A registered snapshot repository with the snapshots it holds.</summary>
public sealed class RepositorySpec
{
    public string Name { get; set; } = "";
    public string Type { get; set; } = "fs";
    public string Location { get; set; } = "backups";
    public bool ReadOnly { get; set; }
    public bool Compress { get; set; }
    public List<SnapshotSpec> Snapshots { get; set; } = new();
}

public sealed class SnapshotSpec
{
    public string Name { get; set; } = "";
    public string Uuid { get; set; } = Guid.NewGuid().ToString("N")[..22];
    /// <summary>SUCCESS, PARTIAL, FAILED, IN_PROGRESS, INCOMPATIBLE.</summary>
    public string State { get; set; } = "SUCCESS";
    public DateTimeOffset StartTime { get; set; }
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(3);
    public List<string> Indices { get; set; } = new();
    public string Version { get; set; } = "7.17.27";
    public bool IncludeGlobalState { get; set; } = true;
    /// <summary>The shards that could not be snapshotted (PARTIAL), as "index[shard]: reason".</summary>
    public List<string> Failures { get; set; } = new();
    public int ShardsTotal { get; set; }
    /// <summary>What a restore needs of each index (written with the snapshot).</summary>
    public List<SnapshotIndex> IndexMetadata { get; set; } = new();
    /// <summary>Persistent cluster settings, when the global state is included.</summary>
    public Dictionary<string, string> PersistentSettings { get; set; } = new();
    /// <summary>Templates and ILM policies, when the global state is included.</summary>
    public List<TemplateSpec> Templates { get; set; } = new();
    public List<IlmPolicySpec> IlmPolicies { get; set; } = new();
    /// <summary>The system features whose indices the snapshot holds (feature_states).</summary>
    public List<string> FeatureStates { get; set; } = new();
}

/// <summary>An index as a snapshot holds it.</summary>
public sealed class SnapshotIndex
{
    public string Name { get; set; } = "";
    public int Shards { get; set; }
    public int Replicas { get; set; }
    public long Documents { get; set; }
    public string CreatedVersion { get; set; } = "";
    public List<string> Aliases { get; set; } = new();
    public string? MappingType { get; set; }
    public Dictionary<string, string?> Settings { get; set; } = new();
}

/// <summary>An ILM policy: its phases and the actions of each (settings of actions are not modelled).</summary>
public sealed class IlmPolicySpec
{
    public string Name { get; set; } = "";
    public Dictionary<string, List<string>> Phases { get; set; } = new() { ["hot"] = new() { "rollover" }, ["delete"] = new() { "delete" } };
}
