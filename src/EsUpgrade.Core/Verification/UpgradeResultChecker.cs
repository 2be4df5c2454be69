using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Allocation;
using EsUpgrade.Assessment;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Health;
using EsUpgrade.Indices;
using EsUpgrade.Inventory;
using EsUpgrade.Json;
using EsUpgrade.MachineLearning;
using EsUpgrade.Wire;

namespace EsUpgrade.Verification;

/// <summary>One check of an upgrade's result: what an admin attaches to the change.</summary>
public sealed class UpgradeResultCheck
{
    public EsConnection? Connection { get; internal set; }
    public string Name { get; internal set; } = "";
    public ReadinessStatus Status { get; internal set; }
    public string Detail { get; internal set; } = "";
    public string? Remedy { get; internal set; }
    /// <summary>The things at fault: nodes, indices, aliases, settings.</summary>
    public IReadOnlyList<string> Affected { get; internal set; } = Array.Empty<string>();
    public override string ToString() => $"{Status} {Name}: {Detail}";
}

/// <summary>
/// After an upgrade: every node on the target version; health green (yellow with allocation explain's reason for each
/// unassigned copy); against a baseline, every index present with no fewer documents (more is a Warning: still
/// written to), every alias, shard allocation as it was; ML upgrade mode off; no transient settings left; no critical
/// deprecation for the next major; no node shutdown record left.
/// </summary>
public static class UpgradeResultChecker
{
    public static async Task<IReadOnlyList<UpgradeResultCheck>> RunAsync(EsApi api, Version target, EsClusterBaseline? baseline, CancellationToken ct)
    {
        // A baseline of another cluster on an older major is the source of a migration into this one: its indices,
        // documents and aliases are compared by name; its nodes and settings are not this cluster's.
        var migrated = baseline != null && baseline.ClusterUuid != api.Connection.ClusterUuid;
        if (migrated && baseline!.Nodes.Any(n => EsVersion.Parse(n.Version).Major >= target.Major))
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.BaselineOfAnotherCluster,
                $"The baseline{(baseline.BaselineFile is null ? "" : " '" + baseline.BaselineFile + "'")} is of cluster {baseline.ClusterName} ({baseline.ClusterUuid}), not of {api.Connection.ClusterName}: " +
                "give this cluster's own baseline (or, after a migration, the baseline of the cluster it came from).", baseline.BaselineFile);
        var checks = new List<UpgradeResultCheck>();
        UpgradeResultCheck Add(string name, ReadinessStatus status, string detail, string? remedy = null, IEnumerable<string>? affected = null)
        {
            var check = new UpgradeResultCheck { Connection = api.Connection, Name = name, Status = status, Detail = detail, Remedy = status == ReadinessStatus.Pass ? null : remedy, Affected = affected?.ToList() ?? new List<string>() };
            checks.Add(check);
            return check;
        }

        var nodes = await InventoryReader.GetNodesAsync(api, null, ct).ConfigureAwait(false);
        var behind = nodes.Where(n => n.Version != target).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        Add("NodeVersions", behind.Count == 0 ? ReadinessStatus.Pass : ReadinessStatus.Fail,
            behind.Count == 0 ? $"all {nodes.Count} nodes run {target}" : $"{behind.Count} of {nodes.Count} nodes are not on {target}: {string.Join(", ", behind.Select(n => $"{n.Name} ({n.VersionNumber})"))}",
            $"Upgrade them: Invoke-EsRollingUpgrade -TargetVersion {target} (with the same -StatePath resumes a stopped run).", behind.Select(n => n.Name));
        var missingNodes = baseline?.Nodes.Where(b => nodes.All(n => n.Name != b.Name)).Select(b => b.Name).ToList() ?? new List<string>();
        if (baseline != null && !migrated)
            Add("NodesPresent", missingNodes.Count == 0 ? ReadinessStatus.Pass : ReadinessStatus.Fail,
                missingNodes.Count == 0 ? $"every node of the baseline ({baseline.Nodes.Count}) is in the cluster" : $"{string.Join(", ", missingNodes)} of the baseline did not come back",
                "Start those nodes and check their logs (a node that cannot start at the new version says why).", missingNodes);

        await HealthCheckAsync(api, Add, ct).ConfigureAwait(false);

        var indices = await IndexReader.GetIndicesAsync(api, null, includeHidden: true, ct).ConfigureAwait(false);
        var byName = indices.ToDictionary(i => i.Name, i => i, StringComparer.Ordinal);
        var aliases = await api.GetJsonAsync(EsRequest.Get("/_alias?expand_wildcards=all"), ct).ConfigureAwait(false);
        // An index reindexed by the upgrade keeps its old name as an alias of the new index: it is still there.
        string? Concrete(string name) => byName.ContainsKey(name) ? name
            : aliases.EnumerateObject().Where(i => i.Value.Object("aliases").Any(a => a.Name == name)).Select(i => i.Name).FirstOrDefault();
        if (baseline is null)
        {
            Add("Baseline", ReadinessStatus.Warning, "no baseline given: indices, documents, aliases and the allocation setting were not compared with the cluster before the upgrade",
                "Take one before the next change: Export-EsClusterBaseline -Path before.json (Invoke-EsRollingUpgrade -StatePath takes one beside its state file).");
        }
        else
        {
            var regular = baseline.Indices.Where(i => !i.Hidden && !i.Name.StartsWith(".", StringComparison.Ordinal)).ToList();
            var missing = regular.Where(i => Concrete(i.Name) is null).Select(i => i.Name).ToList();
            Add("IndicesPresent", missing.Count == 0 ? ReadinessStatus.Pass : ReadinessStatus.Fail,
                missing.Count == 0 ? $"all {regular.Count} indices of the baseline are here" : $"{missing.Count} indices of the baseline are gone: {string.Join(", ", missing.Take(20))}",
                "Restore them from the snapshot taken before the upgrade: Restore-EsSnapshot <snapshot> -Index <names>.", missing);
            var fewer = new List<string>();
            var grew = new List<string>();
            foreach (var b in regular)
            {
                if (!(Concrete(b.Name) is string name) || !byName.TryGetValue(name, out var now)) continue;
                if (now.DocsCount < b.Documents) fewer.Add($"{b.Name} ({now.DocsCount} < {b.Documents})");
                else if (now.DocsCount > b.Documents) grew.Add($"{b.Name} (+{now.DocsCount - b.Documents})");
            }
            Add("DocumentCounts", fewer.Count > 0 ? ReadinessStatus.Fail : grew.Count > 0 ? ReadinessStatus.Warning : ReadinessStatus.Pass,
                fewer.Count > 0 ? $"{fewer.Count} indices hold fewer documents than before: {string.Join(", ", fewer.Take(20))}"
                : grew.Count > 0 ? $"no index lost documents; {grew.Count} grew (still written to): {string.Join(", ", grew.Take(20))}"
                : $"every index holds the {baseline.TotalDocuments} documents it held before",
                fewer.Count > 0 ? "Find what deleted them (a delete-by-query, ILM, a rollover); restore the index from the snapshot taken before the upgrade if they were lost."
                : "Nothing to do if writes went on during the upgrade.", fewer.Concat(grew).Select(x => x.Split(' ')[0]));
            var lostAliases = new List<string>();
            foreach (var b in regular.Where(b => Concrete(b.Name) != null))
                foreach (var alias in b.Aliases)
                    if (aliases.Prop(Concrete(b.Name)!)?.Object("aliases").Any(a => a.Name == alias) != true) lostAliases.Add($"{alias} -> {b.Name}");
            Add("Aliases", lostAliases.Count == 0 ? ReadinessStatus.Pass : ReadinessStatus.Fail,
                lostAliases.Count == 0 ? $"all {regular.Sum(b => b.Aliases.Count)} aliases of the baseline point where they did" : $"{lostAliases.Count} aliases are gone: {string.Join(", ", lostAliases.Take(20))}",
                "Add them back: POST _aliases {\"actions\":[{\"add\":{\"index\":\"...\",\"alias\":\"...\"}}]}.", lostAliases);
        }

        // One read of the cluster settings: the allocation setting and the transient ones.
        var settings = await api.GetJsonAsync(EsRequest.Get("/_cluster/settings?flat_settings=true"), ct).ConfigureAwait(false);
        var allocation = new AllocationSetting(settings.Prop("persistent")?.Str(AllocationChange.Key), settings.Prop("transient")?.Str(AllocationChange.Key));
        var wanted = baseline is null || migrated ? "all"
            : (baseline.TransientSettings.TryGetValue(AllocationChange.Key, out var t) ? t : baseline.PersistentSettings.TryGetValue(AllocationChange.Key, out var p) ? p : "all").ToLowerInvariant();
        Add("ShardAllocation", allocation.Effective == wanted ? ReadinessStatus.Pass : ReadinessStatus.Fail,
            allocation.Effective == wanted ? $"cluster.routing.allocation.enable is {wanted}{(baseline is null ? "" : ", as before")}"
                : $"cluster.routing.allocation.enable is {allocation.Effective} ({allocation}); it was {wanted}{(baseline is null ? " (the default)" : " before")}: replicas are not being allocated",
            "Enable-EsShardAllocation (or PUT _cluster/settings with the value it had).", new[] { AllocationChange.Key });

        try
        {
            var upgradeMode = await MlUpgradeMode.GetAsync(api, ct).ConfigureAwait(false);
            Add("MlUpgradeMode", upgradeMode ? ReadinessStatus.Fail : ReadinessStatus.Pass,
                upgradeMode ? "ML upgrade mode is on: anomaly detection jobs and datafeeds are paused" : "ML upgrade mode is off",
                "Set-EsMlUpgradeMode -Enabled $false.");
        }
        catch (EsException ex) when (ex.ErrorId == ErrorIds.MlUnavailable)
        {
            Add("MlUpgradeMode", ReadinessStatus.Pass, "machine learning is not enabled in this cluster");
        }

        var transient = settings.Object("transient").Select(s => s.Name).OrderBy(s => s, StringComparer.Ordinal).ToList();
        var leftBehind = transient.Where(s => baseline is null || migrated || !baseline.TransientSettings.ContainsKey(s)).ToList();
        Add("TransientSettings", transient.Count == 0 ? ReadinessStatus.Pass : leftBehind.Count > 0 ? ReadinessStatus.Fail : ReadinessStatus.Warning,
            transient.Count == 0 ? "no transient settings" : leftBehind.Count > 0 ? $"transient settings left behind: {string.Join(", ", leftBehind)}"
                : $"transient settings that were there before: {string.Join(", ", transient)} (deprecated in 8.x, lost on a full restart)",
            "Make them persistent or remove them: Test-EsDeprecation -Category Cluster | Repair-EsDeprecation.", transient);

        var deprecations = await DeprecationReader.ReadAsync(api, null, ct, indices).ConfigureAwait(false);
        var critical = deprecations.Found.Where(d => d.Level == DeprecationLevel.Critical && d.Source == FindingSource.DeprecationApi).ToList();
        // What the new version's API calls critical blocks the next major, not this upgrade: a Warning to plan for.
        Add("CriticalDeprecations", critical.Count == 0 ? ReadinessStatus.Pass : ReadinessStatus.Warning,
            critical.Count == 0 ? $"the deprecation API reports nothing critical for {target.Major + 1}.x"
                : $"{critical.Count} critical deprecations stand between this cluster and {target.Major + 1}.x: {string.Join("; ", critical.Take(5).Select(c => (c.Resource is null ? "" : c.Resource + ": ") + c.Message))}",
            "Test-EsDeprecation -Level Critical, then Repair-EsDeprecation, before the next upgrade.", critical.Select(c => c.Resource ?? c.Message));

        var shutdown = await ShutdownRecordsAsync(api, ct).ConfigureAwait(false);
        if (shutdown != null)
            Add("ShutdownRecords", shutdown.Count == 0 ? ReadinessStatus.Pass : ReadinessStatus.Fail,
                shutdown.Count == 0 ? "no node shutdown record left" : $"node shutdown records left for {string.Join(", ", shutdown)}: those nodes stay marked for restart or removal",
                "DELETE _nodes/<node id>/shutdown for each.", shutdown);
        return checks;
    }

    static async Task HealthCheckAsync(EsApi api, Func<string, ReadinessStatus, string, string?, IEnumerable<string>?, UpgradeResultCheck> add, CancellationToken ct)
    {
        var health = await HealthReader.GetAsync(api, null, HealthLevel.Cluster, ct).ConfigureAwait(false);
        if (health.Status == HealthStatus.Green)
        {
            add("Health", ReadinessStatus.Pass, $"green, {health.ActiveShards} shard copies active", null, null);
            return;
        }
        var shards = await IndexReader.GetShardsAsync(api, null, ct).ConfigureAwait(false);
        var unassigned = shards.Where(s => s.State == Indices.ShardState.Unassigned).ToList();
        var reasons = new List<string>();
        // One explanation per shard (its unassigned copies share it): the deciders that said no, else Elasticsearch's summary.
        foreach (var s in unassigned.GroupBy(u => (u.Index, u.Shard, u.Primary)).Select(g => g.First()).Take(10))
        {
            try
            {
                var why = await AllocationExplanation.ExplainAsync(api, s.Index, s.Shard, s.Primary, ct).ConfigureAwait(false);
                var no = why.Deciders.Where(d => d.Decision == "NO").Select(d => $"[{d.Decider}] {d.Explanation}").Distinct().Take(3).ToList();
                var reason = no.Count > 0 ? string.Join(", ", no) : !string.IsNullOrEmpty(why.Explanation) ? why.Explanation : why.CanAllocate ?? why.CurrentState;
                reasons.Add($"{s.Index}[{s.Shard}]{(s.Primary ? "p" : "r")}: {reason}");
            }
            catch (EsServerException ex)
            {
                reasons.Add($"{s.Index}[{s.Shard}]{(s.Primary ? "p" : "r")}: {ex.Reason}");
            }
        }
        var status = health.Status == HealthStatus.Red ? ReadinessStatus.Fail : ReadinessStatus.Warning;
        add("Health", status, $"{health.Status.ToString().ToLowerInvariant()}: {health.UnassignedShards} unassigned, {health.InitializingShards} initializing" +
            (reasons.Count > 0 ? " — " + string.Join("; ", reasons) : ""),
            health.Status == HealthStatus.Red ? "A primary is missing: Get-EsShard -State Unassigned and allocation explain say which and why; restore it from the snapshot if its data is lost."
                : "Wait-EsClusterHealth -Status Green, or act on the reason allocation explain gives.", unassigned.Select(u => u.Index).Distinct());
    }

    /// <summary>Node shutdown records (7.15+); null when the API is not there.</summary>
    static async Task<List<string>?> ShutdownRecordsAsync(EsApi api, CancellationToken ct)
    {
        if (api.Connection.MajorVersion < 8 && EsVersion.Parse(api.Connection.Version) < new Version(7, 15)) return null;
        try
        {
            var body = await api.GetJsonAsync(EsRequest.Get("/_nodes/shutdown"), ct).ConfigureAwait(false);
            return body.Array("nodes").Select(n => n.Str("node_id") ?? "").OrderBy(n => n, StringComparer.Ordinal).ToList();
        }
        catch (EsServerException ex) when (ex.StatusCode is 400 or 404)
        {
            return null;
        }
    }
}
