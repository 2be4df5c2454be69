using System.Security.Cryptography;
using System.Text;

namespace EsUpgrade.Emulator.Model;

/// <summary>
/// The cluster as Elasticsearch would hold it: nodes, the elected master, settings, indices and shard
/// copies placed by allocation rules, recoveries and node starts that take time on <see cref="Clock"/>.
/// No HTTP here. Every method that changes state locks <see cref="Sync"/> and signals the change, so
/// <see cref="WaitUntilAsync"/> wakes; readers of several properties lock <see cref="Sync"/> themselves.
/// The rules live in one file per concern: EmulatedCluster.Nodes (node lifecycle, masters, shutdowns),
/// .Allocation (deciders, placement, recovery), .Indices (indices, documents, flush), .Settings (cluster
/// settings, ML upgrade mode); SecurityRealm holds users and API keys; ClusterHealth, IndexExpression and
/// NodeSelector read the model as Elasticsearch's APIs do.
/// </summary>
public sealed partial class EmulatedCluster
{
    readonly List<EmulatedNode> nodes = new();
    readonly Dictionary<string, EmulatedNode> nodesById = new(StringComparer.Ordinal);
    readonly List<EmulatedIndex> indices = new();
    TaskCompletionSource changed = NewSignal();
    string? masterId;

    public EmulatedCluster(ClusterSpec spec)
    {
        Spec = spec;
        Name = spec.ClusterName;
        Uuid = StableId("cluster:" + spec.ClusterName);
        Clock = new EmulatorClock(spec.TimeScale);
        Security = new SecurityRealm(spec.Users);
        foreach (var n in spec.Nodes)
        {
            var node = new EmulatedNode(n, StableId("node:" + n.Name));
            // An elasticsearch.yml that says what the cluster does about security (8.x requires it said).
            if (node.ConfigYaml.Length == 0)
                node.ConfigYaml = spec.SecurityEnabled ? "xpack.security.enabled: true\nxpack.security.transport.ssl.enabled: true\n" : "xpack.security.enabled: false\n";
            nodes.Add(node);
            nodesById[node.Id] = node;
        }
        foreach (var (key, value) in spec.PersistentSettings) Persistent[key] = value;
        lock (Sync)
        {
            Elect(now: true);
            foreach (var i in spec.Indices) indices.Add(new EmulatedIndex(i, StableId("index:" + i.Name), Clock.UtcNow));
            Reroute(existingData: true);
        }
    }

    public object Sync { get; } = new();
    public ClusterSpec Spec { get; }
    public string Name { get; }
    public string Uuid { get; }
    public EmulatorClock Clock { get; }
    public SecurityRealm Security { get; }
    public IReadOnlyList<EmulatedNode> Nodes => nodes;
    public IReadOnlyList<EmulatedIndex> Indices => indices;
    public IEnumerable<EmulatedNode> RunningNodes => nodes.Where(n => n.Running);
    public EmulatedNode? Master => masterId is null ? null : nodesById.TryGetValue(masterId, out var m) && m.Running ? m : null;
    public IEnumerable<ShardCopy> AllCopies => indices.SelectMany(i => i.Copies);

    // ---- the ideal schedule ----
    DateTimeOffset? busySince;
    TimeSpan busyTotal;

    /// <summary>
    /// Emulated time during which the cluster imposed a wait — a node booting, a shard copy recovering (or restoring
    /// from a repository), a snapshot being taken, a reindex copying —
    /// summed over the union of those intervals. An orchestrator that waits exactly that long is ideal.
    /// </summary>
    public TimeSpan ImposedWait
    {
        get { lock (Sync) return busyTotal + (busySince is DateTimeOffset since ? Clock.UtcNow - since : TimeSpan.Zero); }
    }

    public void ResetImposedWait()
    {
        lock (Sync) { busyTotal = TimeSpan.Zero; busySince = null; TrackBusy(Clock.UtcNow); }
    }

    /// <summary>Opens or closes the current busy interval; <paramref name="at"/> is when the state changed.</summary>
    void TrackBusy(DateTimeOffset at)
    {
        // Loops rather than a query: this runs at every change, over every copy (scale mode: 100,000).
        var first = DateTimeOffset.MaxValue;
        void Began(DateTimeOffset t) { if (t < first) first = t; }
        foreach (var n in nodes)
            if (n.State == NodeState.Booting) Began(n.JoinAt - Spec.NodeBootTime);
        foreach (var index in indices)
            foreach (var c in index.Copies)
            {
                if (c.State is ShardState.Initializing or ShardState.Relocating) Began(c.RecoveryStartedAt);
                if (c.IsFetching) Began(c.FetchStartedAt);
            }
        if (electionDueAt != null) Began(electionStartedAt);
        foreach (var r in running) Began(r.Snapshot.StartTime);
        foreach (var t in tasks.Values)
            if (!t.Completed) Began(t.StartedAt);
        var busy = first != DateTimeOffset.MaxValue;
        // The interval opens when the first of its waits began, which may be a moment before this call.
        if (busy && busySince is null) busySince = first < at ? first : at;
        else if (!busy && busySince is DateTimeOffset since)
        {
            busyTotal += at - since;
            busySince = null;
        }
    }

    public EmulatedNode Node(string name) =>
        nodes.FirstOrDefault(n => n.Name == name) ?? throw new ArgumentException($"no node named [{name}]");

    public EmulatedNode? NodeById(string? id) => id is null ? null : nodesById.GetValueOrDefault(id);

    public EmulatedIndex? Index(string name) => indices.FirstOrDefault(i => i.Name == name);

    /// <summary>Master-routed operations need an elected master (503 master_not_discovered_exception otherwise).</summary>
    public EmulatedNode RequireMaster() => Master ?? throw EsError.MasterNotDiscovered();

    // ---- time ----

    /// <summary>Moves modelled processes forward to the clock's now; signals waiters if anything changed.</summary>
    public void Tick()
    {
        lock (Sync)
        {
            var now = Clock.UtcNow;
            var any = false;
            // Work is done when it was due, not when the ticker noticed: the ideal schedule ends there.
            var lastDue = DateTimeOffset.MinValue;
            foreach (var node in nodes.Where(n => n.State == NodeState.Booting && n.JoinAt <= now).OrderBy(n => n.JoinAt).ToList())
            {
                Join(node);
                if (node.JoinAt > lastDue) lastDue = node.JoinAt;
                any = true;
            }
            foreach (var copy in AllCopies.Where(c => c.State == ShardState.Initializing && c.ReadyAt <= now).ToList())
            {
                if (copy.ReadyAt > lastDue) lastDue = copy.ReadyAt;
                any = true;
                var target = NodeById(copy.NodeId);
                if (target is { FailingRecoveries: > 0 })
                {
                    target.FailingRecoveries--;
                    copy.FailedAttempts++;
                    Unassign(copy, "ALLOCATION_FAILED", TimeSpan.Zero);
                    continue;
                }
                copy.State = ShardState.Started;
                copy.FailedAttempts = 0;
            }
            foreach (var copy in AllCopies.Where(c => c.State == ShardState.Relocating && c.ReadyAt <= now).ToList())
            {
                if (copy.ReadyAt > lastDue) lastDue = copy.ReadyAt;
                FinishRelocation(copy);
                any = true;
            }
            foreach (var node in nodes.Where(n => n.State == NodeState.Crashed && n.LeavesAt <= now).ToList())
            {
                RemoveCrashed(node);
                any = true;
            }
            if (electionDueAt <= now)
            {
                if (electionDueAt > lastDue) lastDue = electionDueAt.Value;
                Elect();
                any = true;
            }
            foreach (var copy in AllCopies.Where(c => c.IsFetching && c.FetchingUntil <= now).ToList())
            {
                if (copy.FetchingUntil > lastDue) lastDue = copy.FetchingUntil.Value;
                copy.FetchingUntil = null;
                copy.Fetched = true;
                any = true;
            }
            if (TickFeatureMigration(now)) any = true;
            if (AdvanceTasks(now)) any = true;
            if (TickSnapshots(now)) any = true;
            if (any) TrackBusy(lastDue);
            if (AllCopies.Any(c => c.State == ShardState.Unassigned && c.DelayedUntil <= now))
            {
                foreach (var copy in AllCopies.Where(c => c.State == ShardState.Unassigned && c.DelayedUntil <= now)) copy.DelayedUntil = null;
                any = true;
            }
            if (any)
            {
                Reroute(at: lastDue == DateTimeOffset.MinValue ? now : lastDue);
                TrackBusy(now);
                Signal();
            }
        }
    }

    /// <summary>When the next modelled process is due (emulated time), if any; and a task that completes on the next change.</summary>
    public (DateTimeOffset? NextDue, Task Changed) Schedule()
    {
        lock (Sync)
        {
            var due = AllCopies.Where(c => c.State is ShardState.Initializing or ShardState.Relocating).Select(c => (DateTimeOffset?)c.ReadyAt)
                .Concat(AllCopies.Where(c => c.State == ShardState.Unassigned && c.DelayedUntil != null).Select(c => c.DelayedUntil))
                .Concat(nodes.Where(n => n.State == NodeState.Booting).Select(n => (DateTimeOffset?)n.JoinAt))
                .Concat(AllCopies.Where(c => c.IsFetching).Select(c => c.FetchingUntil))
                .Append(electionDueAt)
                .Append(FeatureMigrationDue)
                .Append(NextTaskDue)
                .Append(NextSnapshotDue)
                .Concat(nodes.Where(n => n.State == NodeState.Crashed).Select(n => (DateTimeOffset?)n.LeavesAt))
                .Min();
            return (due, changed.Task);
        }
    }

    /// <summary>Waits (real time) until <paramref name="condition"/> holds under the lock; false on timeout.</summary>
    public async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        while (true)
        {
            Task signal;
            lock (Sync)
            {
                if (condition()) return true;
                signal = changed.Task;
            }
            try
            {
                await signal.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                lock (Sync) return condition();
            }
        }
    }

    /// <summary>Wakes every waiter: called, under the lock, by each method that changed the state.</summary>
    void Signal()
    {
        var old = changed;
        changed = NewSignal();
        old.TrySetResult();
    }

    static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stable 22-character ids, like Elasticsearch's base64 UUIDs, derived from a name.</summary>
    static string StableId(string seed) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..22].Replace('+', '-').Replace('/', '_');
}
