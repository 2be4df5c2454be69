using EsUpgrade.Emulator.Model;
using EsUpgrade.Upgrade;

namespace EsUpgrade.Core.Tests;

/// <summary>The node action the tests use: what an admin's Stop-Service / unzip / Start-Service does, through the emulator.</summary>
public sealed class EmulatorHostActions : IUpgradeHost
{
    readonly Emulated es;
    public EmulatorHostActions(Emulated es) => this.es = es;
    public List<NodeUpgradeResult> Results { get; } = new();
    public List<string> Actions { get; } = new();
    public Func<string, string> VersionFor { get; set; } = _ => RollingUpgradeTests.Target;
    public HashSet<string> NeverStart { get; } = new();
    /// <summary>Nodes whose action kills the process and returns; the new version starts later (a service manager's restart), once <see cref="StartLaterWhen"/> completes.</summary>
    public HashSet<string> KillAndStartLater { get; } = new();
    public Func<string, Task> StartLaterWhen { get; set; } = _ => Task.CompletedTask;
    public List<Task> LateStarts { get; } = new();
    public Dictionary<string, string> Yaml { get; } = new();
    public Func<PlannedNode, bool> Confirm { get; set; } = _ => true;
    /// <summary>Stops the run (as Ctrl+C does) right after restarting this node, before the run can record it.</summary>
    public string? StopAfterRestarting { get; set; }
    public CancellationTokenSource Stop { get; } = new();

    /// <summary>Runs once a restarted node has joined, inside its action (say, an index rolled over meanwhile).</summary>
    public Action<string>? AfterRestart { get; set; }

    /// <summary>cluster.routing.allocation.enable as each node action found it.</summary>
    public List<string> AllocationAtAction { get; } = new();

    /// <summary>How many copies were relocating as each node's action began.</summary>
    public List<int> RelocatingAtAction { get; } = new();

    /// <summary>The unassigned copies (index) as each node's action found them.</summary>
    public Dictionary<string, List<string>> UnassignedAtAction { get; } = new();

    /// <summary>Runs as each node's action begins, before anything is stopped (a fault switched on mid-run, say).</summary>
    public Action<string>? BeforeAction { get; set; }

    /// <summary>Runs inside each node's action once under way, with the token the run gave it (a failure of its own, say).</summary>
    public Func<string, CancellationToken, Task>? During { get; set; }

    /// <summary>How many other master-eligible nodes were not in the cluster as each node's action began: 0 always.</summary>
    public List<int> MastersDownAtAction { get; } = new();
    /// <summary>How many other actions were under way as each action started (a batch's start together).</summary>
    public List<int> InFlightAtAction { get; } = new();
    /// <summary>How many actions of its batch the run said were asked for with each (the host may run them side by side).</summary>
    public List<int> TogetherAtAction { get; } = new();
    int inFlight;

    public async Task<IReadOnlyList<string>> RunNodeActionAsync(PlannedNode node, string targetVersion, int together, CancellationToken ct)
    {
        BeforeAction?.Invoke(node.Name);
        // Nodes of a batch act at once: the records are kept under the cluster's lock.
        lock (es.Host.Cluster.Sync)
        {
            Actions.Add(node.Name);
            InFlightAtAction.Add(inFlight++);
            TogetherAtAction.Add(together);
            MastersDownAtAction.Add(es.Host.Cluster.Nodes.Count(n => n.Name != node.Name && n.IsMasterEligible && n.State != NodeState.Joined));
            RelocatingAtAction.Add(es.Host.Cluster.AllCopies.Count(c => c.State == ShardState.Relocating));
            AllocationAtAction.Add(es.Host.Cluster.Setting("cluster.routing.allocation.enable"));
            UnassignedAtAction[node.Name] = es.Host.Cluster.AllCopies.Where(c => c.State == ShardState.Unassigned).Select(c => c.Index.Name).ToList();
        }
        try
        {
            // The actions the run asks for together meet before acting, as actions run side by side would: what each
            // records as it begins does not depend on how fast the other is scheduled.
            await MeetAsync(node, together, ct);
            // As a real action would (a remote call): the run's other actions of the batch start meanwhile.
            await Task.Yield();
            if (During != null) await During(node.Name, ct);
            return await ActAsync(node, ct);
        }
        finally
        {
            lock (es.Host.Cluster.Sync) inFlight--;
        }
    }

    readonly Dictionary<int, (int Arrived, TaskCompletionSource All)> meetings = new();

    /// <summary>Waits for the others of the node's batch (at most 10 s; not at all once another failed and the run said so).</summary>
    async Task MeetAsync(PlannedNode node, int together, CancellationToken ct)
    {
        if (together <= 1) return;
        var batch = node.Batch;
        Task all;
        lock (meetings)
        {
            var m = meetings.TryGetValue(batch, out var found) ? found : (Arrived: 0, All: new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            m.Arrived++;
            meetings[batch] = m;
            if (m.Arrived >= together) m.All.TrySetResult();
            all = m.All.Task;
        }
        try { await all.WaitAsync(TimeSpan.FromSeconds(10), ct); }
        catch (OperationCanceledException) { }
        catch (TimeoutException) { }
    }

    async Task<IReadOnlyList<string>> ActAsync(PlannedNode node, CancellationToken ct)
    {
        if (KillAndStartLater.Contains(node.Name))
        {
            await es.Host.CrashNodeAsync(node.Name);
            lock (LateStarts) LateStarts.Add(Task.Run(async () =>
            {
                await StartLaterWhen(node.Name).WaitAsync(TimeSpan.FromSeconds(30));
                await es.Host.StartNodeAsync(node.Name, VersionFor(node.Name));
            }));
            return new[] { "killed; the service manager starts it again" };
        }
        await es.Host.StopNodeAsync(node.Name);
        if (NeverStart.Contains(node.Name)) return new[] { "stopped; not started again" };
        // Like Start-Service: the start succeeds even when the node then refuses to boot; the refusal is in its log.
        await es.Host.StartNodeAsync(node.Name, VersionFor(node.Name), Yaml.GetValueOrDefault(node.Name));
        if (AfterRestart != null)
        {
            await es.Host.Cluster.WaitUntilAsync(() => es.Host.Cluster.Node(node.Name).State == NodeState.Joined, TimeSpan.FromSeconds(30), ct);
            AfterRestart(node.Name);
        }
        if (StopAfterRestarting == node.Name)
        {
            StopAfterRestarting = null;
            Stop.Cancel();
            Stop.Token.ThrowIfCancellationRequested();
        }
        lock (es.Host.Cluster.Sync) return es.Host.Cluster.Node(node.Name).Log.TakeLast(3).ToList();
    }

    public Task<bool> ConfirmAsync(PlannedNode node, string targetVersion) => Task.FromResult(Confirm(node));
    public void Emit(NodeUpgradeResult result) => Results.Add(result);
}
