using System.Threading;
using System.Threading.Tasks;

namespace EsUpgrade.Upgrade;

/// <summary>What the orchestrator needs from its caller: the node action, the per-node confirmation, and where results go.</summary>
public interface IUpgradeHost
{
    /// <summary>Stops, upgrades and starts the node (the admin's action). Returns when the action is done, not when the node has joined.</summary>
    Task RunNodeActionAsync(PlannedNode node, string targetVersion, CancellationToken ct);
    /// <summary>-Confirm / -WhatIf, asked per node; false skips the node.</summary>
    Task<bool> ConfirmAsync(PlannedNode node, string targetVersion);
    void Emit(NodeUpgradeResult result);
}
