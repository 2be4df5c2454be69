using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;
using EsUpgrade.Errors;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Fixes;

/// <summary>A system feature (Kibana, security, tasks, ...) and whether its system indices must be migrated before 8.x.</summary>
public sealed class EsSystemFeature
{
    public EsConnection Connection { get; internal set; } = null!;
    public string Name { get; internal set; } = "";
    public string MinimumIndexVersion { get; internal set; } = "";
    /// <summary>NO_MIGRATION_NEEDED, MIGRATION_NEEDED, IN_PROGRESS or ERROR.</summary>
    public string Status { get; internal set; } = "";
    public IReadOnlyList<string> Indices { get; internal set; } = Array.Empty<string>();
    /// <summary>For ERROR: the failing index and Elasticsearch's reason.</summary>
    public IReadOnlyList<string> Failures { get; internal set; } = Array.Empty<string>();
    public override string ToString() => $"{Name}: {Status}";
}

/// <summary>The system-feature migration API (7.16+, BEHAVIOUR-ASSESS.md §2): status, start, wait.</summary>
public static class SystemFeatures
{
    public const int ProgressActivityId = 4200;

    public static async Task<IReadOnlyList<EsSystemFeature>> GetAsync(EsApi api, CancellationToken ct)
    {
        RequireApi(api);
        var body = await api.GetJsonAsync(EsRequest.Get("/_migration/system_features"), ct).ConfigureAwait(false);
        return body.Array("features").Select(f => new EsSystemFeature
        {
            Connection = api.Connection,
            Name = f.Str("feature_name") ?? "",
            MinimumIndexVersion = f.Str("minimum_index_version") ?? "",
            Status = f.Str("migration_status") ?? "",
            Indices = f.Array("indices").Select(i => i.Str("index") ?? "").ToList(),
            Failures = f.Array("indices").Where(i => i.Prop("failure_cause") != null)
                .Select(i => $"{i.Str("index")}: {i.Prop("failure_cause")?.Str("reason") ?? i.Prop("failure_cause")?.GetRawText()}").ToList(),
        }).ToList();
    }

    /// <summary>
    /// POST _migration/system_features: starts migrating every feature that needs it (or failed before). With
    /// <paramref name="wait"/>, polls until no feature is in progress, reporting progress, up to <paramref name="timeout"/>.
    /// Returns the features as they then stand; a feature that ends in ERROR is an error naming its index and cause.
    /// </summary>
    public static async Task<IReadOnlyList<EsSystemFeature>> MigrateAsync(EsApi api, bool wait, TimeSpan timeout, CancellationToken ct)
    {
        RequireApi(api);
        var started = await api.GetJsonAsync(new EsRequest("POST", "/_migration/system_features"), ct).ConfigureAwait(false);
        var names = started.Array("features").Select(f => f.Str("feature_name") ?? "").ToList();
        api.Log.Verbose(started.Bool("accepted")
            ? $"[{api.Connection.Name}] migrating system features: {string.Join(", ", names)}"
            : $"[{api.Connection.Name}] {started.Str("reason") ?? "no system-feature migration started"}");
        var features = await GetAsync(api, ct).ConfigureAwait(false);
        var deadline = api.Clock.UtcNow + timeout;
        while (wait && features.Any(f => f.Status == "IN_PROGRESS"))
        {
            var done = features.Count(f => f.Status == "NO_MIGRATION_NEEDED");
            api.Log.Progress(new EsProgress(ProgressActivityId, "Migrating system features",
                $"{string.Join(", ", features.Where(f => f.Status == "IN_PROGRESS").Select(f => f.Name))} in progress", done * 100 / Math.Max(1, features.Count)));
            if (api.Clock.UtcNow >= deadline)
                throw new EsException(EsErrorKind.Timeout, ErrorIds.SystemFeatureMigrationTimeout,
                    $"The system-feature migration of {api.Connection.Name} was still running after {timeout}: it goes on in the cluster; Get-EsSystemFeature shows where it is.", api.Connection.Name);
            await api.Clock.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
            features = await GetAsync(api, ct).ConfigureAwait(false);
        }
        api.Log.Progress(new EsProgress(ProgressActivityId, "Migrating system features", "done", 100, completed: true));
        var failed = features.Where(f => f.Status == "ERROR").ToList();
        if (wait && failed.Count > 0)
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.SystemFeatureMigrationFailed,
                $"The system-feature migration of {api.Connection.Name} failed: {string.Join("; ", failed.SelectMany(f => f.Failures.Select(x => $"{f.Name} {x}")))}. " +
                "Fix the cause (often disk space or a blocked index) and start it again: the failed features are migrated again.", api.Connection.Name);
        return features;
    }

    static void RequireApi(EsApi api)
    {
        if (api.Connection.Server.Version < new Version(7, 16))
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.ApiNotAvailable,
                $"{api.Connection.Name} runs Elasticsearch {api.Connection.Version}: the system-feature migration API arrived in 7.16. Upgrade to 7.17 first.", api.Connection.Name);
    }
}
