namespace EsUpgrade.Emulator.Model;

/// <summary>One item of the deprecation info API (DeprecationIssue.toXContent).</summary>
public sealed record DeprecationIssue(string Level, string Message, string Url, string? Details,
    bool ResolveDuringRollingUpgrade = false, Dictionary<string, object?>? Meta = null)
{
    public Dictionary<string, object?> ToJson()
    {
        var json = new Dictionary<string, object?> { ["level"] = Level, ["message"] = Message, ["url"] = Url };
        if (Details != null) json["details"] = Details;
        json["resolve_during_rolling_upgrade"] = ResolveDuringRollingUpgrade;
        if (Meta != null) json["_meta"] = Meta;
        return json;
    }

    public static Dictionary<string, object?> RemoveSettings(params string[] settings) => new()
    {
        ["actions"] = new[] { new Dictionary<string, object?> { ["action_type"] = "remove_settings", ["objects"] = settings } },
    };
}

/// <summary>
/// The checks of GET _migration/deprecations, computed from the cluster's state with Elastic's texts
/// (BEHAVIOUR-ASSESS.md §1): a 7.17 cluster reports what stands in the way of 8.0 ([7.17-final] checks, in part),
/// an 8.x cluster what stands in the way of 9.0 (its index check, transient settings). Call under the cluster's lock.
/// </summary>
public static class DeprecationChecks
{
    const string Critical = "critical", Warning = "warning";

    /// <summary>The response body: 7.17's keys, or 8.x's with its resource categories (8.17+ data_streams, 8.18+ templates and ilm_policies).</summary>
    public static Dictionary<string, object?> Response(EmulatedCluster cluster, IEnumerable<EmulatedIndex> indices)
    {
        var major = cluster.SettingsMajor;
        var body = new Dictionary<string, object?>
        {
            ["cluster_settings"] = ClusterIssues(cluster, major).Select(i => i.ToJson()).ToList(),
            ["node_settings"] = NodeIssues(cluster, major).Select(i => i.ToJson()).ToList(),
            ["index_settings"] = indices
                .Select(i => (i.Name, Issues: IndexIssues(i, major).ToList()))
                .Where(i => i.Issues.Count > 0)
                .ToDictionary(i => i.Name, i => (object?)i.Issues.Select(x => x.ToJson()).ToList()),
        };
        // Resource keys by release (BEHAVIOUR-ASSESS.md §1a): data_streams from 8.17, templates and ilm_policies from 8.18.
        var version = cluster.RequireMaster().Profile.Version;
        if (version >= new Version(8, 17)) body["data_streams"] = new Dictionary<string, object?>();
        if (version >= new Version(8, 18))
        {
            body["templates"] = new Dictionary<string, object?>();
            body["ilm_policies"] = new Dictionary<string, object?>();
        }
        if (cluster.Spec.MlEnabled) body["ml_settings"] = MlIssues(cluster).Select(i => i.ToJson()).ToList();
        body["ccr_auto_followed_system_indices"] = new List<object?>();
        return body;
    }

    // ---- index checks ----

    static readonly string[] SlowlogLevels = { "index.indexing.slowlog.level", "index.search.slowlog.level" };
    static readonly string[] TierFilters =
        { "index.routing.allocation.require._tier", "index.routing.allocation.include._tier", "index.routing.allocation.exclude._tier" };

    public static IEnumerable<DeprecationIssue> IndexIssues(EmulatedIndex index, int major)
    {
        var created = index.CreatedVersion.Version;
        if (major >= 8)
        {
            if (created.Major < 8)
                yield return new(Critical, "Old index with a compatibility version < 8.0", "https://ela.st/es-deprecation-9-index-version",
                    $"This index has version: {index.CreatedVersion.Number}", Meta: new() { ["reindex_required"] = true });
            yield break;
        }
        if (created.Major < 7)
            yield return new(Critical, "Index created before 7.0", "https://ela.st/es-deprecation-7-reindex",
                $"This index was created with version {index.CreatedVersion.Number} and is not compatible with 8.0. Reindex or remove the index before upgrading.");
        foreach (var key in SlowlogLevels.Where(index.Settings.ContainsKey))
            yield return new(Critical, $"Setting [{key}] is deprecated", "https://ela.st/es-deprecation-7-slowlog-settings",
                $"Remove the [{key}] setting. Use the [index.*.slowlog.threshold] settings to set the log levels.", Meta: DeprecationIssue.RemoveSettings(key));
        var retention = new[] { "index.translog.retention.size", "index.translog.retention.age" }.Where(index.Settings.ContainsKey).ToArray();
        if (retention.Length > 0)
            yield return new(Warning, "Translog retention settings are deprecated", "https://ela.st/es-deprecation-7-translog-settings",
                "Remove the translog retention settings: \"index.translog.retention.size\" and \"index.translog.retention.age\". The translog has not been used in peer recoveries with soft-deletes enabled since 7.0 and these settings have no effect.",
                Meta: DeprecationIssue.RemoveSettings(retention));
        foreach (var key in TierFilters.Where(index.Settings.ContainsKey))
            yield return new(Critical, $"Setting [{key}] is deprecated", "https://ela.st/es-deprecation-7-tier-filtering-settings",
                $"Remove the [{key}] setting. Use [index.routing.allocation.include._tier_preference] to control allocation to data tiers.", Meta: DeprecationIssue.RemoveSettings(key));
        if (index.Settings.ContainsKey("index.mapper.dynamic"))
            yield return new(Critical, "Setting [index.mapper.dynamic] is deprecated", "https://ela.st/es-deprecation-7-mapper-dynamic-setting",
                "Remove the [index.mapper.dynamic] setting.", Meta: DeprecationIssue.RemoveSettings("index.mapper.dynamic"));
        if (index.Settings.GetValueOrDefault("index.frozen") == "true")
            yield return new(Warning, "Freezing indices is deprecated", "https://ela.st/es-deprecation-7-frozen-indices",
                $"Index [{index.Name}] is frozen. Frozen indices no longer offer any advantages. Instead, unfreeze the index, make it read-only, and move it to the cold or frozen tier.");
        if (index.Settings.GetValueOrDefault("index.store.type") == "simplefs")
            yield return new(Warning, "Setting [index.store.type] to [simplefs] is deprecated", "https://ela.st/es-deprecation-7-simplefs-store-type",
                "Use [niofs] (the default) or one of the other FS types. This is an expert-only setting that might be removed in the future.");
    }

    // ---- cluster checks ----

    static readonly string[] WatcherTemplates = { ".triggered_watches", ".watch-history-9", ".watches" };

    public static IEnumerable<DeprecationIssue> ClusterIssues(EmulatedCluster cluster, int major)
    {
        if (major >= 8)
        {
            // Registered in 8.x (7.16 took it out of the 7.x list, #80558); the text is the 7.17 source's. Inference: same in 8.19.
            if (cluster.Transient.Count > 0)
                yield return new(Warning, "Transient cluster settings are deprecated", "https://ela.st/es-deprecation-7-transient-cluster-settings",
                    "Use persistent settings to configure your cluster.");
            yield break;
        }
        var legacy = cluster.Templates.Where(t => t.Kind == TemplateKind.Legacy).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var multiple = legacy.Where(t => t.MappingTypes.Count > 1).Select(t => t.Name).ToList();
        var custom = legacy.Where(t => t.MappingTypes.Count == 1 && t.MappingTypes[0] != "_doc" && !WatcherTemplates.Contains(t.Name)).Select(t => t.Name).ToList();
        if (multiple.Count > 0)
            yield return new(Critical, "Multiple mapping types and custom mapping types in index templates and indices are deprecated", "https://ela.st/es-deprecation-7-multiple-types",
                $"Update or remove the following index templates before upgrading to 8.0: [{string.Join(", ", multiple.Concat(custom))}]. See https://ela.st/es-deprecation-7-removal-of-types for alternatives to mapping types.");
        else if (custom.Count > 0)
            yield return new(Warning, "Custom mapping types in index templates are deprecated", "https://ela.st/es-deprecation-7-custom-types",
                $"Update or remove the following index templates before upgrading to 8.0: [{string.Join(", ", custom)}]. See https://ela.st/es-deprecation-7-removal-of-types for alternatives to mapping types.");
        var freezing = cluster.IlmPolicies.Where(p => p.Phases.Values.Any(a => a.Contains("freeze"))).Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
        if (freezing.Count > 0)
            yield return new(Warning, "ILM policies use the deprecated freeze action", "https://ela.st/es-deprecation-7-frozen-indices",
                $"Remove the freeze action from ILM policies: [{string.Join(",", freezing)}]");
        // Transient settings: checkTransientSettingsExistence is not registered in 7.17 (#80558), so nothing here.
    }

    // ---- node checks, run on every node and merged on the master ----

    static readonly string[] LegacyRoles =
        { "node.master", "node.data", "node.ingest", "node.remote_cluster_client", "node.voting_only", "node.ml", "node.transform" };

    static readonly (string Old, string New, string Url)[] Renamed =
    {
        ("http.tcp_no_delay", "http.tcp.no_delay", "https://ela.st/es-deprecation-7-transport-settings"),
        ("network.tcp.connect_timeout", "transport.connect_timeout", "https://ela.st/es-deprecation-7-transport-settings"),
        ("transport.tcp.connect_timeout", "transport.connect_timeout", "https://ela.st/es-deprecation-7-transport-settings"),
        ("transport.tcp.port", "transport.port", "https://ela.st/es-deprecation-7-transport-settings"),
        ("transport.tcp_no_delay", "transport.tcp.no_delay", "https://ela.st/es-deprecation-7-transport-settings"),
        ("transport.tcp.compress", "transport.compress", "https://ela.st/es-deprecation-7-transport-settings"),
        ("pidfile", "node.pidfile", "https://ela.st/es-deprecation-7-pidfile-setting"),
        ("processors", "node.processors", "https://ela.st/es-deprecation-7-processors-setting"),
    };

    static readonly string[] BasicFeatureFlags =
    {
        "xpack.enrich.enabled", "xpack.flattened.enabled", "xpack.ilm.enabled", "xpack.monitoring.enabled", "xpack.rollup.enabled",
        "xpack.slm.enabled", "xpack.sql.enabled", "xpack.transform.enabled", "xpack.vectors.enabled",
    };

    static readonly string[] GatewayByNodes =
        { "gateway.expected_nodes", "gateway.expected_master_nodes", "gateway.recover_after_nodes", "gateway.recover_after_master_nodes" };

    const string IncludeRelocations = "cluster.routing.allocation.disk.include_relocations";
    const string SingleDataNode = "cluster.routing.allocation.disk.watermark.enable_for_single_data_node";

    public static IEnumerable<DeprecationIssue> NodeIssues(EmulatedCluster cluster, int major)
    {
        if (major >= 8) return Array.Empty<DeprecationIssue>();
        var perNode = cluster.RunningNodes.Select(n => (n.Name, Issues: IssuesOfNode(cluster, n).ToList())).ToList();
        // DeprecationInfoAction.mergeNodeIssues: one entry per distinct issue, naming the nodes it came from.
        var merged = new List<DeprecationIssue>();
        foreach (var issue in perNode.SelectMany(n => n.Issues).Distinct(IssueKey.Instance))
        {
            var names = perNode.Where(n => n.Issues.Contains(issue, IssueKey.Instance)).Select(n => n.Name);
            var suffix = $"(nodes impacted: [{string.Join(", ", names)}])";
            merged.Add(issue with { Details = issue.Details is null ? suffix : issue.Details + " " + suffix });
        }
        return merged;
    }

    static IEnumerable<DeprecationIssue> IssuesOfNode(EmulatedCluster cluster, EmulatedNode node)
    {
        Dictionary<string, string> yml;
        try { yml = NodeBoot.FlatSettings(node.ConfigYaml); }
        catch (YamlDotNet.Core.YamlException) { yield break; }
        foreach (var key in LegacyRoles.Where(yml.ContainsKey))
        {
            var role = key["node.".Length..];
            yield return new(Critical, $"Setting [{key}] is deprecated", "https://ela.st/es-deprecation-7-node-roles",
                $"Remove the [{key}] setting. Set [node.roles] and include the [{role}] role.");
        }
        foreach (var key in yml.Keys.Where(k => k.StartsWith("discovery.zen.", StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal))
            yield return new(Critical, $"Setting [{key}] is deprecated", "https://ela.st/es-deprecation-7-unused_zen_settings", $"Remove the [{key}] setting.");
        if (!yml.ContainsKey("xpack.security.enabled") && cluster.LicenseType is "basic" or "trial")
            yield return new(Critical, "Security features are enabled by default for all licenses in versions 8.0 and later", "https://ela.st/es-deprecation-7-implicitly-disabled-security",
                "In Elasticsearch 8.0 the [xpack.security.enabled] setting will always default to true. In your environment, the value is not set and you need to set it before upgrading, along with other required security settings. See https://ela.st/es-deprecation-7-implicitly-disabled-security to secure your cluster. To explicitly disable security, set [xpack.security.enabled] to \"false\" (not recommended).");
        foreach (var (old, @new, url) in Renamed.Where(r => yml.ContainsKey(r.Old)))
            yield return new(Critical, $"Setting [{old}] is deprecated", url, $"Remove the [{old}] setting and set [{@new}] to [{yml[old]}].");
        foreach (var key in BasicFeatureFlags.Where(yml.ContainsKey))
            yield return new(Critical, $"Setting [{key}] is deprecated", "https://ela.st/es-deprecation-7-xpack-basic-feature-settings",
                $"Remove the [{key}] setting. Basic features are always enabled in 8.0.");
        var gateway = GatewayByNodes.Where(yml.ContainsKey).ToList();
        if (gateway.Count > 0)
            yield return new(Critical, "Delaying cluster state recovery based on the number of available master nodes is not supported", "https://ela.st/es-deprecation-7-deferred-cluster-state-recovery",
                $"Use gateway.expected_data_nodes to wait for a certain number of data nodes. Remove the following settings or the node will fail to start in 8.0: [{string.Join(", ", gateway)}]");
        if (yml.ContainsKey("cluster.remote.connect"))
            yield return new(Critical, "Setting [cluster.remote.connect] is deprecated", "https://ela.st/es-deprecation-7-cluster-remote-connect-setting",
                "Remove the [cluster.remote.connect] setting. Use the [remote_cluster_client] role instead. Set [node.roles] to [data_frozen,master,remote_cluster_client,data,data_content,data_hot,data_warm,data_cold,ingest] on eligible cross-cluster client nodes.");
        // checkRemovedSetting reads node and cluster settings; _meta only when the cluster settings hold it and the yml does not.
        if (yml.ContainsKey(IncludeRelocations) || cluster.Persistent.ContainsKey(IncludeRelocations) || cluster.Transient.ContainsKey(IncludeRelocations))
            yield return new(Critical, $"Setting [{IncludeRelocations}] is deprecated", "https://ela.st/es-deprecation-7-cluster-routing-allocation-disk-include-relocations-setting",
                $"Remove the [{IncludeRelocations}] setting. Relocating shards are always taken into account in 8.0.",
                Meta: yml.ContainsKey(IncludeRelocations) ? null : DeprecationIssue.RemoveSettings(IncludeRelocations));
        var singleExplicit = yml.GetValueOrDefault(SingleDataNode) ?? cluster.Persistent.GetValueOrDefault(SingleDataNode) ?? cluster.Transient.GetValueOrDefault(SingleDataNode);
        if (singleExplicit == "false")
            yield return new(Critical, $"Setting [{SingleDataNode}=false] is deprecated", "https://ela.st/es-deprecation-7-disk-watermark-enable-for-single-node-setting",
                $"Disk watermarks do not treat single-node clusters differently in versions 8.0 and later, and [{SingleDataNode}] may not be set to [false] in these versions. Set [{SingleDataNode}] to [true] to adopt the future behavior before upgrading.");
        else if (singleExplicit is null && node.IsMasterEligible && cluster.RunningNodes.Count(n => n.IsDataNode) == 1)
            yield return new(Warning, "Disk watermarks do not treat single-node clusters differently in versions 8.0 and later.", "https://ela.st/es-deprecation-7-disk-watermark-enable-for-single-node-setting",
                $"Disk watermarks do not treat single-node clusters differently in versions 8.0 and later, which will affect the behavior of this cluster. Set [{SingleDataNode}] to [true] to adopt the future behavior before upgrading.");
        // Environment.dataFiles(): a YAML list or a comma-separated string both give several paths.
        if (yml.TryGetValue("path.data", out var data) && (data.StartsWith("[", StringComparison.Ordinal) || data.Contains(',')))
            yield return new(Warning, "Specifying multiple data paths is deprecated", "https://ela.st/es-deprecation-7-multiple-paths",
                "The [path.data] setting contains a list of paths. Specify a single path as a string. Use RAID or other system level features to utilize multiple disks. If multiple data paths are configured, the node will fail to start in 8.0. ");
    }

    // ---- machine learning ----

    public static IEnumerable<DeprecationIssue> MlIssues(EmulatedCluster cluster)
    {
        // MlDeprecationChecker reads at most 50 snapshots, oldest min_version first.
        var snapshots = cluster.MlJobs.SelectMany(j => j.Snapshots.Select(s => (Job: j.JobId, Snapshot: s)))
            .OrderBy(s => System.Version.Parse(s.Snapshot.MinVersion)).Take(50);
        foreach (var (job, s) in snapshots.Where(s => System.Version.Parse(s.Snapshot.MinVersion) < new Version(7, 0, 0)))
            yield return new(Critical, $"Model snapshot [{s.SnapshotId}] for job [{job}] has an obsolete minimum version [{s.MinVersion}].",
                "https://ela.st/es-deprecation-8-model-snapshot-version",
                $"Delete model snapshot [{s.SnapshotId}] or update it to 7.0.0 or greater. The model snapshot's latest record timestamp is [{s.LatestRecordTime.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}].",
                Meta: new() { ["job_id"] = job, ["snapshot_id"] = s.SnapshotId });
    }

    /// <summary>Issues equal but for details' node list (the merge compares level, message, url, details, _meta).</summary>
    sealed class IssueKey : IEqualityComparer<DeprecationIssue>
    {
        public static readonly IssueKey Instance = new();
        public bool Equals(DeprecationIssue? a, DeprecationIssue? b) =>
            a is not null && b is not null && a.Level == b.Level && a.Message == b.Message && a.Url == b.Url && a.Details == b.Details;
        public int GetHashCode(DeprecationIssue i) => HashCode.Combine(i.Level, i.Message, i.Url, i.Details);
    }
}
