using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Wire;

namespace EsUpgrade.Monitoring;

/// <summary>One API the bundle asked: where its answer went, or why there is none.</summary>
public sealed class DiagnosticEntry
{
    public string Path { get; internal set; } = "";
    public string File { get; internal set; } = "";
    /// <summary>Ok, or Failed (with Error).</summary>
    public string Status { get; internal set; } = "";
    public string? Error { get; internal set; }
}

/// <summary>A zip of API outputs for the guide's "troubleshoot" step, as Elastic's support diagnostics collect them.</summary>
public sealed class EsDiagnosticBundle
{
    public EsConnection Connection { get; internal set; } = null!;
    /// <summary>The zip written (not named Path: a piped bundle is no configuration file).</summary>
    public string ZipFile { get; internal set; } = "";
    public DateTimeOffset TakenAt { get; internal set; }
    public IReadOnlyList<DiagnosticEntry> Entries { get; internal set; } = Array.Empty<DiagnosticEntry>();
    public int Collected => Entries.Count(e => e.Status == "Ok");
    public IReadOnlyList<string> Failed => Entries.Where(e => e.Status != "Ok").Select(e => e.Path).ToList();
    public override string ToString() => $"{ZipFile}: {Collected} of {Entries.Count} collected";
}

/// <summary>
/// Collects what support asks for — cluster and node info and stats, health, settings, allocation explain, shards,
/// recovery, tasks, pending tasks, deprecations, snapshots, templates, policies, and the upgrade's state file — one file
/// per API plus a manifest, with secrets removed: any value whose key names a password, secret, token, key or
/// credential, and any Authorization header. An API that fails (a red or partly unreachable cluster) is listed in the
/// manifest, never the end of the bundle.
/// </summary>
public static class DiagnosticCollector
{
    static readonly (string Path, string File)[] Apis =
    {
        ("/", "version.json"),
        ("/_cluster/health?level=indices", "cluster_health.json"),
        ("/_cluster/settings?include_defaults=true&flat_settings=true", "cluster_settings.json"),
        ("/_cluster/stats", "cluster_stats.json"),
        ("/_cluster/pending_tasks", "pending_tasks.json"),
        ("/_cluster/allocation/explain", "allocation_explain.json"),
        ("/_nodes", "nodes.json"),
        ("/_nodes/stats", "nodes_stats.json"),
        ("/_nodes/shutdown", "nodes_shutdown.json"),
        ("/_cat/nodes?v&h=name,version,node.role,master,ip,heap.percent,disk.used_percent,cpu,load_1m", "cat_nodes.txt"),
        ("/_cat/indices?v&expand_wildcards=all", "cat_indices.txt"),
        ("/_cat/shards?v", "cat_shards.txt"),
        ("/_cat/recovery?v&active_only=true", "cat_recovery.txt"),
        ("/_tasks?detailed=true", "tasks.json"),
        ("/_migration/deprecations", "deprecations.json"),
        ("/_migration/system_features", "system_features.json"),
        ("/_snapshot", "repositories.json"),
        ("/_alias", "aliases.json"),
        ("/_template", "templates_legacy.json"),
        ("/_index_template", "templates_composable.json"),
        ("/_ilm/policy", "ilm_policies.json"),
        ("/_license", "license.json"),
        ("/_ml/info", "ml_info.json"),
    };

    /// <summary>A key's last dotted part naming a secret (a tokenizer is no token).</summary>
    static readonly Regex SecretKey = new Regex(@"(^|\.)[^.]*(password|passwd|secret|credential|authorization|api_?key|access_key|private_key)[^.]*$|(^|[._])token$", RegexOptions.IgnoreCase);
    const string Removed = "[removed by EsUpgrade]";

    public static async Task<EsDiagnosticBundle> CollectAsync(EsApi api, string path, string? statePath, CancellationToken ct)
    {
        var entries = new List<DiagnosticEntry>();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (apiPath, file) in Apis)
        {
            var entry = new DiagnosticEntry { Path = apiPath, File = file };
            try
            {
                var response = await api.SendAsync(EsRequest.Get(apiPath.Contains("_cat/") ? apiPath + "&format=txt" : apiPath, TimeSpan.FromSeconds(30)), ct).ConfigureAwait(false);
                files[file] = Encoding.UTF8.GetBytes(file.EndsWith(".json", StringComparison.Ordinal) ? Redact(response.Body) : response.Body);
                entry.Status = "Ok";
            }
            catch (EsException ex) when (!ct.IsCancellationRequested)
            {
                entry.Status = "Failed";
                entry.Error = ex.Message;
                api.Log.Verbose($"[{api.Connection.Name}] diagnostic {apiPath}: {ex.Message}");
            }
            entries.Add(entry);
        }
        if (statePath != null)
        {
            var entry = new DiagnosticEntry { Path = statePath, File = "upgrade_state.json" };
            try
            {
                files[entry.File] = Encoding.UTF8.GetBytes(Redact(Files.Guard(statePath, () => System.IO.File.ReadAllText(statePath))));
                entry.Status = "Ok";
            }
            catch (EsException ex)
            {
                entry.Status = "Failed";
                entry.Error = ex.Message;
            }
            entries.Add(entry);
        }
        var bundle = new EsDiagnosticBundle { Connection = api.Connection, ZipFile = path, TakenAt = api.Clock.UtcNow, Entries = entries };
        var manifest = JsonSerializer.Serialize(new
        {
            tool = "EsUpgrade Export-EsDiagnostic",
            cluster = api.Connection.ClusterName, clusterUuid = api.Connection.ClusterUuid, version = api.Connection.Version,
            takenAt = bundle.TakenAt, secrets = "values whose key names a password, secret, token, key or credential, and Authorization headers, are replaced",
            entries = entries.Select(e => new { path = e.Path, file = e.Status == "Ok" ? e.File : null, status = e.Status, error = e.Error }),
        }, new JsonSerializerOptions { WriteIndented = true });
        Files.Guard(path, () =>
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
            void Add(string name, byte[] bytes)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(bytes, 0, bytes.Length);
            }
            Add("manifest.json", Encoding.UTF8.GetBytes(manifest));
            foreach (var f in files) Add(f.Key, f.Value);
        });
        return bundle;
    }

    /// <summary>The JSON with every secret-looking value replaced; text that is not JSON is returned as it is.</summary>
    public static string Redact(string json)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException) { return json; }
        using (doc)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
                Write(writer, doc.RootElement, secret: false);
            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    static void Write(Utf8JsonWriter w, JsonElement e, bool secret)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var p in e.EnumerateObject())
                {
                    w.WritePropertyName(p.Name);
                    Write(w, p.Value, secret || SecretKey.IsMatch(p.Name));
                }
                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var x in e.EnumerateArray()) Write(w, x, secret);
                w.WriteEndArray();
                break;
            default:
                if (secret && e.ValueKind is JsonValueKind.String or JsonValueKind.Number) w.WriteStringValue(Removed);
                else e.WriteTo(w);
                break;
        }
    }
}
