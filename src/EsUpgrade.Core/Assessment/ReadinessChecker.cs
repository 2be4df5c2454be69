using System;
using System.Collections.Generic;
using System.Globalization;
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
using EsUpgrade.Settings;
using EsUpgrade.Wire;

namespace EsUpgrade.Assessment;

public sealed class ReadinessOptions
{
    public Version TargetVersion { get; set; } = new Version(8, 19, 0);
    /// <summary>How old the newest SUCCESS snapshot may be.</summary>
    public TimeSpan MaxSnapshotAge { get; set; } = TimeSpan.FromHours(24);
    public ReleaseTable Releases { get; set; } = ReleaseTable.BuiltIn;
}

/// <summary>
/// Whether a cluster can go to the target version today: one check per condition of UPGRADE-FACTS.md and the
/// migration guide, each Pass, Warning or Fail with the reason, the remedy and a link. A check that cannot read what
/// it needs (an API too old, a privilege missing) says so as a Warning; the others still run.
/// </summary>
public static class ReadinessChecker
{
    const string Prepare = "https://www.elastic.co/guide/en/elastic-stack/8.19/upgrading-elastic-stack.html#prepare-to-upgrade";

    /// <summary>A release in full (8.19.0), 8.x or later.</summary>
    public static Version ParseTarget(string? text, int minimumMajor = 8)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(text ?? "", @"^\d+\.\d+\.\d+$") || EsVersion.Parse(text).Major < minimumMajor)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.UnsupportedTargetVersion,
                $"The target version must be {(minimumMajor >= 8 ? "an 8.x (or later)" : "a")} release in full, such as 8.19.0; '{text}' is not.", text);
        return EsVersion.Parse(text);
    }

    public static async Task<IReadOnlyList<ReadinessCheck>> RunAsync(EsApi api, ReadinessOptions options, CancellationToken ct) =>
        (await RunWithFindingsAsync(api, options, ct).ConfigureAwait(false)).Checks;

    /// <summary>The checks, and the deprecation findings they were judged on (empty when they could not be read): a report needs both, read once.</summary>
    public static async Task<(IReadOnlyList<ReadinessCheck> Checks, IReadOnlyList<EsDeprecation> Findings)> RunWithFindingsAsync(EsApi api, ReadinessOptions options, CancellationToken ct)
    {
        var target = options.TargetVersion;
        if (target.Major < 8)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.UnsupportedTargetVersion,
                $"EsUpgrade checks upgrades to 8.x and later; {target} is not one.", target.ToString());
        var checks = new List<ReadinessCheck>();
        ReadinessCheck Check(string name, ReadinessStatus status, string detail, string? remedy = null, string? url = null, IEnumerable<string>? affected = null)
        {
            var c = new ReadinessCheck { Connection = api.Connection, Name = name, Status = status, Detail = detail, Remedy = status == ReadinessStatus.Pass ? null : remedy, Url = url, Affected = affected?.ToList() ?? (IReadOnlyList<string>)Array.Empty<string>() };
            checks.Add(c);
            return c;
        }
        async Task<T?> Read<T>(string[] names, Func<Task<T>> read) where T : class
        {
            try
            {
                return await read().ConfigureAwait(false);
            }
            catch (EsException ex) when (!ex.IsTransient && ex.Kind != EsErrorKind.Connection)
            {
                foreach (var name in names) Check(name, ReadinessStatus.Warning, "Could not be checked: " + ex.Message);
                return null;
            }
        }

        // The large reads (every index, every deprecation, every shard, the clients) start at once and run side by side.
        var indicesTask = IndexReader.GetIndicesAsync(api, null, includeHidden: true, ct);
        var findingsTask = Task.Run(async () => (await DeprecationReader.ReadAsync(api, null, ct, await indicesTask.ConfigureAwait(false)).ConfigureAwait(false)).Found, ct);
        var shardsTask = IndexReader.GetShardsAsync(api, null, ct);
        var clientsTask = api.Connection.Server.Version >= new Version(7, 13) ? ClientReader.ReadAsync(api, null, target.Major, ct) : null;
        foreach (var started in new Task?[] { findingsTask, shardsTask, clientsTask })
            _ = started?.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);    // observed here, reported where awaited

        var nodes = await InventoryReader.GetNodesAsync(api, null, ct).ConfigureAwait(false);
        CheckVersions(nodes, target, options.Releases, Check);

        var health = await HealthReader.GetAsync(api, null, HealthLevel.Cluster, ct).ConfigureAwait(false);
        Check("ClusterHealth", health.Status == HealthStatus.Green ? ReadinessStatus.Pass : ReadinessStatus.Fail,
            $"The cluster is {health.Status.ToString().ToLowerInvariant()} ({health.UnassignedShards} unassigned shard copies).",
            "Bring the cluster to green before a node is restarted: Get-EsShard -State Unassigned and GET _cluster/allocation/explain say why copies are unassigned.",
            "https://www.elastic.co/guide/en/elasticsearch/reference/7.17/rolling-upgrades.html");
        Check("ShardsSettled", health.InitializingShards + health.RelocatingShards == 0 ? ReadinessStatus.Pass : ReadinessStatus.Fail,
            $"{health.InitializingShards} initializing and {health.RelocatingShards} relocating shard copies.",
            "Wait until recoveries and relocations end (Wait-EsClusterHealth -Status Green -NoInitializingShards -NoRelocatingShards).");

        var settings = await Read(new[] { "AllocationEnabled", "TransientSettings", "DiskWatermarks" }, () => ClusterSettings.GetAsync(api, includeDefaults: true, ct)).ConfigureAwait(false);
        if (settings != null) CheckSettings(settings, Check);

        var indices = await indicesTask.ConfigureAwait(false);
        var findings = await Read(new[] { "CriticalDeprecations", "MlModelSnapshots" }, () => findingsTask).ConfigureAwait(false);
        if (findings != null) CheckDeprecations(findings, sameMajor: api.Connection.MajorVersion == target.Major, target, Check);

        var oldest = target.Major - 1;
        var old = indices.Where(i => i.CreatedVersion != null && i.CreatedVersion.Major < oldest).Select(i => $"{i.Name} ({i.CreatedVersion})").ToList();
        Check("IndicesCreatedBefore" + oldest, old.Count == 0 ? ReadinessStatus.Pass : ReadinessStatus.Fail,
            old.Count == 0 ? $"No index was created before {oldest}.0." : $"{old.Count} indices were created before {oldest}.0: a {target.Major}.x node refuses to start while they exist.",
            "Reindex them into new indices (or delete them); system indices are migrated with POST _migration/system_features.",
            "https://ela.st/es-deprecation-7-reindex", old);

        await CheckSystemFeatures(api, Check, ct).ConfigureAwait(false);
        await Read(new[] { "RecentSnapshot" }, async () => { await CheckSnapshots(api, indices, options, Check, ct).ConfigureAwait(false); return new object(); }).ConfigureAwait(false);
        if (settings != null)
            await Read(new[] { "DiskWatermarks" }, async () => { await CheckDisk(api, nodes, settings, shardsTask, Check, ct).ConfigureAwait(false); return new object(); }).ConfigureAwait(false);

        var plugins = nodes.SelectMany(n => n.Plugins.Select(p => $"{p} on {n.Name}")).ToList();
        Check("Plugins", plugins.Count == 0 ? ReadinessStatus.Pass : ReadinessStatus.Warning,
            plugins.Count == 0 ? "No plugins are installed." : $"{nodes.SelectMany(n => n.Plugins).Distinct().Count()} plugins are installed: each must be reinstalled in its {target} build on every node as it is upgraded, or the node does not start.",
            "Have the plugins' 8.x builds at hand (elasticsearch-plugin install, or a package), and put their reinstall into the node action.",
            "https://www.elastic.co/guide/en/elasticsearch/plugins/8.19/installation.html", plugins);

        if (clientsTask != null)
        {
            var clients = await Read(new[] { "Clients" }, () => clientsTask!).ConfigureAwait(false);
            if (clients != null)
            {
                var broken = clients.Where(c => c.Compatibility == ClientCompatibility.Incompatible).ToList();
                var mode = clients.Where(c => c.Compatibility == ClientCompatibility.CompatibilityMode).ToList();
                Check("Clients", broken.Count > 0 ? ReadinessStatus.Fail : mode.Count > 0 ? ReadinessStatus.Warning : ReadinessStatus.Pass,
                    broken.Count + mode.Count == 0 ? $"{clients.Count} clients seen; none known to break on {target.Major}.x."
                        : $"{broken.Count} clients seen will break on {target.Major}.x and {mode.Count} need compatibility mode.",
                    "Get-EsClient lists each with the reason: upgrade Beats and Logstash to 7.17 and turn on compatibility mode in 7.x language clients before the upgrade.",
                    "https://www.elastic.co/guide/en/elasticsearch/reference/8.19/rest-api-compatibility.html",
                    broken.Concat(mode).Select(c => $"{c.Product} {c.Version} from {c.RemoteAddress} ({c.Compatibility})").Distinct());
            }
        }
        else
        {
            Check("Clients", ReadinessStatus.Warning, $"Elasticsearch {api.Connection.Version} does not report its HTTP clients (7.13+): which clients will break is not known.");
        }
        return (checks.OrderByDescending(c => c.Status).ToList(), findings ?? (IReadOnlyList<EsDeprecation>)Array.Empty<EsDeprecation>());
    }

    static void CheckVersions(IReadOnlyList<EsNode> nodes, Version target, ReleaseTable releases, Func<string, ReadinessStatus, string, string?, string?, IEnumerable<string>?, ReadinessCheck> check)
    {
        var versions = nodes.Select(n => n.Version).Distinct().OrderBy(v => v).ToList();
        var lowest = versions.FirstOrDefault() ?? new Version(0, 0, 0);
        void OneVersion() => check("OneVersion", versions.Count <= 1 ? ReadinessStatus.Pass : ReadinessStatus.Warning,
            versions.Count <= 1 ? $"All {nodes.Count} nodes run {lowest}." : $"Nodes run {versions.Count} versions ({string.Join(", ", versions)}): an upgrade is half done.",
            "Finish the upgrade that was under way (Invoke-EsRollingUpgrade resumes from its state file) before starting another.", null,
            versions.Count <= 1 ? null : nodes.Select(n => $"{n.Name} ({n.VersionNumber})"));
        var from = target.Major == 8 ? new Version(7, 17, 0) : new Version(target.Major - 1, 19, 0);
        var fromName = $"{from.Major}.{from.Minor}";
        var tooOld = nodes.Where(n => n.Version < from).Select(n => $"{n.Name} ({n.VersionNumber})").ToList();
        var newer = nodes.Where(n => n.Version > target).Select(n => $"{n.Name} ({n.VersionNumber})").ToList();
        if (newer.Count > 0)
            check("UpgradePath", ReadinessStatus.Fail, $"{newer.Count} nodes are newer than {target}: there is no downgrade.", "Choose a target at or above the newest node.", null, newer);
        else if (tooOld.Count > 0)
            check("UpgradePath", ReadinessStatus.Fail, $"{target.Major}.x can only be reached from {fromName}: {tooOld.Count} nodes are older.",
                $"Upgrade the cluster to the newest {fromName} first (a rolling upgrade within 7.x), then to {target}.", Prepare, tooOld);
        else
            check("UpgradePath", ReadinessStatus.Pass, $"Every node is on {fromName} or later: {target} can be reached directly.", null, Prepare, null);

        if (nodes.Count > 0 && nodes.All(n => n.Version.Major == target.Major))
        {
            // An upgrade within a major (8.18 to 8.19): any minor may go to a later one; no particular patch is asked for first.
            check("NewestPatch", ReadinessStatus.Pass, $"An upgrade within {target.Major}.x needs no particular patch first.", null, null, null);
            OneVersion();
            return;
        }
        var newest = releases.Newest(from.Major, from.Minor);
        var behind = newest is null ? new List<string>() : nodes.Where(n => n.Version.Major == from.Major && n.Version.Minor == from.Minor && n.Version < newest).Select(n => $"{n.Name} ({n.VersionNumber})").ToList();
        check("NewestPatch", behind.Count == 0 ? ReadinessStatus.Pass : ReadinessStatus.Warning,
            newest is null ? $"The release table knows no newest {fromName} patch." : behind.Count == 0 ? $"No node is behind {newest}." : $"{behind.Count} nodes are behind {newest}, the newest {fromName} patch: the migration guide asks for it (its deprecation checks and fixes are the latest).",
            $"Upgrade to {newest} first, or override the release table (-ReleaseTable) if a newer patch is out.", Prepare, behind);
        OneVersion();
    }

    static void CheckSettings(IReadOnlyList<EsClusterSetting> settings, Func<string, ReadinessStatus, string, string?, string?, IEnumerable<string>?, ReadinessCheck> check)
    {
        var enable = ClusterSettings.Effective(settings, "cluster.routing.allocation.enable") ?? "all";
        check("AllocationEnabled", string.Equals(enable, "all", StringComparison.OrdinalIgnoreCase) ? ReadinessStatus.Pass : ReadinessStatus.Fail,
            $"cluster.routing.allocation.enable is {enable}.",
            "A value other than all is often left from an interrupted upgrade: Enable-EsShardAllocation -Default.", "https://www.elastic.co/guide/en/elasticsearch/reference/7.17/modules-cluster.html#cluster-shard-allocation-settings", null);
        var transient = settings.Where(s => s.Scope == SettingScope.Transient).Select(s => s.Name).ToList();
        check("TransientSettings", transient.Count == 0 ? ReadinessStatus.Pass : ReadinessStatus.Warning,
            transient.Count == 0 ? "No transient cluster settings." : $"{transient.Count} transient settings: they are deprecated and lost if the whole cluster restarts.",
            "Set each persistently, then reset its transient value to null.", "https://ela.st/es-deprecation-7-transient-cluster-settings", transient);
    }

    static void CheckDeprecations(IReadOnlyList<EsDeprecation> findings, bool sameMajor, Version target, Func<string, ReadinessStatus, string, string?, string?, IEnumerable<string>?, ReadinessCheck> check)
    {
        var critical = findings.Where(f => f.IsCritical).ToList();
        var warnings = findings.Count(f => f.Level == DeprecationLevel.Warning);
        // The API speaks of the next major: on 8.x its critical findings block 9.0, not a move to a later 8.x.
        check("CriticalDeprecations", critical.Count > 0 && !sameMajor ? ReadinessStatus.Fail : critical.Count + warnings > 0 ? ReadinessStatus.Warning : ReadinessStatus.Pass,
            critical.Count + warnings == 0 ? "The deprecation API reports nothing."
                : $"{critical.Count} critical and {warnings} warning deprecations." + (sameMajor ? $" They stand in the way of {target.Major + 1}.0, not of {target}." : ""),
            "Test-EsDeprecation -Level Critical lists each with its remedy; clear every critical one before the upgrade.",
            "https://www.elastic.co/guide/en/elasticsearch/reference/7.17/migration-api-deprecation.html",
            critical.Select(f => f.Resource is null ? f.Message : $"{f.Resource}: {f.Message}").Distinct());
        var snapshots = findings.Where(f => f.Category == DeprecationCategory.MachineLearning && f.Message.IndexOf("odel snapshot", StringComparison.Ordinal) >= 0).ToList();
        check("MlModelSnapshots", snapshots.Count == 0 ? ReadinessStatus.Pass : sameMajor ? ReadinessStatus.Warning : ReadinessStatus.Fail,
            snapshots.Count == 0 ? "No ML model snapshot needs upgrading." : $"{snapshots.Count} ML model snapshots are too old for 8.x.",
            "Upgrade each (POST _ml/anomaly_detectors/<job>/model_snapshots/<id>/_upgrade) or delete it.",
            "https://ela.st/es-deprecation-8-model-snapshot-version",
            snapshots.Select(f => $"{f.JobId}/{f.SnapshotId}"));
    }

    static async Task CheckSystemFeatures(EsApi api, Func<string, ReadinessStatus, string, string?, string?, IEnumerable<string>?, ReadinessCheck> check, CancellationToken ct)
    {
        if (api.Connection.Server.Version < new Version(7, 16))
        {
            check("SystemFeatureMigration", ReadinessStatus.Warning, $"Elasticsearch {api.Connection.Version} has no system-feature migration API (7.16+).", "Upgrade to 7.17 first.", null, null);
            return;
        }
        JsonElement status;
        try
        {
            status = await api.GetJsonAsync(EsRequest.Get("/_migration/system_features"), ct).ConfigureAwait(false);
        }
        catch (EsServerException ex) when (ex.StatusCode == 403)
        {
            check("SystemFeatureMigration", ReadinessStatus.Warning, "Could not be checked: " + Privileges.Missing(api, "Reading the system-feature status", "manage", ex).Message, null, null, null);
            return;
        }
        var overall = status.Str("migration_status") ?? "";
        var pending = status.Array("features").Where(f => f.Str("migration_status") != "NO_MIGRATION_NEEDED")
            .Select(f => $"{f.Str("feature_name")} ({f.Str("migration_status")})").ToList();
        var result = overall switch
        {
            "NO_MIGRATION_NEEDED" => ReadinessStatus.Pass,
            "IN_PROGRESS" => ReadinessStatus.Warning,
            _ => ReadinessStatus.Fail,
        };
        check("SystemFeatureMigration", result,
            result == ReadinessStatus.Pass ? "No system index needs migrating." : $"System features: {overall}.",
            overall == "IN_PROGRESS" ? "A migration is running: wait for it (GET _migration/system_features)." : "POST _migration/system_features migrates them (Kibana's Upgrade Assistant does the same); an ERROR names its failure cause.",
            "https://www.elastic.co/guide/en/elasticsearch/reference/7.17/migration-api-feature-upgrade.html", pending);
    }

    static async Task CheckSnapshots(EsApi api, IReadOnlyList<EsIndex> indices, ReadinessOptions options, Func<string, ReadinessStatus, string, string?, string?, IEnumerable<string>?, ReadinessCheck> check, CancellationToken ct)
    {
        const string Url = "https://www.elastic.co/guide/en/elasticsearch/reference/7.17/snapshot-restore.html";
        var repositories = await api.GetJsonAsync(EsRequest.Get("/_snapshot"), ct).ConfigureAwait(false);
        var names = repositories.ValueKind == JsonValueKind.Object ? repositories.EnumerateObject().Select(r => r.Name).ToList() : new List<string>();
        if (names.Count == 0)
        {
            check("RecentSnapshot", ReadinessStatus.Fail, "No snapshot repository is registered: there is no backup to go back to.", "Register a repository and take a snapshot of every index (New-EsSnapshot, or PUT _snapshot/<repo>/<name>).", Url, null);
            return;
        }
        var now = api.Clock.UtcNow;
        var recent = new List<(string Repo, string Name, DateTimeOffset End, HashSet<string> Indices)>();
        foreach (var repo in names)
        {
            var listing = await api.GetJsonAsync(EsRequest.Get($"/_snapshot/{Uri.EscapeDataString(repo)}/_all"), ct).ConfigureAwait(false);
            foreach (var s in listing.Array("snapshots").Where(s => s.Str("state") == "SUCCESS"))
            {
                var end = DateTimeOffset.FromUnixTimeMilliseconds(s.Long("end_time_in_millis"));
                if (now - end <= options.MaxSnapshotAge) recent.Add((repo, s.Str("snapshot") ?? "", end, new HashSet<string>(s.Strings("indices"), StringComparer.Ordinal)));
            }
        }
        if (recent.Count == 0)
        {
            check("RecentSnapshot", ReadinessStatus.Fail, $"No SUCCESS snapshot in {string.Join(", ", names)} is younger than {Hours(options.MaxSnapshotAge)}.",
                "Take a snapshot of every index just before the upgrade: it is the only way back from 8.x.", Url, null);
            return;
        }
        // Hidden indices (system, data stream backing) are in snapshots as feature states or not at all; the user's indices must be there.
        var wanted = indices.Where(i => !i.IsHidden).Select(i => i.Name).ToList();
        var best = recent.Select(r => (Snapshot: r, Missing: wanted.Where(w => !r.Indices.Contains(w)).ToList()))
            .OrderBy(r => r.Missing.Count).ThenByDescending(r => r.Snapshot.End).First();
        check("RecentSnapshot", best.Missing.Count == 0 ? ReadinessStatus.Pass : ReadinessStatus.Fail,
            best.Missing.Count == 0
                ? $"{best.Snapshot.Repo}/{best.Snapshot.Name} (SUCCESS, {Hours(now - best.Snapshot.End)} ago) covers every index."
                : $"The most complete recent snapshot, {best.Snapshot.Repo}/{best.Snapshot.Name}, misses {best.Missing.Count} indices.",
            "Take a snapshot of every index (indices: *) before the upgrade.", Url, best.Missing.Take(50));
    }

    static string Hours(TimeSpan t) => t.TotalHours >= 1 ? $"{t.TotalHours:0.#} h" : $"{t.TotalMinutes:0} min";

    /// <summary>
    /// Each data node below the high watermark, and room on the others for the largest node's shards: a node that
    /// stays down past the delayed timeout has its copies rebuilt elsewhere, and they must fit under the high watermark.
    /// </summary>
    static async Task CheckDisk(EsApi api, IReadOnlyList<EsNode> nodes, IReadOnlyList<EsClusterSetting> settings, Task<IReadOnlyList<EsShard>> shardsTask, Func<string, ReadinessStatus, string, string?, string?, IEnumerable<string>?, ReadinessCheck> check, CancellationToken ct)
    {
        const string Url = "https://www.elastic.co/guide/en/elasticsearch/reference/7.17/modules-cluster.html#disk-based-shard-allocation";
        string Effective(string name) => ClusterSettings.Effective(settings, name) ?? "90%";
        if (string.Equals(Effective("cluster.routing.allocation.disk.threshold_enabled"), "false", StringComparison.OrdinalIgnoreCase))
        {
            check("DiskWatermarks", ReadinessStatus.Warning, "The disk threshold decider is off: nothing stops shards filling a disk.", "Turn cluster.routing.allocation.disk.threshold_enabled back on.", Url, null);
            return;
        }
        var high = Effective("cluster.routing.allocation.disk.watermark.high");
        // 8.x caps the free space a percentage watermark asks for (max_headroom, 150GB for high) unless the watermark is set.
        var headroom = api.Connection.MajorVersion >= 8 && !settings.Any(s => s.Name == "cluster.routing.allocation.disk.watermark.high" && s.Scope != SettingScope.Default)
            ? ByteSize(ClusterSettings.Effective(settings, "cluster.routing.allocation.disk.watermark.high.max_headroom") ?? "150gb") : 0;
        var stats = await api.GetJsonAsync(EsRequest.Get("/_nodes/stats/fs"), ct).ConfigureAwait(false);
        var shards = await shardsTask.ConfigureAwait(false);
        var byNode = shards.Where(s => s.Node != null).GroupBy(s => s.Node!).ToDictionary(g => g.Key, g => g.Sum(s => s.StoreBytes ?? 0));
        // A node's disk is its data path with the least available space (DiskUsage.findLeastAvailablePath), else fs.total.
        var disks = stats.Object("nodes").Select(n =>
            {
                var fs = n.Value.Prop("fs");
                var path = fs?.Array("data").OrderBy(d => d.Long("available_in_bytes", long.MaxValue)).Cast<JsonElement?>().FirstOrDefault() ?? fs?.Prop("total");
                return (Name: n.Value.Str("name") ?? n.Name, Total: path?.Long("total_in_bytes") ?? 0, Free: path?.Long("available_in_bytes") ?? 0);
            })
            .Where(d => d.Total > 0 && nodes.Any(n => n.Name == d.Name && n.IsDataNode)).ToList();
        long Allowed(long total) => headroom > 0 ? Math.Max(Watermark(high, total), total - headroom) : Watermark(high, total);
        var over = disks.Where(d => d.Total - d.Free > Allowed(d.Total)).Select(d => $"{d.Name} ({100.0 * (d.Total - d.Free) / d.Total:0.#}% used)").ToList();
        if (over.Count > 0)
        {
            check("DiskWatermarks", ReadinessStatus.Fail, $"{over.Count} data nodes are above the high watermark ({high}): shards are being moved off them and no copy can come back to them.",
                "Free disk space or add capacity before the upgrade.", Url, over);
            return;
        }
        var largest = disks.Select(d => (d.Name, Bytes: byNode.TryGetValue(d.Name, out var b) ? b : 0)).OrderByDescending(d => d.Bytes).FirstOrDefault();
        var room = disks.Where(d => d.Name != largest.Name).Sum(d => Math.Max(0, Allowed(d.Total) - (d.Total - d.Free)));
        check("DiskWatermarks", largest.Name is null || room >= largest.Bytes ? ReadinessStatus.Pass : ReadinessStatus.Warning,
            largest.Name is null ? "No data node reports its disk." : room >= largest.Bytes
                ? $"Every data node is below the high watermark ({high}); the others have room for the largest node's {Gb(largest.Bytes)} of shards."
                : $"Every data node is below the high watermark ({high}), but if {largest.Name} stayed down its {Gb(largest.Bytes)} of shards would not fit on the others ({Gb(room)} of room).",
            "Keep node restarts short (within index.unassigned.node_left.delayed_timeout), or free space first.", Url, null);
    }

    static string Gb(long bytes) => (bytes / 1073741824.0).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";

    /// <summary>The used bytes a watermark allows: a percentage or ratio of used disk, or a byte value of free disk.</summary>
    static long Watermark(string value, long total)
    {
        var v = value.Trim();
        if (v.EndsWith("%", StringComparison.Ordinal) && double.TryParse(v.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var pct))
            return (long)(total * pct / 100);
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio <= 1)
            return (long)(total * ratio);
        return total - ByteSize(v);
    }

    static long ByteSize(string v)
    {
        var units = new[] { ("pb", 1L << 50), ("tb", 1L << 40), ("gb", 1L << 30), ("mb", 1L << 20), ("kb", 1L << 10),
            ("p", 1L << 50), ("t", 1L << 40), ("g", 1L << 30), ("m", 1L << 20), ("k", 1L << 10), ("b", 1L) };
        foreach (var (unit, factor) in units)
            if (v.EndsWith(unit, StringComparison.OrdinalIgnoreCase) && double.TryParse(v.Substring(0, v.Length - unit.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                return (long)(n * factor);
        return 0;
    }
}
