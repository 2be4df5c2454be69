using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace EsUpgrade.Upgrade;

/// <summary>What the orchestrator needs from its caller: the node action, the per-node confirmation, and where results go.</summary>
public interface IUpgradeHost
{
    /// <summary>
    /// Stops, upgrades and starts the node (the admin's action). Returns when the action is done, not when the
    /// node has joined, with what the action wrote (say, the last lines of the node's log): quoted if the node
    /// then never joins, since a start that the service manager reports as done may still end in a refusal.
    /// <paramref name="together"/>: how many actions of the node's batch are asked for at once (1: the node alone); a host
    /// may run them side by side. <paramref name="ct"/> is cancelled when another action of the batch failed: an
    /// action not begun is then not begun, one under way finishes.
    /// </summary>
    Task<IReadOnlyList<string>> RunNodeActionAsync(PlannedNode node, string targetVersion, int together, CancellationToken ct);
    /// <summary>-Confirm / -WhatIf, asked per node; false skips the node.</summary>
    Task<bool> ConfirmAsync(PlannedNode node, string targetVersion);
    void Emit(NodeUpgradeResult result);
}
