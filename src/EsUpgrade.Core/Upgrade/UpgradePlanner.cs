using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Indices;
using EsUpgrade.Inventory;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Upgrade;

/// <summary>
/// Orders nodes as Elastic's rolling-upgrade docs and ECK do: data tiers frozen → cold → warm → hot →
/// content, then other nodes that are not master-eligible, then master-eligible nodes, the elected master last.
/// </summary>
public static class UpgradePlanner
{
    static readonly (string Role, string Group)[] TierOrder =
    {
        ("data_frozen", "frozen tier"), ("data_cold", "cold tier"), ("data_warm", "warm tier"), ("data_hot", "hot tier"),
        ("data_content", "content tier"), ("data", "data (all tiers)"),
    };

    /// <summary>Reads the cluster's nodes now and plans their upgrade to <paramref name="targetVersion"/>.</summary>
    public static async Task<UpgradePlan> PlanAsync(EsApi api, string targetVersion, CancellationToken ct, BatchOptions? batching = null, PlanInputs? inputs = null)
    {
        var nodes = await InventoryReader.GetNodesAsync(api, null, ct).ConfigureAwait(false);
        var plan = Plan(api.Connection, nodes, targetVersion);
        if (batching != null) await BatchAsync(api, plan, batching, ct, inputs).ConfigureAwait(false);
        var indices = await IndexReader.GetIndicesAsync(api, null, includeHidden: true, ct).ConfigureAwait(false);
        if (UpgradeSafety.IncompatibleIndices(indices, targetVersion) is string problem)
            plan.Warnings = plan.Warnings.Prepend(problem + " Invoke-EsRollingUpgrade refuses to start until they are reindexed on 7.17 or deleted.").ToList();
        return plan;
    }

    public static UpgradePlan Plan(EsConnection connection, IReadOnlyList<EsNode> nodes, string targetVersion)
    {
        // Three parts, as nodes report their version: every later comparison is of these strings.
        if (!System.Text.RegularExpressions.Regex.IsMatch(targetVersion ?? "", @"^8\.\d+\.\d+$"))
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.UnsupportedTargetVersion,
                $"The target version must be an 8.x release in full, such as 8.19.0; '{targetVersion}' is not.", targetVersion);
        var target = EsVersion.Parse(targetVersion!);
        if (target.Major != 8)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.UnsupportedTargetVersion,
                $"The target version must be an 8.x release such as 8.19.0; '{targetVersion}' is not.", targetVersion);
        if (nodes.Count == 0)
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.NoNodes, "The cluster reported no nodes.", connection.Name);
        var notReady = nodes.Where(n => n.Version != target && !(n.Version.Major == 7 && n.Version.Minor == 17)).ToList();
        var behind = notReady.Where(n => n.Version.Major < 8).ToList();
        if (behind.Count > 0)
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.ClusterNotOn717,
                "A rolling upgrade to 8.x must start from 7.17.x on every node; upgrade these nodes to the latest 7.17 first: " +
                string.Join(", ", behind.Select(n => $"{n.Name} ({n.VersionNumber})")) + ".", connection.Name);
        var on8 = notReady.Where(n => n.Version.Major >= 8 && n.Version < target).ToList();
        if (on8.Count > 0)
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.ClusterAlreadyOn8,
                "Nodes already run 8.x: " + string.Join(", ", on8.Select(n => $"{n.Name} ({n.VersionNumber})")) +
                $". EsUpgrade's rolling upgrade takes 7.17 clusters to 8.x, and these nodes are past that step. To reach {targetVersion} within 8.x, follow Elastic's rolling-upgrade guide.", connection.Name);
        var newer = nodes.Where(n => n.Version > target).ToList();
        if (newer.Count > 0)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.TargetOlderThanCluster,
                $"Nodes already run a version newer than {targetVersion}: {string.Join(", ", newer.Select(n => n.Name))}. Downgrades are impossible.", targetVersion);

        var ordered = new List<PlannedNode>();
        foreach (var n in nodes)
        {
            string group, reason;
            int rank;
            if (!n.IsMasterEligible && n.IsDataNode)
            {
                var tier = Array.FindIndex(TierOrder, t => n.Roles.Contains(t.Role));
                rank = tier;
                group = TierOrder[tier].Group;
                reason = "data tiers go frozen → cold → warm → hot";
            }
            else if (!n.IsMasterEligible)
            {
                rank = 10;
                group = "other";
                reason = "neither master nor data: after the tiers";
            }
            else if (!n.IsElectedMaster)
            {
                rank = 20;
                group = "master-eligible";
                reason = "master-eligible: after the others, one at a time";
            }
            else
            {
                rank = 30;
                group = "elected master";
                reason = "last: the master changes only once";
            }
            ordered.Add(new PlannedNode
            {
                Name = n.Name,
                Id = n.Id,
                CurrentVersion = n.VersionNumber,
                Host = n.Host,
                Roles = n.Roles,
                IsMasterEligible = n.IsMasterEligible,
                IsElectedMaster = n.IsElectedMaster,
                IsDataNode = n.IsDataNode,
                Group = group,
                Reason = reason,
                AlreadyUpgraded = n.Version == target,
                Node = n,
                Position = rank,
            });
        }
        var plan = ordered.OrderBy(p => p.Position).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        for (var i = 0; i < plan.Count; i++) plan[i].Position = i + 1;

        var warnings = new List<string>();
        foreach (var tier in TierOrder.Take(5))
        {
            var members = nodes.Where(n => n.Roles.Contains(tier.Role)).ToList();
            if (members.Count == 1)
                warnings.Add($"The {tier.Group} has a single node ({members[0].Name}): its data is unavailable while that node restarts.");
        }
        if (connection.Nodes.Count == 1 && nodes.Count > 1 && connection.CloudId is null)
            warnings.Add($"The connection '{connection.Name}' has one URI ({connection.Nodes[0]}): while that node restarts, calls have nowhere to fail over to. Connect with several node URIs.");
        var masters = nodes.Count(n => n.IsMasterEligible);
        if (masters < 3)
            warnings.Add($"Only {masters} master-eligible node(s): restarting one of them loses the master quorum for a moment.");
        return new UpgradePlan
        {
            Connection = connection,
            ClusterName = connection.ClusterName,
            ClusterUuid = connection.ClusterUuid,
            TargetVersion = targetVersion!,
            Nodes = plan,
            Warnings = warnings,
        };
    }

    /// <summary>
    /// Groups the plan's nodes into batches from the shards as they are now; -ByZone without an attribute takes the first
    /// of the cluster's cluster.routing.allocation.awareness.attributes.
    /// </summary>
    public static async Task BatchAsync(EsApi api, UpgradePlan plan, BatchOptions batching, CancellationToken ct, PlanInputs? inputs = null)
    {
        inputs ??= await PlanInputs.ReadAsync(api, ct).ConfigureAwait(false);
        if (batching.ByZone && batching.ZoneAttribute is null)
        {
            // Set as a cluster setting or in elasticsearch.yml (the defaults show the node's): the first value given.
            var settings = inputs.Settings;
            const string key = "cluster.routing.allocation.awareness.attributes";
            var configured = new[] { "transient", "persistent", "defaults" }.Select(scope => settings.Prop(scope)?.Prop(key) is { } v
                    ? (v.ValueKind == System.Text.Json.JsonValueKind.Array ? string.Join(",", v.EnumerateArray().Select(e => e.GetString())) : v.GetString())
                    : null)
                .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
            batching.ZoneAttribute = configured?.Split(',').Select(a => a.Trim()).FirstOrDefault(a => a.Length > 0)
                ?? throw new EsException(EsErrorKind.InvalidState, ErrorIds.BatchUnsafe,
                    $"-ByZone needs the attribute that names a node's zone: {plan.ClusterName} has no {key} (without allocation awareness nothing keeps a shard's copies in different zones). Give -ZoneAttribute, or set awareness first.", plan.ClusterName);
        }
        var batches = BatchPlanner.Plan(plan.Nodes, inputs.Shards, batching);
        foreach (var batch in batches.Where(b => b.Nodes.Count > 1))
            foreach (var node in batch.Nodes) node.Batch = batch.Number;
        // The run takes the nodes in the batches' order, a batch's nodes side by side (the tier order is kept).
        var ordered = plan.Nodes.Where(n => n.AlreadyUpgraded).Concat(batches.SelectMany(b => b.Nodes)).ToList();
        for (var i = 0; i < ordered.Count; i++) ordered[i].Position = i + 1;
        plan.Nodes = ordered;
        plan.Batches = batches;
        if (plan.EstimatedDuration != null) plan.EstimatedDuration = DurationEstimator.TotalOf(plan);
    }
}
