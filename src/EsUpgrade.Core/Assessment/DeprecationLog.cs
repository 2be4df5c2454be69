using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Json;
using EsUpgrade.Settings;
using EsUpgrade.Wire;

namespace EsUpgrade.Assessment;

/// <summary>One deprecated call pattern in the deprecation log: a message from one client, with how often and when.</summary>
public sealed class DeprecationLogGroup
{
    public EsConnection Connection { get; internal set; } = null!;
    public string Message { get; internal set; } = "";
    /// <summary>The deprecation key (event.code), e.g. <c>index_with_types</c>.</summary>
    public string? Key { get; internal set; }
    public string? Level { get; internal set; }
    public string? Category { get; internal set; }
    /// <summary>Who called: the request's X-Opaque-Id, else the Elastic product it came from, else "(unknown)".</summary>
    public string Client { get; internal set; } = "";
    /// <summary>The Elastic product the calls came from (kibana, beats, ...), empty for others.</summary>
    public string? ProductOrigin { get; internal set; }
    public long Count { get; internal set; }
    public DateTimeOffset FirstSeen { get; internal set; }
    public DateTimeOffset LastSeen { get; internal set; }
    public IReadOnlyList<string> Nodes { get; internal set; } = Array.Empty<string>();
    public override string ToString() => $"{Count}x {Client}: {Message}";
}

/// <summary>Whether deprecations are logged and indexed, as Kibana's Upgrade Assistant reads it.</summary>
public sealed class DeprecationLoggingState
{
    public EsConnection Connection { get; internal set; } = null!;
    /// <summary><c>cluster.deprecation_indexing.enabled</c>: deprecations written to the data stream Get-EsDeprecationLog reads.</summary>
    public bool IndexingEnabled { get; internal set; }
    /// <summary><c>logger.deprecation</c>: WARN (or finer) logs deprecations, ERROR does not.</summary>
    public string LoggerLevel { get; internal set; } = "";
    public bool LoggingEnabled => LoggerLevel is "ALL" or "TRACE" or "DEBUG" or "INFO" or "WARN";
    public override string ToString() => $"indexing {(IndexingEnabled ? "on" : "off")}, logger.deprecation {LoggerLevel}";
}

/// <summary>The deprecation log data stream (7.16+ indexes it by default) and the settings that turn it on and off (BEHAVIOUR-ASSESS.md §4).</summary>
public static class DeprecationLog
{
    public const string DataStream = ".logs-deprecation.elasticsearch-default";
    /// <summary>The most a search returns at once (index.max_result_window); more is said, not silently dropped.</summary>
    public const int MaxEntries = 10_000;

    public static async Task<(IReadOnlyList<DeprecationLogGroup> Groups, long Total, int Read)> ReadAsync(EsApi api, DateTimeOffset since, CancellationToken ct)
    {
        var query = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["size"] = MaxEntries,
            ["sort"] = new[] { new Dictionary<string, object> { ["@timestamp"] = "desc" } },
            ["query"] = new Dictionary<string, object> { ["range"] = new Dictionary<string, object> { ["@timestamp"] = new Dictionary<string, object> { ["gte"] = since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture) } } },
        });
        JsonElement body;
        try
        {
            body = await api.GetJsonAsync(new EsRequest("POST", $"/{DataStream}/_search", query), ct).ConfigureAwait(false);
        }
        catch (EsServerException ex) when (ex.IsIndexNotFound)
        {
            // Nothing was ever logged (or indexing is off): the data stream does not exist yet.
            return (Array.Empty<DeprecationLogGroup>(), 0, 0);
        }
        var hits = body.Prop("hits")?.Array("hits").Select(h => h.Prop("_source")).Where(s => s.HasValue).Select(s => s!.Value).ToList() ?? new List<JsonElement>();
        var total = body.Prop("hits")?.Prop("total")?.Long("value") ?? hits.Count;
        var groups = hits.Select(s => (
                Message: s.Str("message") ?? "",
                Key: s.Str("event.code"),
                Level: s.Str("log.level"),
                Category: s.Str("elasticsearch.event.category"),
                Opaque: s.Str("elasticsearch.http.request.x_opaque_id"),
                Origin: s.Str("elasticsearch.elastic_product_origin"),
                Node: s.Str("elasticsearch.node.name"),
                At: DateTimeOffset.TryParse(s.Str("@timestamp"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.MinValue))
            .GroupBy(e => (e.Message, Client: !string.IsNullOrEmpty(e.Opaque) ? e.Opaque! : !string.IsNullOrEmpty(e.Origin) ? e.Origin! : "(unknown)"))
            .Select(g => new DeprecationLogGroup
            {
                Connection = api.Connection,
                Message = g.Key.Message,
                Client = g.Key.Client,
                Key = g.First().Key,
                Level = g.First().Level,
                Category = g.First().Category,
                ProductOrigin = g.Select(e => e.Origin).FirstOrDefault(o => !string.IsNullOrEmpty(o)),
                Count = g.Count(),
                FirstSeen = g.Min(e => e.At),
                LastSeen = g.Max(e => e.At),
                Nodes = g.Select(e => e.Node).Where(n => n != null).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList()!,
            })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Message, StringComparer.Ordinal).ToList();
        return (groups, total, hits.Count);
    }

    public static async Task<DeprecationLoggingState> GetStateAsync(EsApi api, CancellationToken ct)
    {
        var settings = await ClusterSettings.GetAsync(api, includeDefaults: true, ct).ConfigureAwait(false);
        return new DeprecationLoggingState
        {
            Connection = api.Connection,
            // Default true from 7.16 (#78991); older 7.x defaulted to false.
            IndexingEnabled = string.Equals(ClusterSettings.Effective(settings, "cluster.deprecation_indexing.enabled") ?? (api.Connection.Server.Version >= new Version(7, 16) ? "true" : "false"), "true", StringComparison.OrdinalIgnoreCase),
            LoggerLevel = (ClusterSettings.Effective(settings, "logger.deprecation") ?? "WARN").ToUpperInvariant(),
        };
    }

    /// <summary>
    /// Turns deprecation logging and indexing on (logger WARN, indexing true) or off (ERROR, false), as the Upgrade
    /// Assistant does, but persistently: a transient value of either, which would win, is reset.
    /// </summary>
    public static async Task<DeprecationLoggingState> SetAsync(EsApi api, bool enabled, CancellationToken ct)
    {
        if (api.Connection.Server.Version < new Version(7, 13))
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.ApiNotAvailable,
                $"{api.Connection.Name} runs Elasticsearch {api.Connection.Version}: deprecation logs are indexed from 7.13 on.", api.Connection.Name);
        var transient = (await ClusterSettings.GetAsync(api, includeDefaults: false, ct).ConfigureAwait(false))
            .Where(s => s.Scope == SettingScope.Transient && (s.Name == "cluster.deprecation_indexing.enabled" || s.Name == "logger.deprecation")).Select(s => s.Name).ToList();
        var body = new Dictionary<string, object?>
        {
            ["persistent"] = new Dictionary<string, object?> { ["cluster.deprecation_indexing.enabled"] = enabled, ["logger.deprecation"] = enabled ? "WARN" : "ERROR" },
        };
        if (transient.Count > 0) body["transient"] = transient.ToDictionary(t => t, t => (object?)null);
        try
        {
            await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", JsonSerializer.Serialize(body)), ct).ConfigureAwait(false);
        }
        catch (EsServerException ex) when (ex.StatusCode == 403)
        {
            throw Privileges.Missing(api, "Changing cluster settings", "manage", ex);
        }
        return await GetStateAsync(api, ct).ConfigureAwait(false);
    }
}
