using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Completion;

/// <summary>What a name on the command line can name in a cluster.</summary>
public enum NameKind { Index, Node, Repository, Snapshot, Setting }

/// <summary>
/// The names a cluster holds, for tab completion: read with a short timeout and no retry, kept for
/// <see cref="CacheFor"/>, and nothing (never an error) when the cluster does not answer in time.
/// </summary>
public static class NameCatalog
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    static readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<string> Names)> Cache = new ConcurrentDictionary<string, (DateTimeOffset, IReadOnlyList<string>)>(StringComparer.Ordinal);

    /// <summary>The names of <paramref name="kind"/> (snapshots: of <paramref name="repository"/>, or of every repository).</summary>
    public static IReadOnlyList<string> Names(EsConnection connection, NameKind kind, string? repository = null)
    {
        var key = string.Join("|", connection.Name, connection.ClusterUuid, kind, repository ?? "");
        if (Cache.TryGetValue(key, out var cached) && DateTimeOffset.UtcNow - cached.At < CacheFor) return cached.Names;
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            var api = new EsApi(connection).Retrying(TimeSpan.Zero);
            var task = Task.Run(() => FetchAsync(api, kind, repository, cts.Token));
            if (!task.Wait(Timeout)) return cached.Names ?? Array.Empty<string>();
            var names = task.Result.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
            Cache[key] = (DateTimeOffset.UtcNow, names);
            return names;
        }
        catch (Exception)
        {
            // Completion stays silent: an unreachable cluster completes nothing.
            return cached.Names ?? Array.Empty<string>();
        }
    }

    static async Task<IReadOnlyList<string>> FetchAsync(EsApi api, NameKind kind, string? repository, CancellationToken ct)
    {
        switch (kind)
        {
            case NameKind.Index:
                var indices = await api.GetJsonAsync(EsRequest.Get("/_cat/indices?format=json&h=index&expand_wildcards=open,closed"), ct).ConfigureAwait(false);
                return indices.EnumerateArray().Select(r => r.Str("index") ?? "").ToList();
            case NameKind.Node:
                var nodes = await api.GetJsonAsync(EsRequest.Get("/_cat/nodes?format=json&h=name"), ct).ConfigureAwait(false);
                return nodes.EnumerateArray().Select(r => r.Str("name") ?? "").ToList();
            case NameKind.Repository:
                return await RepositoriesAsync(api, ct).ConfigureAwait(false);
            case NameKind.Snapshot:
                var names = new List<string>();
                foreach (var repo in repository is null ? await RepositoriesAsync(api, ct).ConfigureAwait(false) : new[] { repository })
                {
                    var snapshots = await api.GetJsonAsync(EsRequest.Get($"/_snapshot/{Uri.EscapeDataString(repo)}/_all"), ct).ConfigureAwait(false);
                    names.AddRange(snapshots.Array("snapshots").Select(s => s.Str("snapshot") ?? ""));
                }
                return names;
            default:
                var settings = await api.GetJsonAsync(EsRequest.Get("/_cluster/settings?flat_settings=true&include_defaults=true"), ct).ConfigureAwait(false);
                return new[] { "persistent", "transient", "defaults" }.SelectMany(scope => settings.Object(scope).Select(p => p.Name)).ToList();
        }
    }

    static async Task<IReadOnlyList<string>> RepositoriesAsync(EsApi api, CancellationToken ct)
    {
        var repositories = await api.GetJsonAsync(EsRequest.Get("/_snapshot"), ct).ConfigureAwait(false);
        return repositories.ValueKind == System.Text.Json.JsonValueKind.Object ? repositories.EnumerateObject().Select(p => p.Name).ToList() : new List<string>();
    }
}
