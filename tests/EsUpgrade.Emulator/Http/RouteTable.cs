using EsUpgrade.Emulator.Http.Handlers;

namespace EsUpgrade.Emulator.Http;

public delegate Task<Reply> Handler(RestRequest request);

/// <summary>
/// A REST route: method, path template with <c>{part}</c> names as in the REST spec, and the spec API
/// it implements. <see cref="Majors"/> limits it to the versions that serve it.
/// </summary>
public sealed record Route(string Method, string Path, string Api, Handler Handler, int[]? Majors = null, Deprecated? Deprecated = null)
{
    public string[] Segments { get; } = Path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
    public int LiteralCount => Segments.Count(s => !s.StartsWith('{'));
    public bool ServedBy(int major) => Majors is null || Majors.Contains(major);
    /// <summary>Forwarded to the elected master (TransportMasterNodeAction): waits up to master_timeout for one.</summary>
    public bool MasterRouted => RouteTable.MasterRoutedApis.Contains(Api);
}

/// <summary>A deprecated route: the Warning header text, and the deprecation log's key and category.</summary>
public sealed record Deprecated(string Key, string Message, string Category);

/// <summary>Every route the emulator serves, in one table; the spec test reads it.</summary>
public static class RouteTable
{
    /// <summary>The APIs a node hands to the elected master; during an election they wait for one (master_timeout, 30s by default).</summary>
    internal static readonly HashSet<string> MasterRoutedApis = new(StringComparer.Ordinal)
    {
        "cluster.health", "cluster.get_settings", "cluster.put_settings", "cluster.allocation_explain", "cluster.reroute",
        "cat.nodes", "cat.health", "cat.master", "cat.indices", "cat.shards",
        "indices.create", "indices.delete", "indices.get", "indices.get_settings", "indices.put_settings", "indices.close", "indices.open",
        "ml.set_upgrade_mode", "shutdown.put_node", "migration.deprecations", "migration.get_feature_upgrade_status",
        "migration.post_feature_upgrade", "snapshot.create_repository", "snapshot.delete_repository", "snapshot.create", "snapshot.delete", "snapshot.verify_repository", "indices.update_aliases", "indices.add_block", "indices.get_template", "indices.put_template", "indices.get_index_template", "cluster.get_component_template", "shutdown.get_node", "shutdown.delete_node",
    };

    static readonly Deprecated TypedIndex = new("index_with_types", "[types removal] Specifying types in document index requests is deprecated, use the typed endpoints instead.", "types");
    static readonly Deprecated TypedCount = new("count_with_types", "[types removal] Specifying types in count requests is deprecated.", "types");

    public static IReadOnlyList<Route> All { get; } = new Route[]
    {
        new("GET", "/", "info", RootHandlers.Info),
        new("HEAD", "/", "ping", RootHandlers.Ping),
        new("GET", "/_cluster/health", "cluster.health", ClusterHandlers.Health),
        new("GET", "/_cluster/health/{index}", "cluster.health", ClusterHandlers.Health),
        new("GET", "/_cluster/settings", "cluster.get_settings", ClusterHandlers.GetSettings),
        new("PUT", "/_cluster/settings", "cluster.put_settings", ClusterHandlers.PutSettings),
        new("GET", "/_nodes", "nodes.info", NodesHandlers.Info),
        new("GET", "/_nodes/{node_id}", "nodes.info", NodesHandlers.Info),
        new("GET", "/_nodes/{node_id}/{metric}", "nodes.info", NodesHandlers.Info),
        new("GET", "/_cat/nodes", "cat.nodes", CatHandlers.Nodes),
        new("GET", "/_cat/health", "cat.health", CatHandlers.Health),
        new("GET", "/_cat/master", "cat.master", CatHandlers.Master),
        new("GET", "/_security/_authenticate", "security.authenticate", SecurityHandlers.Authenticate),
        new("POST", "/_security/api_key", "security.create_api_key", SecurityHandlers.CreateApiKey),
        new("PUT", "/_security/api_key", "security.create_api_key", SecurityHandlers.CreateApiKey),
        new("GET", "/_cluster/allocation/explain", "cluster.allocation_explain", ClusterHandlers.AllocationExplain),
        new("POST", "/_cluster/allocation/explain", "cluster.allocation_explain", ClusterHandlers.AllocationExplain),
        new("GET", "/_cat/indices", "cat.indices", CatHandlers.Indices),
        new("GET", "/_cat/indices/{index}", "cat.indices", CatHandlers.Indices),
        new("GET", "/_cat/shards", "cat.shards", CatHandlers.Shards),
        new("GET", "/_cat/shards/{index}", "cat.shards", CatHandlers.Shards),
        new("GET", "/_cat/recovery", "cat.recovery", CatHandlers.Recovery),
        new("GET", "/_cat/recovery/{index}", "cat.recovery", CatHandlers.Recovery),
        new("PUT", "/{index}", "indices.create", IndexHandlers.Create),
        new("DELETE", "/{index}", "indices.delete", IndexHandlers.Delete),
        new("GET", "/{index}", "indices.get", IndexHandlers.Get),
        new("GET", "/_settings", "indices.get_settings", IndexHandlers.GetSettings),
        new("GET", "/{index}/_settings", "indices.get_settings", IndexHandlers.GetSettings),
        new("GET", "/{index}/_settings/{name}", "indices.get_settings", IndexHandlers.GetSettings),
        new("PUT", "/_settings", "indices.put_settings", IndexHandlers.PutSettings),
        new("PUT", "/{index}/_settings", "indices.put_settings", IndexHandlers.PutSettings),
        new("POST", "/{index}/_doc", "index", IndexHandlers.IndexDocument),
        new("PUT", "/{index}/_doc/{id}", "index", IndexHandlers.IndexDocument),
        new("POST", "/{index}/_doc/{id}", "index", IndexHandlers.IndexDocument),
        new("DELETE", "/{index}/_doc/{id}", "delete", IndexHandlers.DeleteDocument),
        new("GET", "/{index}/_doc/{id}", "get", IndexHandlers.GetDocument),
        new("PUT", "/{index}/_create/{id}", "create", IndexHandlers.IndexDocument),
        new("POST", "/{index}/_create/{id}", "create", IndexHandlers.IndexDocument),
        new("POST", "/_bulk", "bulk", IndexHandlers.Bulk),
        new("PUT", "/_bulk", "bulk", IndexHandlers.Bulk),
        new("POST", "/{index}/_bulk", "bulk", IndexHandlers.Bulk),
        new("PUT", "/{index}/_bulk", "bulk", IndexHandlers.Bulk),
        new("GET", "/_count", "count", IndexHandlers.Count),
        new("POST", "/_count", "count", IndexHandlers.Count),
        new("GET", "/{index}/_count", "count", IndexHandlers.Count),
        new("POST", "/{index}/_count", "count", IndexHandlers.Count),
        new("POST", "/_flush", "indices.flush", IndexHandlers.Flush),
        new("GET", "/_flush", "indices.flush", IndexHandlers.Flush),
        new("POST", "/{index}/_flush", "indices.flush", IndexHandlers.Flush),
        new("GET", "/{index}/_flush", "indices.flush", IndexHandlers.Flush),
        new("POST", "/_flush/synced", "indices.flush_synced", IndexHandlers.SyncedFlush, Majors: new[] { 7 }),
        new("GET", "/_flush/synced", "indices.flush_synced", IndexHandlers.SyncedFlush, Majors: new[] { 7 }),
        new("POST", "/{index}/_flush/synced", "indices.flush_synced", IndexHandlers.SyncedFlush, Majors: new[] { 7 }),
        new("GET", "/{index}/_flush/synced", "indices.flush_synced", IndexHandlers.SyncedFlush, Majors: new[] { 7 }),
        new("POST", "/_refresh", "indices.refresh", IndexHandlers.Refresh),
        new("POST", "/{index}/_refresh", "indices.refresh", IndexHandlers.Refresh),
        new("POST", "/_ml/set_upgrade_mode", "ml.set_upgrade_mode", MlHandlers.SetUpgradeMode),
        new("GET", "/_ml/info", "ml.info", MlHandlers.Info),
        new("POST", "/_cluster/reroute", "cluster.reroute", ClusterHandlers.Reroute),
        new("POST", "/{index}/_close", "indices.close", IndexHandlers.Close),
        new("POST", "/{index}/_open", "indices.open", IndexHandlers.Open),
        new("PUT", "/_nodes/{node_id}/shutdown", "shutdown.put_node", ShutdownHandlers.Put),
        new("GET", "/_nodes/shutdown", "shutdown.get_node", ShutdownHandlers.Get),
        new("GET", "/_nodes/{node_id}/shutdown", "shutdown.get_node", ShutdownHandlers.Get),
        new("DELETE", "/_nodes/{node_id}/shutdown", "shutdown.delete_node", ShutdownHandlers.Delete),
new("GET", "/_cluster/stats", "cluster.stats", NodesHandlers.ClusterStats),
        new("GET", "/_recovery", "indices.recovery", IndexHandlers.IndexRecovery),
        new("GET", "/{index}/_recovery", "indices.recovery", IndexHandlers.IndexRecovery),
        new("GET", "/_cluster/stats/nodes/{node_id}", "cluster.stats", NodesHandlers.ClusterStats),
                new("GET", "/_nodes/stats", "nodes.stats", NodesHandlers.Stats),
        new("GET", "/_nodes/{node_id}/stats", "nodes.stats", NodesHandlers.Stats),
        new("GET", "/_nodes/stats/{metric}", "nodes.stats", NodesHandlers.Stats),
        new("GET", "/_nodes/{node_id}/stats/{metric}", "nodes.stats", NodesHandlers.Stats),
        new("GET", "/_migration/deprecations", "migration.deprecations", MigrationHandlers.Deprecations),
        new("GET", "/{index}/_migration/deprecations", "migration.deprecations", MigrationHandlers.Deprecations),
        new("GET", "/_migration/system_features", "migration.get_feature_upgrade_status", MigrationHandlers.FeatureStatus),
        new("POST", "/_migration/system_features", "migration.post_feature_upgrade", MigrationHandlers.StartFeatureMigration),
        new("GET", "/_license", "license.get", LicenseHandlers.Get),
        new("POST", "/_aliases", "indices.update_aliases", ReindexHandlers.UpdateAliases),
        new("GET", "/_alias", "indices.get_alias", ReindexHandlers.GetAliases),
        new("GET", "/_alias/{name}", "indices.get_alias", ReindexHandlers.GetAliases),
        new("GET", "/{index}/_alias", "indices.get_alias", ReindexHandlers.GetAliases),
        new("GET", "/{index}/_alias/{name}", "indices.get_alias", ReindexHandlers.GetAliases),
        new("PUT", "/{index}/_block/{block}", "indices.add_block", ReindexHandlers.AddBlock),
        new("GET", "/_mapping", "indices.get_mapping", ReindexHandlers.GetMapping),
        new("GET", "/{index}/_mapping", "indices.get_mapping", ReindexHandlers.GetMapping),
        new("POST", "/_reindex", "reindex", ReindexHandlers.Reindex),
        new("GET", "/_tasks/{task_id}", "tasks.get", ReindexHandlers.GetTask),
        new("POST", "/_tasks/{task_id}/_cancel", "tasks.cancel", ReindexHandlers.CancelTask),
        new("GET", "/_ilm/policy", "ilm.get_lifecycle", IlmHandlers.GetPolicies),
        new("GET", "/_ilm/policy/{policy}", "ilm.get_lifecycle", IlmHandlers.GetPolicies),
        // 7.x typed forms: still served, deprecated since 7.0 (the spec marks the paths deprecated).
        new("PUT", "/{index}/{type}/{id}", "index", IndexHandlers.IndexDocument, Majors: new[] { 7 }, Deprecated: TypedIndex),
        new("POST", "/{index}/{type}/{id}", "index", IndexHandlers.IndexDocument, Majors: new[] { 7 }, Deprecated: TypedIndex),
        new("GET", "/{index}/{type}/_count", "count", IndexHandlers.Count, Majors: new[] { 7 }, Deprecated: TypedCount),
        new("POST", "/{index}/{type}/_count", "count", IndexHandlers.Count, Majors: new[] { 7 }, Deprecated: TypedCount),
        new("GET", "/{index}/_search", "search", SearchHandlers.Search),
        new("POST", "/{index}/_search", "search", SearchHandlers.Search),
        new("GET", "/_snapshot", "snapshot.get_repository", SnapshotHandlers.GetRepositories),
        new("GET", "/_snapshot/{repository}", "snapshot.get_repository", SnapshotHandlers.GetRepositories),
        new("GET", "/_snapshot/{repository}/{snapshot}", "snapshot.get", SnapshotHandlers.GetSnapshots),
        new("PUT", "/_snapshot/{repository}", "snapshot.create_repository", SnapshotHandlers.PutRepository),
        new("POST", "/_snapshot/{repository}", "snapshot.create_repository", SnapshotHandlers.PutRepository),
        new("DELETE", "/_snapshot/{repository}", "snapshot.delete_repository", SnapshotHandlers.DeleteRepository),
        new("POST", "/_snapshot/{repository}/_verify", "snapshot.verify_repository", SnapshotHandlers.VerifyRepository),
        new("PUT", "/_snapshot/{repository}/{snapshot}", "snapshot.create", SnapshotHandlers.CreateSnapshot),
        new("POST", "/_snapshot/{repository}/{snapshot}", "snapshot.create", SnapshotHandlers.CreateSnapshot),
        new("DELETE", "/_snapshot/{repository}/{snapshot}", "snapshot.delete", SnapshotHandlers.DeleteSnapshot),
        new("POST", "/_snapshot/{repository}/{snapshot}/_restore", "snapshot.restore", SnapshotHandlers.Restore),
        new("GET", "/_snapshot/{repository}/{snapshot}/_status", "snapshot.status", SnapshotHandlers.Status),
        new("GET", "/_template", "indices.get_template", TemplateHandlers.GetLegacy),
        new("GET", "/_template/{name}", "indices.get_template", TemplateHandlers.GetLegacy),
        new("PUT", "/_template/{name}", "indices.put_template", TemplateHandlers.PutLegacy),
        new("GET", "/_index_template", "indices.get_index_template", TemplateHandlers.GetComposable),
        new("GET", "/_index_template/{name}", "indices.get_index_template", TemplateHandlers.GetComposable),
        new("GET", "/_component_template", "cluster.get_component_template", TemplateHandlers.GetComponent),
        new("GET", "/_component_template/{name}", "cluster.get_component_template", TemplateHandlers.GetComponent),
        new("GET", "/_ml/anomaly_detectors", "ml.get_jobs", MlHandlers.Jobs),
        new("GET", "/_ml/anomaly_detectors/{job_id}", "ml.get_jobs", MlHandlers.Jobs),
        new("GET", "/_ml/anomaly_detectors/{job_id}/model_snapshots", "ml.get_model_snapshots", MlHandlers.ModelSnapshots),
        new("GET", "/_ml/anomaly_detectors/{job_id}/model_snapshots/{snapshot_id}", "ml.get_model_snapshots", MlHandlers.ModelSnapshots),
        new("POST", "/_ml/anomaly_detectors/{job_id}/model_snapshots/{snapshot_id}/_upgrade", "ml.upgrade_job_snapshot", MlHandlers.UpgradeSnapshot),
        new("DELETE", "/_ml/anomaly_detectors/{job_id}/model_snapshots/{snapshot_id}", "ml.delete_model_snapshot", MlHandlers.DeleteSnapshot),
    };

    /// <summary>The route for a request, or why none: (null, allowed methods) for a known path with another method.</summary>
    public static (Route? Route, Dictionary<string, string> Params, IReadOnlyList<string> Allowed) Match(string method, string path, int major)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var matches = new List<(Route Route, Dictionary<string, string> Params)>();
        foreach (var route in All.Where(r => r.ServedBy(major) && r.Segments.Length == segments.Length))
        {
            var ps = new Dictionary<string, string>();
            var ok = true;
            for (var i = 0; i < segments.Length && ok; i++)
            {
                var s = route.Segments[i];
                if (s.StartsWith('{')) ps[s.Trim('{', '}')] = System.Uri.UnescapeDataString(segments[i]);
                else ok = string.Equals(s, segments[i], StringComparison.Ordinal);
            }
            if (ok) matches.Add((route, ps));
        }
        // Elasticsearch's path trie prefers literal segments over wildcards.
        var best = matches.Where(m => m.Route.Method == method).OrderByDescending(m => m.Route.LiteralCount).FirstOrDefault();
        if (best.Route != null) return (best.Route, best.Params, Array.Empty<string>());
        return (null, new(), matches.Select(m => m.Route.Method).Distinct().ToList());
    }
}
