using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Snapshots;

/// <summary>A registered snapshot repository.</summary>
public sealed class EsSnapshotRepository
{
    public EsConnection Connection { get; internal set; } = null!;
    public string Name { get; internal set; } = "";
    /// <summary>The name again, under the name the snapshot cmdlets bind from the pipeline.</summary>
    public string Repository => Name;
    /// <summary>fs, url, s3, azure, gcs, ...</summary>
    public string Type { get; internal set; } = "";
    /// <summary>An fs repository's folder (as the node resolved it), a url repository's URL, a cloud repository's bucket or container.</summary>
    public string? Location { get; internal set; }
    public bool ReadOnly { get; internal set; }
    public IReadOnlyDictionary<string, string> Settings { get; internal set; } = new Dictionary<string, string>();
    public override string ToString() => Name;
}

/// <summary>Which nodes could write and read a repository (POST _snapshot/{name}/_verify).</summary>
public sealed class RepositoryVerification
{
    public EsConnection Connection { get; internal set; } = null!;
    public string Name { get; internal set; } = "";
    public IReadOnlyList<string> Nodes { get; internal set; } = Array.Empty<string>();
    public override string ToString() => $"{Name}: {Nodes.Count} nodes";
}

/// <summary>Snapshot repositories: register, list, verify, unregister.</summary>
public static class SnapshotRepositories
{
    /// <summary>The repositories the names give (wildcards; all when none); each full name that matches none is a RepositoryNotFound.</summary>
    public static async Task<Lookup<IReadOnlyList<EsSnapshotRepository>>> FindAsync(EsApi api, IReadOnlyList<string>? names, CancellationToken ct)
    {
        var all = await GetAsync(api, ct).ConfigureAwait(false);
        var found = all.Where(r => names is null || names.Any(n => Names.Like(n, r.Name))).ToList();
        var missing = Names.Unmatched(names, n => all.Any(r => Names.Like(n, r.Name))).Select(n => NotFound(api, n)).ToList();
        return new Lookup<IReadOnlyList<EsSnapshotRepository>>(found, missing);
    }

    public static async Task<IReadOnlyList<EsSnapshotRepository>> GetAsync(EsApi api, CancellationToken ct)
    {
        var body = await api.GetJsonAsync(EsRequest.Get("/_snapshot"), ct).ConfigureAwait(false);
        return body.ValueKind != JsonValueKind.Object ? Array.Empty<EsSnapshotRepository>() : body.EnumerateObject().Select(r =>
        {
            var settings = r.Value.Object("settings").ToDictionary(s => s.Name, s => s.Value.ValueKind == JsonValueKind.String ? s.Value.GetString() ?? "" : s.Value.GetRawText());
            return new EsSnapshotRepository
            {
                Connection = api.Connection,
                Name = r.Name,
                Type = r.Value.Str("type") ?? "",
                Location = new[] { "location", "url", "bucket", "container" }.Select(k => settings.TryGetValue(k, out var v) ? v : null).FirstOrDefault(v => v != null),
                ReadOnly = settings.TryGetValue("readonly", out var ro) && ro == "true",
                Settings = settings,
            };
        }).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// PUT _snapshot/{name}. Elasticsearch's refusals (an fs location outside path.repo, an unknown type, a verification
    /// that failed on a node) become a RepositoryRejected error with its reason and the remedy.
    /// </summary>
    public static async Task<EsSnapshotRepository> RegisterAsync(EsApi api, string name, string type, IReadOnlyDictionary<string, object?> settings, bool readOnly, bool verify, CancellationToken ct)
    {
        var all = new Dictionary<string, object?>(settings.ToDictionary(s => s.Key, s => s.Value), StringComparer.Ordinal);
        if (readOnly) all["readonly"] = true;
        var body = JsonSerializer.Serialize(new Dictionary<string, object?> { ["type"] = type, ["settings"] = all });
        try
        {
            await api.SendAsync(new EsRequest("PUT", $"/_snapshot/{Uri.EscapeDataString(name)}?verify={(verify ? "true" : "false")}", body), ct).ConfigureAwait(false);
        }
        catch (EsServerException ex) when (ex.ErrorType is "repository_exception" or "repository_verification_exception")
        {
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.RepositoryRejected,
                $"{api.Connection.Name} refused repository [{name}]: {ex.Reason}." +
                (type == "fs" ? " An fs repository's location must be inside path.repo in the elasticsearch.yml of every master and data node (a change there needs a restart), and the same shared folder on each." : ""),
                name, ex);
        }
        var lookup = await FindAsync(api, new[] { name }, ct).ConfigureAwait(false);
        return lookup.Found.Single();
    }

    public static async Task<RepositoryVerification> VerifyAsync(EsApi api, string name, CancellationToken ct)
    {
        try
        {
            var body = await api.GetJsonAsync(new EsRequest("POST", $"/_snapshot/{Uri.EscapeDataString(name)}/_verify"), ct).ConfigureAwait(false);
            return new RepositoryVerification
            {
                Connection = api.Connection, Name = name,
                Nodes = body.Object("nodes").Select(n => n.Value.Str("name") ?? n.Name).OrderBy(n => n, StringComparer.Ordinal).ToList(),
            };
        }
        catch (EsServerException ex) when (ex.ErrorType == "repository_missing_exception")
        {
            throw NotFound(api, name);
        }
        catch (EsServerException ex) when (ex.ErrorType == "repository_verification_exception")
        {
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.RepositoryRejected,
                $"Repository [{name}] failed verification on {api.Connection.Name}: {ex.Reason}. Every master and data node must reach the same location.", name, ex);
        }
    }

    public static async Task UnregisterAsync(EsApi api, string name, CancellationToken ct)
    {
        try
        {
            await api.SendAsync(new EsRequest("DELETE", $"/_snapshot/{Uri.EscapeDataString(name)}"), ct).ConfigureAwait(false);
        }
        catch (EsServerException ex) when (ex.ErrorType == "repository_missing_exception")
        {
            throw NotFound(api, name);
        }
    }

    public static EsException NotFound(EsApi api, string name) =>
        new EsException(EsErrorKind.NotFound, ErrorIds.RepositoryNotFound, $"There is no snapshot repository named '{name}' in {api.Connection.Name}.", name);
}
