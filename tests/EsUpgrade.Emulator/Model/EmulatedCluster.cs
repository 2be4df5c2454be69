using System.Security.Cryptography;
using System.Text;

namespace EsUpgrade.Emulator.Model;

/// <summary>
/// The cluster as Elasticsearch would hold it: nodes, the elected master, settings, indices and shard
/// copies placed by allocation rules, recoveries that take time on <see cref="Clock"/>. No HTTP here.
/// Every method locks <see cref="Sync"/>; <see cref="WaitUntilAsync"/> wakes on each change.
/// </summary>
public sealed class EmulatedCluster
{
    readonly List<EmulatedNode> nodes = new();
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
        foreach (var n in spec.Nodes) nodes.Add(new EmulatedNode(n, StableId("node:" + n.Name)));
        foreach (var i in spec.Indices) indices.Add(new EmulatedIndex(i, StableId("index:" + i.Name)));
        lock (Sync)
        {
            Elect();
            Reroute(initial: true);
        }
    }

    public object Sync { get; } = new();
    public ClusterSpec Spec { get; }
    public string Name { get; }
    public string Uuid { get; }
    public EmulatorClock Clock { get; }
    public SecurityRealm Security { get; }
    public Dictionary<string, string> Persistent { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Transient { get; } = new(StringComparer.Ordinal);
    public IReadOnlyList<EmulatedNode> Nodes => nodes;
    public IReadOnlyList<EmulatedIndex> Indices => indices;
    public IEnumerable<EmulatedNode> RunningNodes => nodes.Where(n => n.Running);
    public EmulatedNode? Master => masterId is null ? null : nodes.FirstOrDefault(n => n.Id == masterId && n.Running);

    public EmulatedNode Node(string name) =>
        nodes.FirstOrDefault(n => n.Name == name) ?? throw new ArgumentException($"no node named [{name}]");

    /// <summary>The effective value: transient over persistent over default.</summary>
    public string Setting(string key) =>
        Transient.TryGetValue(key, out var t) ? t
        : Persistent.TryGetValue(key, out var p) ? p
        : SettingsRegistry.DefaultValues.TryGetValue(key, out var d) ? d : "";

    /// <summary>Master-routed operations need an elected master (503 master_not_discovered_exception otherwise).</summary>
    public EmulatedNode RequireMaster() => Master ?? throw EsError.MasterNotDiscovered();

    // ---- node lifecycle ----

    public void StopNode(string name)
    {
        lock (Sync)
        {
            var node = Node(name);
            if (!node.Running) return;
            node.Running = false;
            foreach (var copy in indices.SelectMany(i => i.Copies).Where(c => c.NodeId == node.Id))
                Unassign(copy, "NODE_LEFT");
            PromoteReplicas();
            Elect();
            Reroute();
            Signal();
        }
    }

    public void StartNode(string name, string? version = null)
    {
        lock (Sync)
        {
            var node = Node(name);
            if (node.Running) return;
            if (version != null) node.Profile = new VersionProfile(version);
            node.Running = true;
            Elect();
            Reroute();
            Signal();
        }
    }

    // ---- settings ----

    public void UpdateSettings(IReadOnlyDictionary<string, string?> persistent, IReadOnlyDictionary<string, string?> transient)
    {
        lock (Sync)
        {
            var master = RequireMaster();
            foreach (var (k, v) in persistent) SettingsRegistry.Validate("persistent", k, v, master.Profile);
            foreach (var (k, v) in transient) SettingsRegistry.Validate("transient", k, v, master.Profile);
            Apply(Persistent, persistent);
            Apply(Transient, transient);
            Reroute();
            Signal();
        }
    }

    static void Apply(Dictionary<string, string> target, IReadOnlyDictionary<string, string?> updates)
    {
        foreach (var (k, v) in updates)
            if (v is null) target.Remove(k);
            else target[k] = v.ToLowerInvariant() is var lower && k.EndsWith(".enable", StringComparison.Ordinal) ? lower : v;
    }

    // ---- time ----

    /// <summary>Moves modelled processes forward to the clock's now; signals waiters if anything changed.</summary>
    public void Tick()
    {
        lock (Sync)
        {
            var now = Clock.UtcNow;
            var any = false;
            foreach (var copy in indices.SelectMany(i => i.Copies).Where(c => c.State == ShardState.Initializing && c.ReadyAt <= now))
            {
                copy.State = ShardState.Started;
                any = true;
            }
            if (any)
            {
                Reroute();
                Signal();
            }
        }
    }

    /// <summary>When the next modelled process is due (emulated time), if any; and a task that completes on the next change.</summary>
    public (DateTimeOffset? NextDue, Task Changed) Schedule()
    {
        lock (Sync)
        {
            var due = indices.SelectMany(i => i.Copies).Where(c => c.State == ShardState.Initializing)
                .Select(c => (DateTimeOffset?)c.ReadyAt).Min();
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

    void Signal()
    {
        var old = changed;
        changed = NewSignal();
        old.TrySetResult();
    }

    static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // ---- masters ----

    /// <summary>
    /// A master needs a majority of the master-eligible nodes (the voting configuration): without it the
    /// master steps down. With it, a running master stays; otherwise one is elected.
    /// </summary>
    void Elect()
    {
        var eligible = nodes.Where(n => n.IsMasterEligible).ToList();
        var running = eligible.Where(n => n.Running).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        if (running.Count * 2 <= eligible.Count) masterId = null;
        else if (Master is null) masterId = running[0].Id;
    }

    // ---- allocation ----

    void Unassign(ShardCopy copy, string reason)
    {
        copy.LastNodeId = copy.NodeId;
        copy.NodeId = null;
        copy.State = ShardState.Unassigned;
        copy.UnassignedReason = reason;
    }

    /// <summary>A started replica takes over when its primary is lost.</summary>
    void PromoteReplicas()
    {
        foreach (var group in indices.SelectMany(i => i.Copies).GroupBy(c => (c.Index, c.Shard)))
        {
            var primary = group.First(c => c.Primary);
            if (primary.State != ShardState.Unassigned) continue;
            var replica = group.FirstOrDefault(c => !c.Primary && c.State == ShardState.Started);
            if (replica is null) continue;
            replica.Primary = true;
            primary.Primary = false;
        }
    }

    /// <summary>
    /// Places unassigned copies on running data nodes by Elasticsearch's deciders: the enable setting,
    /// never two copies on one node, a replica never on a node older than its primary's.
    /// </summary>
    void Reroute(bool initial = false)
    {
        if (Master is null) return;
        var enable = Setting("cluster.routing.allocation.enable");
        var dataNodes = RunningNodes.Where(n => n.IsDataNode).ToList();
        var now = Clock.UtcNow;
        foreach (var index in indices)
        {
            foreach (var group in index.Copies.GroupBy(c => c.Shard))
            {
                var primary = group.First(c => c.Primary);
                if (primary.State == ShardState.Unassigned)
                {
                    // An existing primary comes back only where its data is; a new one goes anywhere.
                    var target = initial
                        ? LeastLoaded(dataNodes, group)
                        : dataNodes.FirstOrDefault(n => n.Id == primary.LastNodeId);
                    var allowed = initial || enable is "all" or "primaries";
                    if (target != null && allowed)
                        Assign(primary, target, initial ? now : now + RecoveryTime(index, operationsBased: true));
                }
                if (!primary.IsActive) continue;
                var primaryNode = nodes.First(n => n.Id == primary.NodeId);
                foreach (var replica in group.Where(c => !c.Primary && c.State == ShardState.Unassigned))
                {
                    if (!(initial || enable == "all")) continue;
                    var candidates = dataNodes.Where(n => n.Profile.Version >= primaryNode.Profile.Version).ToList();
                    var target = candidates.FirstOrDefault(n => n.Id == replica.LastNodeId && group.All(c => c.NodeId != n.Id))
                        ?? LeastLoaded(candidates, group);
                    if (target is null) continue;
                    var back = target.Id == replica.LastNodeId;
                    Assign(replica, target, initial ? now : now + RecoveryTime(index, operationsBased: back));
                }
            }
        }
    }

    ShardCopy Assign(ShardCopy copy, EmulatedNode node, DateTimeOffset readyAt)
    {
        copy.NodeId = node.Id;
        copy.State = readyAt <= Clock.UtcNow ? ShardState.Started : ShardState.Initializing;
        copy.ReadyAt = readyAt;
        copy.UnassignedReason = null;
        return copy;
    }

    EmulatedNode? LeastLoaded(IEnumerable<EmulatedNode> candidates, IEnumerable<ShardCopy> shardGroup) =>
        candidates.Where(n => shardGroup.All(c => c.NodeId != n.Id))
            .OrderBy(n => indices.SelectMany(i => i.Copies).Count(c => c.NodeId == n.Id))
            .ThenBy(n => n.Name, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>File copy proportional to size; a copy coming back to its own node replays operations only (1 s).</summary>
    TimeSpan RecoveryTime(EmulatedIndex index, bool operationsBased) =>
        operationsBased ? TimeSpan.FromSeconds(1)
        : TimeSpan.FromSeconds(1 + (double)index.ShardSizeBytes / Math.Max(1, Spec.RecoveryBytesPerSecond));

    /// <summary>Stable 22-character ids, like Elasticsearch's base64 UUIDs, derived from a name.</summary>
    static string StableId(string seed) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..22].Replace('+', '-').Replace('/', '_');
}
