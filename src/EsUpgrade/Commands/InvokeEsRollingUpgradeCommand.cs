using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Diagnostics;
using EsUpgrade.Errors;
using EsUpgrade.Inventory;
using EsUpgrade.Upgrade;

namespace EsUpgrade.Commands
{
    /// <summary>
    /// Upgrades a cluster node by node to an 8.x version: allocation to primaries, flush, optional ML upgrade
    /// mode, the admin's node action, wait for the node at the new version, allocation back, wait for recovery.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "EsRollingUpgrade", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = TargetSet)]
    [OutputType(typeof(NodeUpgradeResult), typeof(UpgradePlan))]
    public sealed class InvokeEsRollingUpgradeCommand : EsClusterCmdlet
    {
        const string TargetSet = "TargetVersion";
        const string PlanSet = "Plan";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TargetSet)]
        [ValidateNotNullOrEmpty]
        public string TargetVersion { get; set; } = "";

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PlanSet)]
        public UpgradePlan? Plan { get; set; }

        /// <summary>Run for each node in this session: param($Node, $TargetVersion). Stop the node, install the new version, start it.</summary>
        [Parameter(Mandatory = true)]
        public ScriptBlock NodeAction { get; set; } = null!;

        /// <summary>The checkpoint file; a second run with the same path resumes at the first unfinished step.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StatePath { get; set; }

        [Parameter]
        public SwitchParameter MlUpgradeMode { get; set; }

        [Parameter]
        [TimeoutTransformation]
        public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromMinutes(15);

        [Parameter]
        [TimeoutTransformation]
        public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromMinutes(60);

        protected override void ProcessRecord()
        {
            RunOrStop(() =>
            {
                var plan = Plan ?? Run(async (log, ct) =>
                {
                    var api = Api(log);
                    var nodes = await InventoryReader.GetNodesAsync(api, null, ct).ConfigureAwait(false);
                    return UpgradePlanner.Plan(api.Connection, nodes, TargetVersion);
                });
                if (Plan != null && Connection != null && !ReferenceEquals(Plan.Connection, Connection))
                    throw new EsException(EsErrorKind.InvalidArgument, "PlanOfAnotherConnection", "The plan was made for another connection than -Connection.", Plan.ClusterName);
                var statePath = StatePath is null ? null : GetUnresolvedProviderPathFromPSPath(StatePath);
                // When resuming, the run follows the first run's plan; today's view may lack a node that is down.
                if (statePath is null || !System.IO.File.Exists(statePath))
                    foreach (var warning in plan.Warnings) WriteWarning(warning);

                if (IsWhatIf())
                {
                    foreach (var node in plan.Nodes) ShouldProcess(Target(node, plan.TargetVersion), Action(plan.TargetVersion));
                    WriteObject(plan);
                    return;
                }

                IUpgradeStateStore store = statePath is null ? new MemoryUpgradeStateStore() : new FileUpgradeStateStore(statePath);
                var options = new RollingUpgradeOptions { UseMlUpgradeMode = MlUpgradeMode, NodeTimeout = NodeTimeout, HealthTimeout = HealthTimeout };
                Run(async (log, ct) =>
                {
                    var api = new Connections.EsApi(plan.Connection, log);
                    await new RollingUpgrade(api, plan, new PipelineHost(this, log), store, options).RunAsync(ct).ConfigureAwait(false);
                    return true;
                });
            }, Plan?.ClusterName ?? TargetVersion);
        }

        bool IsWhatIf() =>
            (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter s && s.IsPresent)
            || (!MyInvocation.BoundParameters.ContainsKey("WhatIf") && SessionState.PSVariable.GetValue("WhatIfPreference") is bool b && b);

        static string Target(PlannedNode node, string version) => $"node {node.Name} ({node.CurrentVersion}, {node.Group}), position {node.Position}";
        static string Action(string version) => $"Rolling upgrade to {version}: restart through -NodeAction";

        /// <summary>The orchestrator's window onto this session: everything here runs on the pipeline thread.</summary>
        sealed class PipelineHost : IUpgradeHost
        {
            readonly InvokeEsRollingUpgradeCommand cmdlet;
            readonly IEsLog log;

            public PipelineHost(InvokeEsRollingUpgradeCommand cmdlet, IEsLog log)
            {
                this.cmdlet = cmdlet;
                this.log = log;
            }

            public Task RunNodeActionAsync(PlannedNode node, string targetVersion, CancellationToken ct) =>
                OnPipelineThread(log, () =>
                {
                    cmdlet.WriteVerbose($"[{node.Name}] running -NodeAction");
                    var underscore = new List<PSVariable> { new PSVariable("_", node) };
                    foreach (var output in cmdlet.NodeAction.InvokeWithContext(null, underscore, node, targetVersion))
                        if (output != null) cmdlet.WriteVerbose($"[{node.Name}] -NodeAction: {output}");
                    return true;
                });

            public Task<bool> ConfirmAsync(PlannedNode node, string targetVersion) =>
                OnPipelineThread(log, () => cmdlet.ShouldProcess(Target(node, targetVersion), Action(targetVersion)));

            public void Emit(NodeUpgradeResult result) => OnPipelineThread(log, () => { cmdlet.WriteObject(result); return true; });
        }
    }
}
