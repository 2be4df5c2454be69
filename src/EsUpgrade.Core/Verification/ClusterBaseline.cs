using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Health;
using EsUpgrade.Indices;
using EsUpgrade.Inventory;
using EsUpgrade.Json;
using EsUpgrade.Migration;
using EsUpgrade.Wire;

namespace EsUpgrade.Verification;

public sealed class BaselineNode
{
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    public List<string> Roles { get; set; } = new List<string>();
}

public sealed class BaselineIndex
{
    public string Name { get; set; } = "";
    public long Documents { get; set; }
    public string Health { get; set; } = "";
    public string Status { get; set; } = "";
    public string? CreatedVersion { get; set; }
    public bool Hidden { get; set; }
    public List<string> Aliases { get; set; } = new List<string>();
}

/// <summary>
/// What a cluster held at one moment, kept as JSON beside the change: versions, nodes, health, indices with their
/// document counts and aliases, templates, ILM policies and cluster settings. Test-EsUpgradeResult checks against it.
/// </summary>
public sealed class EsClusterBaseline
{
    public int Format { get; set; } = 1;
    public string ClusterName { get; set; } = "";
    public string ClusterUuid { get; set; } = "";
    public DateTimeOffset TakenAt { get; set; }
    public string Health { get; set; } = "";
    public List<BaselineNode> Nodes { get; set; } = new List<BaselineNode>();
    public List<BaselineIndex> Indices { get; set; } = new List<BaselineIndex>();
    public List<string> IndexTemplates { get; set; } = new List<string>();
    public List<string> ComponentTemplates { get; set; } = new List<string>();
    public List<string> LegacyTemplates { get; set; } = new List<string>();
    public List<string> IlmPolicies { get; set; } = new List<string>();
    public Dictionary<string, string> PersistentSettings { get; set; } = new Dictionary<string, string>();
    public Dictionary<string, string> TransientSettings { get; set; } = new Dictionary<string, string>();
    /// <summary>Where it was written or read (not part of the file; not named Path, so a piped baseline is no configuration file).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? BaselineFile { get; set; }
    public long TotalDocuments => Indices.Sum(i => i.Documents);
    public override string ToString() => $"{ClusterName} at {TakenAt:u}: {Nodes.Count} nodes, {Indices.Count} indices, {TotalDocuments} documents";
}

/// <summary>Takes, writes and reads baselines.</summary>
public static class ClusterBaselines
{
    static readonly JsonSerializerOptions Options = new JsonSerializerOptions { WriteIndented = true };

    public static async Task<EsClusterBaseline> TakeAsync(EsApi api, CancellationToken ct)
    {
        var nodes = await InventoryReader.GetNodesAsync(api, null, ct).ConfigureAwait(false);
        var health = await HealthReader.GetAsync(api, null, HealthLevel.Cluster, ct).ConfigureAwait(false);
        var indices = await IndexReader.GetIndicesAsync(api, null, includeHidden: true, ct).ConfigureAwait(false);
        var aliases = await api.GetJsonAsync(EsRequest.Get("/_alias?expand_wildcards=all"), ct).ConfigureAwait(false);
        var settings = await api.GetJsonAsync(EsRequest.Get("/_cluster/settings?flat_settings=true"), ct).ConfigureAwait(false);
        var named = await ClusterComparison.NamedAsync(api, ct).ConfigureAwait(false);
        Dictionary<string, string> Flat(string scope) => settings.Object(scope).ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText());
        return new EsClusterBaseline
        {
            ClusterName = api.Connection.ClusterName, ClusterUuid = api.Connection.ClusterUuid, TakenAt = api.Clock.UtcNow, Health = health.Status.ToString().ToLowerInvariant(),
            Nodes = nodes.Select(n => new BaselineNode { Name = n.Name, Version = n.VersionNumber, Roles = n.Roles.ToList() }).OrderBy(n => n.Name, StringComparer.Ordinal).ToList(),
            Indices = indices.Select(i => new BaselineIndex
            {
                Name = i.Name, Documents = i.DocsCount, Health = i.Health?.ToString().ToLowerInvariant() ?? "", Status = i.Status, CreatedVersion = i.CreatedVersion?.ToString(), Hidden = i.IsHidden,
                Aliases = aliases.Prop(i.Name)?.Object("aliases").Select(a => a.Name).OrderBy(a => a, StringComparer.Ordinal).ToList() ?? new List<string>(),
            }).ToList(),
            IndexTemplates = Sorted(named["IndexTemplate"]),
            ComponentTemplates = Sorted(named["ComponentTemplate"]),
            LegacyTemplates = Sorted(named["LegacyTemplate"]),
            IlmPolicies = Sorted(named["IlmPolicy"]),
            PersistentSettings = Flat("persistent"),
            TransientSettings = Flat("transient"),
        };
    }

    static List<string> Sorted(IEnumerable<string> names) => names.OrderBy(n => n, StringComparer.Ordinal).ToList();

    public static void Save(EsClusterBaseline baseline, string path) =>
        Files.Guard(path, () =>
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            File.WriteAllText(path, JsonSerializer.Serialize(baseline, Options));
            baseline.BaselineFile = path;
        });

    public static EsClusterBaseline Load(string path)
    {
        var text = Files.Guard(path, () => File.ReadAllText(path));
        try
        {
            var baseline = JsonSerializer.Deserialize<EsClusterBaseline>(text, Options);
            if (baseline is null || baseline.Format != 1 || string.IsNullOrEmpty(baseline.ClusterUuid))
                throw new JsonException("not a baseline");
            baseline.BaselineFile = path;
            return baseline;
        }
        catch (JsonException ex)
        {
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidBaseline,
                $"'{path}' is not a baseline written by Export-EsClusterBaseline (or it is damaged): {ex.Message}", path, ex);
        }
    }

    /// <summary>The baseline the rolling upgrade and the migration take beside their state file.</summary>
    public static string BesideStateFile(string statePath) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(statePath)) ?? ".",
            System.IO.Path.GetFileNameWithoutExtension(statePath) + ".baseline.json");
}
