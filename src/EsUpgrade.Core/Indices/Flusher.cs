using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Indices;

/// <summary>Flushes indices, so shard copies that restart recover from their own data.</summary>
public static class Flusher
{
    /// <summary>Flushes the indices the names give (all when none); each full name that matches nothing is an IndexNotFound.</summary>
    public static Task<Lookup<IReadOnlyList<FlushResult>>> FlushIndicesAsync(EsApi api, IReadOnlyList<string>? names, bool synced, CancellationToken ct) =>
        IndexLookup.RunAsync(api, names, async expression => (IReadOnlyList<FlushResult>)new[] { await FlushAsync(api, expression, synced, ct).ConfigureAwait(false) });

    /// <summary>POST _flush (or {index}/_flush); with <paramref name="synced"/> on 7.x, the deprecated synced flush.</summary>
    public static async Task<FlushResult> FlushAsync(EsApi api, string? index, bool synced, CancellationToken ct)
    {
        if (synced && api.Connection.MajorVersion >= 8)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.SyncedFlushRemoved, "Synced flush was removed in Elasticsearch 8.0; a normal flush does the same job.", api.Connection.Name);
        var path = (string.IsNullOrEmpty(index) ? "" : "/" + Uri.EscapeDataString(index)) + (synced ? "/_flush/synced" : "/_flush");
        var body = await api.GetJsonAsync(new EsRequest("POST", path), ct, 409).ConfigureAwait(false);
        var shards = body.Prop("_shards");
        return new FlushResult
        {
            Connection = api.Connection,
            Index = index ?? "_all",
            Synced = synced,
            Total = shards?.Int("total") ?? 0,
            Successful = shards?.Int("successful") ?? 0,
            Failed = shards?.Int("failed") ?? 0,
        };
    }
}
