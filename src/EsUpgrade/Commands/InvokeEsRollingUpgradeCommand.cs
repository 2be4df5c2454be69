using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Errors;
using EsUpgrade.NodeActions;
using EsUpgrade.Upgrade;

namespace EsUpgrade.Commands;

/// <summary>
/// Upgrades a cluster node by node to an 8.x version: allocation to primaries, flush, optional ML upgrade
/// mode, the admin's node action, wait for the node at the new version, allocation back, wait for recovery.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "EsRollingUpgrade", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = TargetSet)]
[OutputType(typeof(NodeUpgradeResult), typeof(UpgradePlan))]
public sealed class InvokeEsRollingUpgradeCommand : BatchingCmdlet
{
    const string TargetSet = "TargetVersion";
    const string PlanSet = "Plan";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = TargetSet)]
    [ValidateNotNullOrEmpty]
    public string TargetVersion { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PlanSet)]
    public UpgradePlan? Plan { get; set; }

    /// <summary>Run for each node in this session: param($Node, $TargetVersion). Stop the node, install the new version, start it; or what New-EsWindowsNodeAction returns.</summary>
    [Parameter(Mandatory = true)]
    [NodeActionTransformation]
    public ScriptBlock NodeAction { get; set; } = null!;

    /// <summary>The checkpoint file, or cluster:NAME for state kept in the cluster; a second run with the same value resumes at the first unfinished step.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    [Parameter]
    public SwitchParameter MlUpgradeMode { get; set; }

    /// <summary>
    /// How many node actions of a batch run at once, each in a runspace of its own (0, the default: the whole batch).
    /// 1 runs them one after the other in this session, where the action sees its functions as a node alone does.
    /// </summary>
    [Parameter]
    [ValidateRange(0, 1000)]
    public int ThrottleLimit { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromMinutes(15);

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromMinutes(60);

    protected override void ProcessRecord()
    {
        StopOnFailure(() =>
        {
            var plan = Plan ?? OffPipeline(call => UpgradePlanner.PlanAsync(call.Api, TargetVersion, call.Cancellation));
            if (Plan != null && Connection != null && !ReferenceEquals(Plan.Connection, Connection))
                throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.PlanOfAnotherConnection, "The plan was made for another connection than -Connection.", Plan.ClusterName);
            if (Plan != null && (ByZone || FallbackToSerial || ZoneAttribute != null || MyInvocation.BoundParameters.ContainsKey(nameof(MaxUnavailable))))
                throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.ConflictingBatchOptions,
                    "A plan brings its own batches: give -ByZone or -MaxUnavailable to New-EsUpgradePlan, or to Invoke-EsRollingUpgrade with -TargetVersion.", Plan.ClusterName);
            var batching = Plan is null ? Batching() : null;
            if (IsWhatIf())
            {
                if (batching != null) OffPipeline(call => UpgradePlanner.BatchAsync(call.Api, plan, batching, call.Cancellation));
                foreach (var warning in plan.Warnings) WriteWarning(warning);
                foreach (var node in plan.Nodes) ShouldProcess(Target(node, plan.TargetVersion), Action(plan.TargetVersion));
                WriteObject(plan);
                return;
            }
            var inCluster = ClusterUpgradeStateStore.NameIn(StatePath);
            var statePath = StatePath is null || inCluster != null ? null : GetUnresolvedProviderPathFromPSPath(StatePath);
            var options = new RollingUpgradeOptions { UseMlUpgradeMode = MlUpgradeMode, NodeTimeout = NodeTimeout, HealthTimeout = HealthTimeout };
            OffPipeline(async call =>
            {
                IUpgradeStateStore store = inCluster != null ? new ClusterUpgradeStateStore(call.Api, inCluster)
                    : statePath != null ? new FileUpgradeStateStore(statePath) : new MemoryUpgradeStateStore();
                // When resuming, the run follows the first run's plan; today's view may lack a node that is down.
                if (await store.LoadAsync(call.Cancellation).ConfigureAwait(false) is null)
                {
                    // Batches are planned for a new run only: a resumed run follows the first run's.
                    if (batching != null) await UpgradePlanner.BatchAsync(call.Api, plan, batching, call.Cancellation).ConfigureAwait(false);
                    foreach (var warning in plan.Warnings) call.Log.Warning(warning);
                    if (store.ResumeArgument != null && await store.LoadBaselineAsync(call.Cancellation).ConfigureAwait(false) is null)
                    {
                        // What the cluster held before: Test-EsUpgradeResult -Baseline checks against it afterwards.
                        var baseline = await Verification.ClusterBaselines.TakeAsync(call.Api, call.Cancellation).ConfigureAwait(false);
                        call.Log.Verbose($"Baseline written to {await store.SaveBaselineAsync(baseline, call.Cancellation).ConfigureAwait(false)}");
                    }
                }
                await new RollingUpgrade(call.Api, plan, new PipelineHost(this, call), store, options).RunAsync(call.Cancellation).ConfigureAwait(false);
            });
        }, Plan?.ClusterName ?? TargetVersion);
    }

    /// <summary>A plan's own connection; otherwise -Connection or the current one.</summary>
    protected override Connections.EsConnection? CallConnection => Plan?.Connection ?? TargetConnection;

    bool IsWhatIf() =>
        (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter s && s.IsPresent)
        || (!MyInvocation.BoundParameters.ContainsKey("WhatIf") && SessionState.PSVariable.GetValue("WhatIfPreference") is bool b && b);

    static string Target(PlannedNode node, string version) => $"node {node.Name} ({node.CurrentVersion}, {node.Group}), position {node.Position}";
    static string Action(string version) => $"Rolling upgrade to {version}: restart through -NodeAction";

    /// <summary>The orchestrator's window onto this session: everything here runs on the pipeline thread.</summary>
    sealed class PipelineHost : IUpgradeHost
    {
        readonly InvokeEsRollingUpgradeCommand cmdlet;
        readonly CoreCall call;

        /// <summary>-ThrottleLimit: how many of a batch's actions run at once (null: all of them).</summary>
        readonly SemaphoreSlim? slots;

        public PipelineHost(InvokeEsRollingUpgradeCommand cmdlet, CoreCall call)
        {
            this.cmdlet = cmdlet;
            this.call = call;
            slots = cmdlet.ThrottleLimit > 1 ? new SemaphoreSlim(cmdlet.ThrottleLimit) : null;
        }

        public async Task<IReadOnlyList<string>> RunNodeActionAsync(PlannedNode node, string targetVersion, int together, CancellationToken ct)
        {
            if (together <= 1 || cmdlet.ThrottleLimit == 1) return await InThisSession(node, targetVersion, ct).ConfigureAwait(false);
            // A node of a batch: in a runspace of its own, beside the others (up to -ThrottleLimit at once).
            if (slots != null) await slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var runspace = await call.OnPipelineThread(() =>
                {
                    cmdlet.WriteVerbose($"[{node.Name}] running -NodeAction in a runspace of its own, beside the other {together - 1} of its batch");
                    var imported = cmdlet.InvokeCommand.InvokeScript("Get-Module").Select(m => m.BaseObject).OfType<PSModuleInfo>();
                    return NodeActionRunspace.Capture(cmdlet.NodeAction, cmdlet.SessionState, imported);
                }).ConfigureAwait(false);
                // An action of a batch whose other node failed is not begun: the failure is known here before its slot is
                // free, while the run learns it only when the exception reaches it.
                if (Volatile.Read(ref failed)) throw new OperationCanceledException(ct);
                ct.ThrowIfCancellationRequested();
                return await Task.Run(() => runspace.Run(node, targetVersion, record => Write(node, record), call.Cancellation)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Volatile.Write(ref failed, true);
                throw;
            }
            finally { slots?.Release(); }
        }

        /// <summary>An action in its own runspace failed: no other begins in this run.</summary>
        bool failed;

        /// <summary>What an action in its own runspace wrote, written here as it comes, under the node's name.</summary>
        void Write(PlannedNode node, object record) =>
            call.OnPipelineThread(() =>
            {
                switch (record)
                {
                    case VerboseRecord v: cmdlet.WriteVerbose($"[{node.Name}] -NodeAction: {v.Message}"); break;
                    case WarningRecord w: cmdlet.WriteWarning($"[{node.Name}] -NodeAction: {w.Message}"); break;
                    case InformationRecord i: cmdlet.WriteInformation(i); break;
                    case ErrorRecord e: cmdlet.WriteError(e); break;
                    default: cmdlet.WriteVerbose($"[{node.Name}] -NodeAction: {record}"); break;
                }
                return true;
            });

        Task<IReadOnlyList<string>> InThisSession(PlannedNode node, string targetVersion, CancellationToken ct) =>
            call.OnPipelineThread(() =>
            {
                // An action of a batch whose other node failed is not begun (actions run one after the other here).
                ct.ThrowIfCancellationRequested();
                cmdlet.WriteVerbose($"[{node.Name}] running -NodeAction");
                // A nested pipeline in this runspace: the action runs in the caller's scope, and what it writes to
                // each stream comes back here (InvokeWithContext would send its errors to the host, out of reach
                // of -ErrorVariable, 2>&1 and a runbook's error stream).
                using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
                ps.AddScript("param($__action, $__node, $__version) $_ = $__node; & $__action $__node $__version", useLocalScope: true)
                    .AddArgument(cmdlet.NodeAction).AddArgument(node).AddArgument(targetVersion);
                var said = new List<string>();
                try
                {
                    foreach (var output in ps.Invoke())
                    {
                        if (output is null) continue;
                        said.Add(output.ToString());
                        cmdlet.WriteVerbose($"[{node.Name}] -NodeAction: {output}");
                    }
                }
                finally
                {
                    foreach (var record in ps.Streams.Verbose) cmdlet.WriteVerbose($"[{node.Name}] -NodeAction: {record.Message}");
                    foreach (var record in ps.Streams.Warning) cmdlet.WriteWarning($"[{node.Name}] -NodeAction: {record.Message}");
                    foreach (var record in ps.Streams.Information) cmdlet.WriteInformation(record);
                    foreach (var record in ps.Streams.Error) cmdlet.WriteError(record);
                }
                return (IReadOnlyList<string>)said;
            });

        public Task<bool> ConfirmAsync(PlannedNode node, string targetVersion) =>
            call.OnPipelineThread(() =>
            {
                try
                {
                    return cmdlet.ShouldProcess(Target(node, targetVersion), Action(targetVersion));
                }
                catch (PSInvalidOperationException ex)
                {
                    // The host cannot ask (pwsh -NonInteractive, a scheduled task, a runbook).
                    throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.ConfirmationUnavailable,
                        $"Invoke-EsRollingUpgrade asks before each node, and this session cannot ask ({ex.Message}) Pass -Confirm:$false to run unattended; -WhatIf shows the plan first.", node.Name, ex);
                }
            });

        public void Emit(NodeUpgradeResult result) => call.OnPipelineThread(() => { cmdlet.WriteObject(result); return true; });
    }
}
