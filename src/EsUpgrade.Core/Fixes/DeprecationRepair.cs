using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Assessment;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Settings;
using EsUpgrade.Wire;

namespace EsUpgrade.Fixes;

public enum RepairKind { None, MoveTransientToPersistent, ResetClusterSettings, RemoveIndexSettings, UpgradeModelSnapshot, DeleteModelSnapshot, MigrateSystemFeatures, ReindexIndex }

/// <summary>What Repair-EsDeprecation will do about one finding, decided before anything changes (for -WhatIf and -Confirm).</summary>
public sealed class RepairPlan
{
    public EsDeprecation Finding { get; internal set; } = null!;
    public RepairKind Kind { get; internal set; }
    /// <summary>What the change acts on, as -Confirm names it.</summary>
    public string Target { get; internal set; } = "";
    /// <summary>The change, in words, as -WhatIf says it.</summary>
    public string Action { get; internal set; } = "";
    /// <summary>Why a person must act, for a finding no fix is automated for.</summary>
    public string? ManualReason { get; internal set; }
    /// <summary>The fix deletes something (a model snapshot; the old index once its copy is verified): confirmed even without -Confirm.</summary>
    public bool Deletes => Kind is RepairKind.DeleteModelSnapshot or RepairKind.ReindexIndex;
}

public enum RepairStatus { Fixed, NeedsManualAction, Failed, Skipped }

/// <summary>One finding and what became of it.</summary>
public sealed class RepairResult
{
    public EsConnection? Connection { get; internal set; }
    public RepairStatus Status { get; internal set; }
    public DeprecationCategory Category { get; internal set; }
    public string? Resource { get; internal set; }
    public string Message { get; internal set; } = "";
    /// <summary>What was done, or what a person must do.</summary>
    public string Action { get; internal set; } = "";
    public string? Reason { get; internal set; }
    public string? Url { get; internal set; }
    public EsDeprecation Finding { get; internal set; } = null!;
    public override string ToString() => $"{Status} {Category} {Resource}: {Message}";
}

/// <summary>
/// Fixes the deprecation findings that can be fixed safely, as Kibana's Upgrade Assistant does but from a pipeline:
/// settings the API says can go are reset, transient settings moved to persistent, ML model snapshots upgraded (or,
/// when allowed, deleted), system indices migrated. Everything else is a NeedsManualAction with the reason and link.
/// </summary>
public static class DeprecationRepair
{
    public static RepairPlan Plan(EsDeprecation f, bool allowDelete)
    {
        RepairPlan Manual(string why) => new RepairPlan { Finding = f, Kind = RepairKind.None, ManualReason = why, Target = f.Resource ?? f.Category.ToString(), Action = why };
        var settings = string.Join(", ", f.SettingsToRemove);
        if (f.Source == FindingSource.EsUpgrade && f.Category == DeprecationCategory.Cluster && f.SettingsToRemove.Count > 0)
            return new RepairPlan { Finding = f, Kind = RepairKind.MoveTransientToPersistent, Target = "cluster settings", Action = $"Set persistently and reset the transient value of {settings}" };
        if (f.Category == DeprecationCategory.Index && f.SettingsToRemove.Count > 0 && f.Resource != null)
            return new RepairPlan { Finding = f, Kind = RepairKind.RemoveIndexSettings, Target = $"index {f.Resource}", Action = $"Remove the index settings {settings}" };
        if (f.SettingsToRemove.Count > 0 && f.Category is DeprecationCategory.Cluster or DeprecationCategory.Node)
            return new RepairPlan { Finding = f, Kind = RepairKind.ResetClusterSettings, Target = "cluster settings", Action = $"Reset the cluster settings {settings} (persistent and transient)" };
        if (f.Category == DeprecationCategory.MachineLearning && f.JobId is string job && f.SnapshotId is string snapshot)
            return allowDelete
                ? new RepairPlan { Finding = f, Kind = RepairKind.DeleteModelSnapshot, Target = $"model snapshot {snapshot} of job {job}", Action = "Delete the model snapshot" }
                : new RepairPlan { Finding = f, Kind = RepairKind.UpgradeModelSnapshot, Target = $"model snapshot {snapshot} of job {job}", Action = "Upgrade the model snapshot to this version" };
        if (f.Category == DeprecationCategory.Index && f.Source == FindingSource.EsUpgrade && f.Message.StartsWith("Hidden index", StringComparison.Ordinal))
            return new RepairPlan { Finding = f, Kind = RepairKind.MigrateSystemFeatures, Target = $"system index {f.Resource}", Action = "Migrate the system features that need it (POST _migration/system_features) and wait" };
        if (f.Category == DeprecationCategory.Index && f.Resource != null && f.Source == FindingSource.DeprecationApi && (f.Message.Contains("created before") || f.Message.Contains("compatibility version <")))
            return new RepairPlan { Finding = f, Kind = RepairKind.ReindexIndex, Target = $"index {f.Resource}",
                Action = $"Reindex into reindexed-v8-{f.Resource}, move its aliases, delete {f.Resource} and make its name an alias of the new index (Invoke-EsIndexUpgrade)" };
        if (f.Category == DeprecationCategory.Node)
            return Manual(f.Nodes.Count > 0
                ? $"Change elasticsearch.yml (or the plugins) on {string.Join(", ", f.Nodes)}: Convert-EsNodeConfiguration writes the 8.x form of the file; the change takes effect at each node's restart."
                : "Change elasticsearch.yml on the nodes: Convert-EsNodeConfiguration writes the 8.x form.");
        if (f.Category == DeprecationCategory.Template || f.Message.IndexOf("template", StringComparison.OrdinalIgnoreCase) >= 0)
            return Manual("Update or delete the index templates named in the details: their mappings need a person's judgment.");
        return Manual("No automated fix: follow the link.");
    }

    /// <summary>The result for a fix not applied (-WhatIf, or not confirmed).</summary>
    public static RepairResult Skipped(RepairPlan plan, EsConnection connection, string? reason = null) => new RepairResult
    {
        Connection = connection, Status = RepairStatus.Skipped, Category = plan.Finding.Category, Resource = plan.Finding.Resource,
        Message = plan.Finding.Message, Action = plan.Action, Reason = reason ?? "Not applied (-WhatIf, or not confirmed).", Url = plan.Finding.Url, Finding = plan.Finding,
    };

    public static async Task<RepairResult> ApplyAsync(EsApi api, RepairPlan plan, CancellationToken ct)
    {
        var f = plan.Finding;
        RepairResult Result(RepairStatus status, string action, string? reason = null) => new RepairResult
        {
            Connection = f.Connection ?? api.Connection, Status = status, Category = f.Category, Resource = f.Resource, Message = f.Message,
            Action = action, Reason = reason, Url = f.Url, Finding = f,
        };
        if (plan.Kind == RepairKind.None) return Result(RepairStatus.NeedsManualAction, plan.ManualReason ?? "", plan.ManualReason);
        try
        {
            switch (plan.Kind)
            {
                case RepairKind.MoveTransientToPersistent:
                {
                    var current = await ClusterSettings.GetAsync(api, includeDefaults: false, ct).ConfigureAwait(false);
                    var moving = current.Where(s => s.Scope == SettingScope.Transient && f.SettingsToRemove.Contains(s.Name)).ToList();
                    if (moving.Count == 0) return Result(RepairStatus.Fixed, "Nothing left to move: the transient settings are gone.");
                    await PutClusterSettings(api, moving.ToDictionary(s => s.Name, s => s.Value), moving.ToDictionary(s => s.Name, _ => (object?)null), ct).ConfigureAwait(false);
                    return Result(RepairStatus.Fixed, $"Set persistently, transient value reset: {string.Join(", ", moving.Select(s => s.Name))}");
                }
                case RepairKind.ResetClusterSettings:
                {
                    var reset = f.SettingsToRemove.ToDictionary(s => s, _ => (object?)null);
                    await PutClusterSettings(api, reset, reset, ct).ConfigureAwait(false);
                    return Result(RepairStatus.Fixed, plan.Action);
                }
                case RepairKind.RemoveIndexSettings:
                {
                    var body = JsonSerializer.Serialize(f.SettingsToRemove.ToDictionary(s => s, _ => (object?)null));
                    await api.SendAsync(new EsRequest("PUT", $"/{Uri.EscapeDataString(f.Resource!)}/_settings", body), ct).ConfigureAwait(false);
                    return Result(RepairStatus.Fixed, plan.Action);
                }
                case RepairKind.UpgradeModelSnapshot:
                case RepairKind.DeleteModelSnapshot:
                {
                    var job = f.JobId!;
                    var snapshot = f.SnapshotId!;
                    var change = plan.Kind == RepairKind.DeleteModelSnapshot
                        ? await ModelSnapshots.DeleteAsync(api, job, snapshot, ct).ConfigureAwait(false)
                        : await ModelSnapshots.UpgradeAsync(api, job, snapshot, wait: true, ct).ConfigureAwait(false);
                    return Result(RepairStatus.Fixed, $"{change.Action} model snapshot {snapshot} of job {job}");
                }
                case RepairKind.ReindexIndex:
                {
                    var upgraded = await IndexUpgrader.RunAsync(api, f.Resource!, new IndexUpgradeOptions
                    {
                        StatePath = IndexUpgrader.DefaultStatePath(api.Connection.ClusterUuid, f.Resource!),
                    }, ct).ConfigureAwait(false);
                    return Result(RepairStatus.Fixed, $"{upgraded.Status}: [{f.Resource}] is now an alias of [{upgraded.NewIndex}] ({upgraded.DocumentsAfter} documents)");
                }
                case RepairKind.MigrateSystemFeatures:
                {
                    var features = await SystemFeatures.GetAsync(api, ct).ConfigureAwait(false);
                    if (!features.Any(x => x.Indices.Contains(f.Resource)))
                        return Result(RepairStatus.NeedsManualAction, "Reindex or delete the index: it belongs to no system feature, so no migration moves it.",
                            "Not a system index of any feature");
                    await SystemFeatures.MigrateAsync(api, wait: true, TimeSpan.FromMinutes(60), ct).ConfigureAwait(false);
                    return Result(RepairStatus.Fixed, "System features migrated");
                }
            }
        }
        catch (EsServerException ex) when (ex.StatusCode == 403)
        {
            throw Privileges.Missing(api, "Fixing deprecations", "manage", ex);
        }
        catch (EsException ex) when (!ex.IsTransient)
        {
            return Result(RepairStatus.Failed, plan.Action, ex.Message);
        }
        return Result(RepairStatus.NeedsManualAction, "", "No automated fix");
    }

    static Task PutClusterSettings(EsApi api, IDictionary<string, object?> persistent, IDictionary<string, object?> transient, CancellationToken ct) =>
        api.SendAsync(new EsRequest("PUT", "/_cluster/settings", JsonSerializer.Serialize(new Dictionary<string, object?> { ["persistent"] = persistent, ["transient"] = transient })), ct);
}
