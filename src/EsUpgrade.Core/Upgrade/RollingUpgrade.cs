using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Allocation;
using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;
using EsUpgrade.Errors;
using EsUpgrade.Health;
using EsUpgrade.Indices;
using EsUpgrade.Inventory;
using EsUpgrade.Json;
using EsUpgrade.MachineLearning;
using EsUpgrade.Wire;

namespace EsUpgrade.Upgrade;

/// <summary>
/// Runs a rolling upgrade node by node: allocation to primaries, flush, optional ML upgrade mode, the node
/// action, wait for the node at the target version, allocation back, wait for recovery. Checks ECK's safety
/// predicates before each node, checkpoints after every step, and on any failure puts allocation and ML
/// upgrade mode back before it stops with an error that says which node, which step, and how to resume.
/// </summary>
public sealed class RollingUpgrade
{
    public const int ProgressActivityId = 4200;
    public const int NodeProgressActivityId = 4201;
    readonly EsApi api;
    readonly UpgradePlan plan;
    readonly IUpgradeHost host;
    readonly IUpgradeStateStore store;
    readonly RollingUpgradeOptions options;
    UpgradeState state = null!;
    /// <summary>Nodes whose action this run started: for the others, NodeActionStarted in the state means an earlier run may have restarted them.</summary>
    readonly HashSet<string> actionStartedThisRun = new HashSet<string>(StringComparer.Ordinal);
    /// <summary>How many node actions the current step asks for at once (its batch's nodes still to act; 1 alone).</summary>
    int actionsTogether = 1;
    /// <summary>The run's own cancellation (Ctrl+C), apart from a batch's "another action failed" that a node action is given.</summary>
    CancellationToken runCancellation;
    /// <summary>What each node's action wrote in this run, quoted when the node does not join (a batch's actions write it at once).</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<string>> actionOutput = new System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
    /// <summary>The cluster answered that it has no machine learning: -MlUpgradeMode is skipped from then on.</summary>
    bool mlUnavailable;

    public RollingUpgrade(EsApi api, UpgradePlan plan, IUpgradeHost host, IUpgradeStateStore store, RollingUpgradeOptions? options = null)
    {
        this.api = api;
        this.plan = plan;
        this.host = host;
        this.store = store;
        this.options = options ?? new RollingUpgradeOptions();
    }

    IEsLog Log => api.Log;
    string Target => plan.TargetVersion;

    public async Task RunAsync(CancellationToken ct)
    {
        runCancellation = ct;
        using var held = await store.HoldAsync(ct).ConfigureAwait(false);
        state = await LoadOrStartAsync(ct).ConfigureAwait(false);
        if (state.CompletedAt is null) await PreflightAsync(ct).ConfigureAwait(false);
        await ClaimAsync(ct).ConfigureAwait(false);
        try
        {
            await RunClaimedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The cluster remembers which run is upgrading it in a user metadata setting (cluster.metadata.*, kept by
    /// Elasticsearch for exactly such notes): another EsUpgrade run — from any machine — finding a live marker of a
    /// different run stops before it touches anything. A marker not refreshed for <see cref="MarkerStaleAfter"/> is a
    /// dead run's; the run a marker names may always take it over (a resume).
    /// </summary>
    public const string RunMarker = "cluster.metadata.esupgrade_run";
    public static readonly TimeSpan MarkerStaleAfter = TimeSpan.FromMinutes(15);

    async Task ClaimAsync(CancellationToken ct)
    {
        var settings = await api.GetJsonAsync(EsRequest.Get("/_cluster/settings?flat_settings=true"), ct).ConfigureAwait(false);
        if (settings.Prop("persistent")?.Str(RunMarker) is string marker && marker.Split('|') is { Length: >= 5 } parts && parts[0] != state.RunId
            && DateTimeOffset.TryParse(parts[4], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var seen) && api.Clock.UtcNow - seen < MarkerStaleAfter)
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.RunInProgress,
                $"Another EsUpgrade run is upgrading {plan.ClusterName}: on {parts[1]} (process {parts[2]}, {parts[3]}), last seen {seen.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}. " +
                $"One run at a time. If that run is dead, wait {MarkerStaleAfter.TotalMinutes:0} minutes from then, or clear its marker: PUT _cluster/settings {{\"persistent\":{{\"{RunMarker}\":null}}}}.", plan.ClusterName);
        await HeartbeatAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Writes (or refreshes) this run's marker: who, where, and when last seen.</summary>
    async Task HeartbeatAsync(CancellationToken ct)
    {
        var value = string.Join("|", state.RunId, Environment.MachineName, System.Diagnostics.Process.GetCurrentProcess().Id.ToString(CultureInfo.InvariantCulture),
            store.ResumeArgument ?? "no state file", api.Clock.UtcNow.ToString("o", CultureInfo.InvariantCulture));
        var body = JsonSerializer.Serialize(new Dictionary<string, object> { ["persistent"] = new Dictionary<string, object> { [RunMarker] = value } });
        await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", body), ct).ConfigureAwait(false);
    }

    async Task ReleaseAsync()
    {
        try
        {
            await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", $"{{\"persistent\":{{\"{RunMarker}\":null}}}}"), CancellationToken.None).ConfigureAwait(false);
        }
        catch (EsException ex)
        {
            Log.Warning($"[{api.Connection.Name}] the run's marker could not be cleared ({ex.Message}): it goes stale in {MarkerStaleAfter.TotalMinutes:0} minutes, or PUT _cluster/settings {{\"persistent\":{{\"{RunMarker}\":null}}}}.");
        }
    }

    async Task RunClaimedAsync(CancellationToken ct)
    {
        await CaptureOriginalsAsync(ct).ConfigureAwait(false);
        var total = state.Nodes.Count;
        try
        {
            foreach (var unit in Units())
            {
                await RunUnitAsync(unit, total, ct).ConfigureAwait(false);
            }
            current = null;
            try
            {
                await FinishAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not EsException { ErrorId: ErrorIds.RollingUpgradeFailed })
            {
                var restored = await RestoreAsync().ConfigureAwait(false);
                var why = ex is OperationCanceledException ? "the run was stopped" : ex.Message;
                throw new EsException(ex is EsException e ? e.Kind : EsErrorKind.InvalidState, ErrorIds.RollingUpgradeFailed,
                    $"Every node was upgraded, but finishing the run failed: {why} {restored} Run Invoke-EsRollingUpgrade again{(store.ResumeArgument is string a ? " with " + a : "")} to finish.", plan.ClusterName, ex);
            }
        }
        catch (Exception ex) when (current != null)
        {
            throw await FailAsync(ex, current, step).ConfigureAwait(false);
        }
        finally
        {
            Log.Progress(new EsProgress(NodeProgressActivityId, "node", "Done", 100, ProgressActivityId, completed: true));
            Log.Progress(new EsProgress(ProgressActivityId, $"Rolling upgrade of {plan.ClusterName} to {Target}", "Done", 100, completed: true));
        }
    }

    /// <summary>What a failure at <paramref name="step"/> undoes in a node's record, so that the next run acts again where it must.</summary>
    static void Forget(UpgradeState.NodeState nodeState, UpgradeStep step, Exception ex)
    {
        if (step == UpgradeStep.NodeAction && ex is EsException { ErrorId: ErrorIds.NodeActionFailed })
        {
            // The action ended (in failure): the next run runs it again, with no doubt about whether it happened.
            nodeState.Completed.Remove(UpgradeStep.NodeActionStarted);
        }
        if (step == UpgradeStep.WaitForNode && ex is EsException { ErrorId: ErrorIds.NodeRejoinTimeout or ErrorIds.NodeVersionMismatch })
        {
            // The node never joined (it refused to start, or was never started), or joined at another version: the
            // next run sets allocation again and runs the action again, unless the node is at the target by then.
            nodeState.Completed.Remove(UpgradeStep.NodeAction);
            nodeState.Completed.Remove(UpgradeStep.NodeActionStarted);
        }
    }

    /// <summary>The node the run is at and its step, for the failure handling; null between nodes.</summary>
    PlannedNode? current;
    UpgradeStep? step;

    /// <summary>The state's nodes in order, those of one batch together (a batch's nodes are consecutive in the plan).</summary>
    List<List<UpgradeState.NodeState>> Units()
    {
        var units = new List<List<UpgradeState.NodeState>>();
        foreach (var n in state.Nodes)
        {
            if (n.Batch > 0 && units.Count > 0 && units[units.Count - 1][0].Batch == n.Batch) units[units.Count - 1].Add(n);
            else units.Add(new List<UpgradeState.NodeState> { n });
        }
        return units;
    }

    /// <summary>
    /// One node, or nodes restarted together (a zone, or up to -MaxUnavailable data nodes) step by step in lockstep: each
    /// node passes the safety check, and a batch as a whole must leave every shard a started copy outside it; allocation,
    /// flush and ML upgrade mode once; the node actions together (after a failure, those not begun are not begun); the
    /// waits for each node together; allocation back and one wait for the recovery. Each step is checkpointed for every
    /// node, so a resumed run picks the unit up where it stopped and restarts no node twice.
    /// </summary>
    async Task RunUnitAsync(List<UpgradeState.NodeState> batch, int total, CancellationToken ct)
    {
        var live = new List<(UpgradeState.NodeState State, PlannedNode Planned)>();
        foreach (var n in batch)
        {
            var planned = Planned(n);
            current = planned;
            if (n.Done) host.Emit(Result(planned, n, NodeUpgradeStatus.AlreadyUpgraded));
            else if (!await host.ConfirmAsync(planned, Target).ConfigureAwait(false)) host.Emit(Result(planned, n, NodeUpgradeStatus.Skipped));
            else live.Add((n, planned));
        }
        current = null;
        if (live.Count == 0) return;
        current = live[0].Planned;
        // The nodes restarted together; null for one node alone.
        var together = live.Count > 1 ? new HashSet<string>(live.Select(l => l.Planned.Name), StringComparer.Ordinal) : null;
        var label = together is null ? live[0].Planned.Name : $"batch {batch[0].Batch} ({string.Join(", ", together)})";
        var done = state.Nodes.Count(n => n.Done);
        Log.Progress(new EsProgress(ProgressActivityId, $"Rolling upgrade of {plan.ClusterName} to {Target}",
            $"{done} of {total} nodes upgraded; next {label}", done * 100 / total));
        await HeartbeatAsync(ct).ConfigureAwait(false);
        foreach (var l in live) l.State.StartedAt ??= api.Clock.UtcNow;
        foreach (UpgradeStep s in Enum.GetValues(typeof(UpgradeStep)))
        {
            step = s;
            var pending = live.Where(l => !l.State.Completed.Contains(s)).ToList();
            if (pending.Count == 0) continue;
            ct.ThrowIfCancellationRequested();
            current = pending[0].Planned;
            Log.Progress(new EsProgress(NodeProgressActivityId, together is null ? $"{label} ({live[0].Planned.Position}/{total})" : label, Describe(s),
                (int)s * 100 / Enum.GetValues(typeof(UpgradeStep)).Length, ProgressActivityId));
            Log.Verbose($"[{label}] {Describe(s)}");
            switch (s)
            {
                case UpgradeStep.SafetyCheck:
                    // Every node's check and the batch's as a whole, from one read of the cluster: it waits, as one node's does.
                    await SafetyCheckAsync(pending.Select(l => l.Planned).ToList(), ct, together).ConfigureAwait(false);
                    break;
                case UpgradeStep.NodeActionStarted:
                    foreach (var l in pending) actionStartedThisRun.Add(l.Planned.Name);
                    break;
                case UpgradeStep.NodeAction:
                case UpgradeStep.WaitForNode:
                {
                    // Together (one node: alone). After a failure, actions not begun yet are not begun (the host checks the token before
                    // it starts one); those under way finish, since a node half-installed is worse than one upgraded.
                    using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    actionsTogether = pending.Count;
                    Exception? first = null;
                    var runs = pending.Select(async l =>
                    {
                        try
                        {
                            await RunStepAsync(l.Planned, l.State, s, s == UpgradeStep.NodeAction ? stopping.Token : ct).ConfigureAwait(false);
                            return (l, (Exception?)null);
                        }
                        catch (Exception ex)
                        {
                            Interlocked.CompareExchange(ref first, ex, null);
                            stopping.Cancel();
                            return (l, (Exception?)ex);
                        }
                    }).ToList();
                    var outcomes = await Task.WhenAll(runs).ConfigureAwait(false);
                    if (first is null) break;
                    foreach (var (l, ex) in outcomes)
                    {
                        if (ex is null)
                        {
                            l.State.Completed.Add(s);
                            l.State.StepEndedAt[s] = api.Clock.UtcNow;
                        }
                        else if (!ReferenceEquals(ex, first))
                        {
                            // The batch's other failures: recorded as the first one is (below), each with its result.
                            if (ex is OperationCanceledException && s == UpgradeStep.NodeAction && !ct.IsCancellationRequested)
                                l.State.Completed.Remove(UpgradeStep.NodeActionStarted);     // never begun
                            else Forget(l.State, s, ex);
                            var failed = Result(l.Planned, l.State, NodeUpgradeStatus.Failed);
                            failed.Error = ex is OperationCanceledException ? "not begun: another node of its batch failed" : ex.Message;
                            host.Emit(failed);
                        }
                    }
                    current = outcomes.First(o => ReferenceEquals(o.Item2, first)).l.Planned;
                    throw first;
                }
                case UpgradeStep.WaitForHealth:
                    current = live[live.Count - 1].Planned;
                    await WaitForRecoveryAsync(live[live.Count - 1].Planned, live[live.Count - 1].State, ct, together).ConfigureAwait(false);
                    break;
                default:
                    // Cluster-wide (allocation, flush, ML upgrade mode): once for the unit.
                    await RunStepAsync(pending[0].Planned, pending[0].State, s, ct).ConfigureAwait(false);
                    break;
            }
            foreach (var l in pending)
            {
                l.State.Completed.Add(s);
                l.State.StepEndedAt[s] = api.Clock.UtcNow;
            }
            await CheckpointAsync().ConfigureAwait(false);
        }
        step = null;
        foreach (var l in live)
        {
            l.State.Done = true;
            l.State.EndedAt = api.Clock.UtcNow;
        }
        await CheckpointAsync().ConfigureAwait(false);
        Log.Progress(new EsProgress(NodeProgressActivityId, label, "Done", 100, ProgressActivityId, completed: true));
        foreach (var l in live) host.Emit(Result(l.Planned, l.State, NodeUpgradeStatus.Upgraded));
        current = null;
    }

    /// <summary>
    /// After a failure (or Ctrl+C) at <paramref name="step"/> of <paramref name="node"/>: records where a resumed run
    /// starts, puts allocation and ML upgrade mode back, emits the node's Failed result, and returns the error to
    /// throw, which names the node, the step, what was restored and how to resume.
    /// </summary>
    async Task<EsException> FailAsync(Exception ex, PlannedNode node, UpgradeStep? step)
    {
        var nodeState = state.Nodes.First(n => n.Name == node.Name);
        var at = step is UpgradeStep failedStep ? $"step {failedStep} ({Describe(failedStep)})" : "its confirmation";
        if (ex is EsException { ErrorId: ErrorIds.StateFileInUse } lost)
        {
            // Another run holds the state now (it took over a lock this run could not beat): that run owns the cluster's
            // allocation and the state, so this one touches neither and stops.
            var stopped = Result(node, nodeState, NodeUpgradeStatus.Failed);
            stopped.Error = lost.Message;
            host.Emit(stopped);
            return new EsException(EsErrorKind.InvalidState, ErrorIds.RollingUpgradeFailed,
                $"The rolling upgrade stopped at node {node.Name}, {at}: {lost.Message} Allocation and the state were left to that run.", node.Name, ex);
        }
        if (step is UpgradeStep failing) Forget(nodeState, failing, ex);
        if (!nodeState.Completed.Contains(UpgradeStep.NodeActionStarted))
        {
            // Allocation and ML upgrade mode are put back below: before its restart, the node needs them set again.
            nodeState.Completed.RemoveAll(c => c < UpgradeStep.NodeActionStarted);
        }
        var resumeAt = Enum.GetValues(typeof(UpgradeStep)).Cast<UpgradeStep>().First(x => !nodeState.Completed.Contains(x));
        var restored = await RestoreAsync().ConfigureAwait(false);
        var why = ex is OperationCanceledException ? "the run was stopped" : ex.Message;
        state.LastError = $"{node.Name}, {at}: {why}";
        try { await CheckpointAsync().ConfigureAwait(false); }
        catch (Exception saveError) { Log.Warning($"The state file could not be updated: {saveError.Message}"); }
        var failed = Result(node, nodeState, NodeUpgradeStatus.Failed);
        failed.Error = why;
        host.Emit(failed);
        var resume = store.ResumeArgument is string argument
            ? $"Fix the cause, then run Invoke-EsRollingUpgrade again with {argument}: it resumes at {node.Name}, {resumeAt}."
            : "Fix the cause, then run Invoke-EsRollingUpgrade again; give -StatePath so a run can resume where it stopped.";
        return new EsException(ex is EsException e ? e.Kind : EsErrorKind.InvalidState, ErrorIds.RollingUpgradeFailed,
            $"The rolling upgrade stopped at node {node.Name}, {at}: {why} {restored} {resume}", node.Name, ex);
    }

    async Task<UpgradeState> LoadOrStartAsync(CancellationToken ct)
    {
        var loaded = await store.LoadAsync(ct).ConfigureAwait(false);
        if (loaded != null)
        {
            if (loaded.ClusterUuid != plan.ClusterUuid || loaded.TargetVersion != Target)
                throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.StateMismatch,
                    $"The state file is for cluster {loaded.ClusterName} ({loaded.ClusterUuid}) to {loaded.TargetVersion}, not {plan.ClusterName} ({plan.ClusterUuid}) to {Target}. Use another -StatePath.", loaded.ClusterUuid);
            if (loaded.CompletedAt != null)
                Log.Warning($"The state file says this upgrade already completed at {loaded.CompletedAt}: nothing is restarted.");
            else
                Log.Verbose($"Resuming the upgrade of {loaded.ClusterName} to {Target}: {loaded.Nodes.Count(n => n.Done)} nodes done.");
            return loaded;
        }
        var fresh = new UpgradeState
        {
            ClusterUuid = plan.ClusterUuid,
            ClusterName = plan.ClusterName,
            TargetVersion = Target,
            StartedAt = api.Clock.UtcNow,
            Nodes = plan.Nodes.Select(UpgradeState.NodeState.Of).ToList(),
        };
        await store.SaveAsync(fresh, ct).ConfigureAwait(false);
        return fresh;
    }

    /// <summary>The node as seen now, at the position the first run planned; as the state remembers it when it is not in the cluster.</summary>
    PlannedNode Planned(UpgradeState.NodeState s) => plan.Nodes.FirstOrDefault(p => p.Name == s.Name)?.At(s.Position) ?? s.AsPlanned();

    /// <summary>
    /// Before any node restarts: an index created before the target's oldest readable version stops every
    /// upgraded node from starting, and a node that cannot start cannot be rolled back.
    /// </summary>
    async Task PreflightAsync(CancellationToken ct)
    {
        var indices = await IndexReader.GetIndicesAsync(api, null, includeHidden: true, ct).ConfigureAwait(false);
        if (UpgradeSafety.IncompatibleIndices(indices, Target) is string problem)
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.IncompatibleIndices, problem + " Reindex them on 7.17 (or delete them) first; no node was restarted.",
                indices.First(i => UpgradeSafety.IsIncompatible(i, Target)).Name);
    }

    async Task CaptureOriginalsAsync(CancellationToken ct)
    {
        if (state.AllocationCaptured) return;
        var allocation = await ShardAllocation.GetAsync(api, ct).ConfigureAwait(false);
        state.OriginalAllocationPersistent = allocation.Persistent;
        state.OriginalAllocationTransient = allocation.Transient;
        state.AllocationCaptured = true;
        if (allocation.Effective != "all")
            Log.Warning($"Shard allocation is '{allocation.Effective}' before the upgrade. Between nodes it is set back to all so replicas can recover; at the end it is put back to '{allocation.Effective}'.");
        await CheckpointAsync().ConfigureAwait(false);
    }

    /// <summary>Saves the state whatever stops the run: a stop request (Ctrl+C) must not lose what was done.</summary>
    Task CheckpointAsync() => store.SaveAsync(state, CancellationToken.None);

    /// <summary>Keeps each change of health the run saw (saved with the next checkpoint): the report draws it under the timeline.</summary>
    EsClusterHealth Sample(EsClusterHealth health)
    {
        var status = health.Status.ToString().ToLowerInvariant();
        if (state.Health.Count == 0 || state.Health[state.Health.Count - 1].Status != status)
            state.Health.Add(new UpgradeState.HealthSample { At = api.Clock.UtcNow, Status = status });
        return health;
    }

    AllocationSetting Original => new AllocationSetting(state.OriginalAllocationPersistent, state.OriginalAllocationTransient);

    async Task RunStepAsync(PlannedNode node, UpgradeState.NodeState nodeState, UpgradeStep step, CancellationToken ct)
    {
        switch (step)
        {
            case UpgradeStep.DisableAllocation:
                await ShardAllocation.DisableAsync(api, AllocationMode.Primaries, persistent: true, ct).ConfigureAwait(false);
                break;
            case UpgradeStep.Flush:
                var flush = await Flusher.FlushAsync(api, null, synced: false, ct).ConfigureAwait(false);
                if (flush.Failed > 0) Log.Warning($"[{node.Name}] flush: {flush.Failed} of {flush.Total} shard copies failed to flush; their recovery may take longer.");
                break;
            case UpgradeStep.MlUpgradeMode:
                await EnterMlUpgradeModeAsync(ct).ConfigureAwait(false);
                break;
            case UpgradeStep.NodeActionStarted:
                // Written before the action runs: a resumed run then knows the action may have happened.
                actionStartedThisRun.Add(node.Name);
                break;
            case UpgradeStep.NodeAction:
                await NodeActionAsync(node, nodeState, ct).ConfigureAwait(false);
                break;
            case UpgradeStep.WaitForNode:
                try
                {
                    await NodeWaiter.WaitAsync(api, node.Name, Target, options.NodeTimeout, ct, staleVersion: nodeState.FromVersion, staleGrace: options.StaleNodeGrace).ConfigureAwait(false);
                }
                catch (EsException ex) when (ex.ErrorId == ErrorIds.NodeRejoinTimeout && actionOutput.TryGetValue(node.Name, out var said) && said.Count > 0)
                {
                    throw new EsException(ex.Kind, ex.ErrorId, ex.Message + " The node action said: " + string.Join(" | ", said.Skip(Math.Max(0, said.Count - 5))), node.Name, ex);
                }
                break;
            case UpgradeStep.EnableAllocation:
                if (Original.Effective == "all") await ShardAllocation.RestoreAsync(api, Original, ct).ConfigureAwait(false);
                else await ShardAllocation.RestoreAsync(api, new AllocationSetting(null, null), ct).ConfigureAwait(false);
                break;
            case UpgradeStep.WaitForHealth:
                await WaitForRecoveryAsync(node, nodeState, ct).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>With -MlUpgradeMode, turns it on once; a cluster without ML gets a warning, not a failed run.</summary>
    async Task EnterMlUpgradeModeAsync(CancellationToken ct)
    {
        if (!options.UseMlUpgradeMode || state.MlUpgradeModeSetByRun || mlUnavailable) return;
        try
        {
            await MlUpgradeMode.SetAsync(api, true, ct).ConfigureAwait(false);
            state.MlUpgradeModeSetByRun = true;
        }
        catch (EsException ex) when (ex.ErrorId == ErrorIds.MlUnavailable)
        {
            mlUnavailable = true;
            Log.Warning(ex.Message + " -MlUpgradeMode is ignored.");
        }
    }

    /// <summary>
    /// Runs the admin's action once. When a crash came between starting the action and recording it, the
    /// node tells what happened: at the target version it was restarted already; still booting, it is
    /// given the node timeout to join; otherwise the action runs (again).
    /// </summary>
    async Task NodeActionAsync(PlannedNode node, UpgradeState.NodeState nodeState, CancellationToken ct)
    {
        // A node already at the target is never restarted again: the action ran before an interruption, or
        // the admin started the node by hand after a failed run.
        var versions = await NodeWaiter.VersionsAsync(api, ct).ConfigureAwait(false);
        var present = versions.TryGetValue(node.Name, out var v) ? v : null;
        if (present == Target)
        {
            Log.Verbose($"[{node.Name}] already at {Target}: not running the action again");
            return;
        }
        // NodeActionStarted recorded by an earlier run: that run may have restarted the node already.
        if (!actionStartedThisRun.Contains(node.Name))
        {
            if (present is null)
            {
                // Maybe still starting after the interrupted run restarted it: a grace period before acting again.
                var grace = options.NodeTimeout < options.ResumeGrace ? options.NodeTimeout : options.ResumeGrace;
                Log.Verbose($"[{node.Name}] not in the cluster after an interruption: giving it {grace} to join before running the action again");
                try
                {
                    await NodeWaiter.WaitAsync(api, node.Name, Target, grace, ct).ConfigureAwait(false);
                    return;
                }
                catch (EsException ex) when (ex.ErrorId == ErrorIds.NodeRejoinTimeout) { }
            }
        }
        if (!actionStartedThisRun.Contains(node.Name))
        {
            // Acting again after an interruption: the failed run put allocation (and ML upgrade mode) back.
            await ShardAllocation.DisableAsync(api, AllocationMode.Primaries, persistent: true, ct).ConfigureAwait(false);
            await EnterMlUpgradeModeAsync(ct).ConfigureAwait(false);
        }
        try
        {
            actionOutput[node.Name] = await host.RunNodeActionAsync(node, Target, actionsTogether, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { throw; }
        catch (EsException ex) when (ex.ErrorId == ErrorIds.NodeActionFailed) { throw; }
        catch (Exception) when (runCancellation.IsCancellationRequested)
        {
            // Ctrl+C stopped the action's pipeline: the action may have restarted the node; the next run looks first.
            // (Another action of the batch failing does not stop this one: what it throws is its own failure.)
            throw new OperationCanceledException(ct);
        }
        catch (Exception ex)
        {
            // What the action threw, the module's own errors included (New-EsWindowsNodeAction refusing a node, say).
            throw new EsException(ex is EsException e ? e.Kind : EsErrorKind.InvalidState, ErrorIds.NodeActionFailed, $"the node action failed: {ex.Message}", node.Name, ex);
        }
    }

    /// <summary>
    /// ECK's predicates that apply outside Kubernetes: every planned node present (so none is down already,
    /// and never two master-eligible nodes down); health not red; no primary on this node whose replicas are
    /// not all started; the elected master only after every other node is upgraded. Waits up to
    /// <see cref="RollingUpgradeOptions.SafetyTimeout"/> for the cluster to become safe.
    /// </summary>
    async Task SafetyCheckAsync(IReadOnlyList<PlannedNode> unit, CancellationToken ct, ISet<string>? batch)
    {
        var deadline = api.Clock.UtcNow + options.SafetyTimeout;
        var poll = api.Polling();
        var names = string.Join(", ", unit.Select(n => n.Name));
        while (true)
        {
            string? problem;
            try
            {
                problem = await SafetyProblemAsync(poll, unit, ct, batch).ConfigureAwait(false);
            }
            catch (EsException ex) when (ex.IsTransient)
            {
                // A busy or restarting cluster answers 429/503 now and then: ask again, within the safety timeout.
                problem = $"the cluster did not answer ({ex.Message})";
            }
            if (problem is null) return;
            if (api.Clock.UtcNow >= deadline)
                throw new EsException(EsErrorKind.InvalidState, ErrorIds.UnsafeToRestart, $"it is not safe to restart {names}: {problem}", unit[0].Name);
            Log.Verbose($"[{names}] not safe yet: {problem}; waiting for the cluster to change");
            var slice = TimeSpan.FromSeconds(5);
            EsClusterHealth? polled = null;
            try
            {
                polled = Sample(await HealthReader.LongPollAsync(poll, new HealthCondition { Status = HealthStatus.Green, NoRelocatingShards = true }, HealthLevel.Cluster, slice, ct).ConfigureAwait(false));
            }
            catch (EsException ex) when (ex.IsTransient) { }
            // Green already: the problem is elsewhere (a node away, fetching): pause instead of asking again at once.
            if (polled is null || !polled.TimedOut) await api.Clock.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The first of <see cref="UpgradeSafety"/>'s objections to restarting the unit's nodes now (one node, or a batch's
    /// nodes still to restart), from one read of what it needs: the nodes, the health, the shards unless green allows
    /// without them.
    /// </summary>
    async Task<string?> SafetyProblemAsync(EsApi api, IReadOnlyList<PlannedNode> unit, CancellationToken ct, ISet<string>? batch)
    {
        var nodes = await InventoryReader.GetNodesAsync(api, null, ct).ConfigureAwait(false);
        // The nodes of the node's own batch may be down already (a batch resumed after one of its actions failed).
        var missing = UpgradeSafety.MissingNodes(unit[0].Name, state.Nodes.Select(n => n.Name).Where(n => batch?.Contains(n) != true), nodes);
        if (missing != null) return missing;
        // Down already (say, it refused to start last time): restarting it takes nothing more away.
        var up = unit.Where(u => nodes.Any(n => n.Name == u.Name)).ToList();
        if (up.Count == 0) return null;
        var health = Sample(await HealthReader.GetAsync(api, null, HealthLevel.Cluster, ct).ConfigureAwait(false));
        var unhealthy = UpgradeSafety.HealthProblem(health);
        if (unhealthy != null) return unhealthy;
        if (health.NumberOfInFlightFetch > 0)
            return $"{health.NumberOfInFlightFetch} shard copies still fetching their data before allocation";
        // Green with nothing moving: every copy is started, so no primary on the node lacks a started replica. The shard
        // list (100,000 rows on a large cluster) is read only when it is not, or for a batch, which may hold every copy of a shard.
        if (batch is not null || health.Status != HealthStatus.Green)
        {
            var shards = await IndexReader.GetShardsAsync(api, null, ct).ConfigureAwait(false);
            if (batch != null)
            {
                // The batch as a whole: every shard on its nodes still to restart keeps a started copy outside them.
                var toRestart = new HashSet<string>(state.Nodes.Where(n => batch.Contains(n.Name) && !n.Completed.Contains(UpgradeStep.NodeAction)).Select(n => n.Name), StringComparer.Ordinal);
                if (BatchPlanner.Exposed(toRestart, shards) is string exposed)
                    return $"{string.Join(", ", toRestart)} cannot restart together yet: {exposed}";
            }
            foreach (var node in up)
                foreach (var (index, shard) in UpgradeSafety.ExposedShards(node.Name, shards))
                {
                    var (verdict, reason) = UpgradeSafety.Judge(await AllocationExplanation.ExplainAsync(api, index, shard, primary: false, ct).ConfigureAwait(false));
                    if (verdict == ReplicaVerdict.Blocked)
                        throw new EsException(EsErrorKind.InvalidState, ErrorIds.AllocationBlocked, $"it is not safe to restart {node.Name}: {reason}", $"{index}[{shard}]");
                    if (verdict == ReplicaVerdict.Wait)
                        return $"primary {index}[{shard}] on {node.Name} has a replica that is not started: {reason}";
                }
        }
        // The elected master goes last: waiting for the others helps only if they come before it in this run.
        foreach (var node in up)
        {
            var masterWaits = UpgradeSafety.MasterGoesLast(node.Name, node.IsElectedMaster, nodes, Target);
            var skipped = state.Nodes.Where(n => n.Name != node.Name && !n.Done).Select(n => n.Name).ToList();
            if (masterWaits != null && skipped.Count > 0)
                throw new EsException(EsErrorKind.InvalidState, ErrorIds.UnsafeToRestart,
                    $"{node.Name} is the elected master now and goes last, but {string.Join(", ", skipped)} are not upgraded yet (skipped in this run, or planned after it because the master moved since the plan): upgrade them first, then resume.", node.Name);
            if (masterWaits != null) return masterWaits;
        }
        return null;
    }

    /// <summary>
    /// Green — or yellow, nothing moving or fetching, with every unassigned replica held back by version as
    /// allocation explain says (expected mid-upgrade). Fetching, throttled or delayed copies are waited for. A
    /// copy that a decider blocks stops the run with the decider's words — after the last node, the run ends
    /// instead as upgraded but not green, with the reason.
    /// </summary>
    async Task WaitForRecoveryAsync(PlannedNode node, UpgradeState.NodeState nodeState, CancellationToken ct, ISet<string>? batch = null)
    {
        var deadline = api.Clock.UtcNow + options.HealthTimeout;
        var settled = new HealthCondition { Status = HealthStatus.Yellow, NoInitializingShards = true, NoRelocatingShards = true };
        var last = state.Nodes.All(n => n.Done || n.Name == node.Name || batch?.Contains(n.Name) == true);
        while (true)
        {
            var remaining = deadline - api.Clock.UtcNow;
            var health = Sample(await HealthReader.WaitAsync(api, settled, HealthLevel.Cluster, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, ct).ConfigureAwait(false));
            if (health.Status == HealthStatus.Green) return;
            string why;
            if (health.NumberOfInFlightFetch > 0)
            {
                why = $"{health.NumberOfInFlightFetch} shard copies fetching their data";
            }
            else
            {
                List<(ReplicaVerdict Verdict, string Reason)> verdicts;
                try
                {
                    verdicts = await JudgeUnassignedReplicasAsync(ct).ConfigureAwait(false);
                }
                catch (EsException ex) when (ex.IsTransient)
                {
                    verdicts = new List<(ReplicaVerdict, string)> { (ReplicaVerdict.Wait, $"the cluster did not answer ({ex.Message})") };
                }
                var blocked = verdicts.FirstOrDefault(v => v.Verdict == ReplicaVerdict.Blocked);
                if (blocked.Reason != null)
                {
                    if (!last)
                        throw new EsException(EsErrorKind.InvalidState, ErrorIds.AllocationBlocked, blocked.Reason, node.Name);
                    nodeState.Warning = $"upgraded, not green: {blocked.Reason}";
                    Log.Warning($"[{node.Name}] {nodeState.Warning}");
                    return;
                }
                if (verdicts.Count > 0 && verdicts.All(v => v.Verdict == ReplicaVerdict.HeldBackByVersion))
                {
                    Log.Verbose($"[{node.Name}] yellow is expected: {health.UnassignedShards} replica(s) wait for nodes of the new version (allocation explain)");
                    return;
                }
                why = verdicts.FirstOrDefault(v => v.Verdict == ReplicaVerdict.Wait).Reason ?? "shards are still moving";
            }
            if (api.Clock.UtcNow >= deadline)
                throw new EsException(EsErrorKind.Timeout, ErrorIds.ClusterHealthTimeout, $"the shards did not recover within {options.HealthTimeout}: {why}", node.Name);
            Log.Verbose($"[{node.Name}] not settled yet: {why}");
            try
            {
                Sample(await HealthReader.LongPollAsync(api.Polling(), new HealthCondition { Status = HealthStatus.Green }, HealthLevel.Cluster, TimeSpan.FromSeconds(2), ct).ConfigureAwait(false));
            }
            catch (EsException ex) when (ex.IsTransient)
            {
                await api.Clock.Delay(HealthReader.RetryDelay, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Allocation explain for the unassigned replicas: one copy per index (their reasons agree), at most 20 indices.</summary>
    async Task<List<(ReplicaVerdict Verdict, string Reason)>> JudgeUnassignedReplicasAsync(CancellationToken ct)
    {
        var shards = await IndexReader.GetShardsAsync(api, null, ct).ConfigureAwait(false);
        var result = new List<(ReplicaVerdict, string)>();
        foreach (var copy in shards.Where(s => s.State == ShardState.Unassigned).GroupBy(s => s.Index).Select(g => g.OrderBy(s => s.Primary ? 0 : 1).First()).Take(20))
            result.Add(UpgradeSafety.Judge(await AllocationExplanation.ExplainAsync(api, copy.Index, copy.Shard, copy.Primary, ct).ConfigureAwait(false)));
        return result;
    }

    async Task FinishAsync(CancellationToken ct)
    {
        if (state.CompletedAt != null) return;
        if (state.Nodes.Any(n => !n.Done))
        {
            // Some nodes were skipped (-Confirm): put things back but leave the run open for a later resume.
            await RestoreAsync().ConfigureAwait(false);
            await CheckpointAsync().ConfigureAwait(false);
            return;
        }
        await ShardAllocation.RestoreAsync(api, Original, ct).ConfigureAwait(false);
        if (state.MlUpgradeModeSetByRun)
        {
            await MlUpgradeMode.SetAsync(api, false, ct).ConfigureAwait(false);
            state.MlUpgradeModeSetByRun = false;
        }
        var nodes = await InventoryReader.GetNodesAsync(api, null, ct).ConfigureAwait(false);
        var behind = nodes.Where(n => n.VersionNumber != Target).Select(n => $"{n.Name} ({n.VersionNumber})").ToList();
        if (behind.Count > 0)
            Log.Warning($"Nodes not at {Target} after the upgrade: {string.Join(", ", behind)}.");
        state.CompletedAt = api.Clock.UtcNow;
        state.LastError = null;
        await CheckpointAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Puts allocation and ML upgrade mode back, whatever happened; says what it did. When the connection itself fails,
    /// tries again through each node's own address; when that fails too, says so loudly with the exact call to run.
    /// Never throws.
    /// </summary>
    async Task<string> RestoreAsync()
    {
        var said = new List<string>();
        var allocation = await EverywhereAsync((a, ct) => ShardAllocation.RestoreAsync(a, Original, ct)).ConfigureAwait(false);
        if (allocation is null)
        {
            said.Add($"Shard allocation was put back ({Original}).");
        }
        else
        {
            said.Add($"SHARD ALLOCATION COULD NOT BE PUT BACK ({allocation}): until it is, no replica is allocated anywhere. Once the cluster answers, run " +
                     $"Enable-EsShardAllocation, or PUT _cluster/settings {ShardAllocation.RestoreBody(Original)}");
            Log.Warning(said.Last());
        }
        if (state.MlUpgradeModeSetByRun)
        {
            var ml = await EverywhereAsync((a, ct) => MlUpgradeMode.SetAsync(a, false, ct)).ConfigureAwait(false);
            if (ml is null)
            {
                state.MlUpgradeModeSetByRun = false;
                said.Add("ML upgrade mode was turned off.");
            }
            else
            {
                said.Add($"ML UPGRADE MODE COULD NOT BE TURNED OFF ({ml}): machine learning jobs stay paused. Run Set-EsMlUpgradeMode -Enabled:$false, or POST _ml/set_upgrade_mode?enabled=false");
                Log.Warning(said.Last());
            }
        }
        return string.Join(" ", said);
    }

    /// <summary>How long putting things back may try through the connection, then through each node.</summary>
    static readonly TimeSpan ThroughConnection = TimeSpan.FromSeconds(60), ThroughNode = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Runs <paramref name="call"/> through the connection (up to a minute), then, if the connection is what failed,
    /// through each known node's own address (15 s each); the last error, or null once it worked.
    /// </summary>
    async Task<string?> EverywhereAsync(Func<EsApi, CancellationToken, Task> call)
    {
        string? error;
        using (var cts = new CancellationTokenSource(ThroughConnection))
        {
            try
            {
                await call(api.Retrying(ThroughConnection - TimeSpan.FromSeconds(10)), cts.Token).ConfigureAwait(false);
                return null;
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                error = $"no answer within {ThroughConnection.TotalSeconds:0} s";
            }
            catch (Exception ex)
            {
                error = ex.Message;
                if (ex is not EsException { IsTransient: true }) return error;
            }
        }
        foreach (var address in plan.Nodes.Select(n => n.Node?.HttpAddress).OfType<string>().Distinct())
        {
            using var cts = new CancellationTokenSource(ThroughNode);
            try
            {
                using var via = api.Connection.Via(address, TimeSpan.FromSeconds(5), ThroughNode);
                Log.Verbose($"[{api.Connection.Name}] trying again through {address}");
                await call(new EsApi(via, api.Log, api.Clock), cts.Token).ConfigureAwait(false);
                return null;
            }
            catch (Exception ex)
            {
                error = ex is OperationCanceledException && cts.IsCancellationRequested ? $"{address}: no answer within {ThroughNode.TotalSeconds:0} s" : ex.Message;
            }
        }
        return error;
    }

    NodeUpgradeResult Result(PlannedNode node, UpgradeState.NodeState s, NodeUpgradeStatus status) => new NodeUpgradeResult
    {
        Connection = api.Connection,
        Position = node.Position,
        Node = node.Name,
        FromVersion = s.FromVersion.Length > 0 ? s.FromVersion : node.CurrentVersion,
        ToVersion = Target,
        Status = status,
        Start = s.StartedAt,
        End = s.EndedAt,
        Steps = s.Completed.ToList(),
        Warning = s.Warning,
    };

    static string Describe(UpgradeStep step) => step switch
    {
        UpgradeStep.SafetyCheck => "checking it is safe to restart the node",
        UpgradeStep.DisableAllocation => "shard allocation to primaries only",
        UpgradeStep.Flush => "flushing",
        UpgradeStep.MlUpgradeMode => "ML upgrade mode",
        UpgradeStep.NodeActionStarted => "starting the node action",
        UpgradeStep.NodeAction => "running the node action (stop, upgrade, start)",
        UpgradeStep.WaitForNode => "waiting for the node to join at the new version",
        UpgradeStep.EnableAllocation => "shard allocation back",
        UpgradeStep.WaitForHealth => "waiting for the shards to recover",
        _ => step.ToString(),
    };
}
