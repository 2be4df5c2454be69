using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

/// <summary>The migration APIs: deprecation info (computed from the cluster's state) and system-feature migration.</summary>
public static class MigrationHandlers
{
    /// <summary>
    /// GET [/{index}]/_migration/deprecations. Index checks run on the concrete indices the expression resolves to,
    /// open and closed, not hidden (IndicesOptions.fromOptions(false, true, true, true)); a missing full name is 404;
    /// cluster, node and ML checks always run.
    /// </summary>
    public static Task<Reply> Deprecations(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            r.Cluster.RequireMaster();
            var indices = IndexExpression.Resolve(r.Cluster, r.Param("index"), ignoreUnavailable: false, Expand.OpenAndClosed);
            return Task.FromResult(Reply.Ok(DeprecationChecks.Response(r.Cluster, indices)));
        }
    }

    /// <summary>GET _migration/system_features (7.16+): each feature's indices, oldest creation version, status.</summary>
    public static Task<Reply> FeatureStatus(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            r.Cluster.RequireMaster();
            var features = r.Cluster.SystemFeatures().ToList();
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?>
            {
                ["features"] = features.Select(f => new Dictionary<string, object?>
                {
                    ["feature_name"] = f.Name,
                    ["minimum_index_version"] = f.MinimumIndexVersion,
                    ["migration_status"] = f.Status,
                    ["indices"] = f.Indices.Select(i =>
                    {
                        var json = new Dictionary<string, object?> { ["index"] = i.Name, ["version"] = i.CreatedVersion.Number };
                        if (r.Cluster.FeatureMigrationFailure(i) is string cause)
                            json["failure_cause"] = new Dictionary<string, object?> { ["type"] = "illegal_state_exception", ["reason"] = cause, ["stack_trace"] = "java.lang.IllegalStateException: " + cause };
                        return json;
                    }).ToList(),
                }).ToList(),
                ["migration_status"] = EmulatedCluster.OverallFeatureStatus(features, r.Cluster.FeatureMigrationRunning),
            }));
        }
    }

    /// <summary>POST _migration/system_features: starts migrating what needs it, or says nothing does.</summary>
    public static Task<Reply> StartFeatureMigration(RestRequest r)
    {
        var started = r.Cluster.StartSystemFeatureMigration();
        return Task.FromResult(Reply.Ok(started.Count == 0
            ? new Dictionary<string, object?> { ["accepted"] = false, ["reason"] = "No system indices require migration" }
            : new Dictionary<string, object?> { ["accepted"] = true, ["features"] = started.Select(f => new Dictionary<string, object?> { ["feature_name"] = f }).ToList() }));
    }
}
