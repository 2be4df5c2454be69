using System.Security.Cryptography;
using System.Text;

namespace EsUpgrade.Emulator.Model;

/// <summary>A node shutdown registered through the node shutdown API; <see cref="AllocationDelayText"/> is echoed as given ("10m").</summary>
public sealed record ShutdownRecord(string NodeId, string Type, string Reason, string? AllocationDelayText, long StartedMillis)
{
    public TimeSpan? AllocationDelay => AllocationDelayText is null ? null : Http.RestRequest.ParseTime(AllocationDelayText);
}

/// <summary>
/// The cluster as Elasticsearch would hold it: nodes, the elected master, settings, indices and shard
/// copies placed by allocation rules, recoveries and node starts that take time on <see cref="Clock"/>.
/// No HTTP here. Every method locks <see cref="Sync"/>; <see cref="WaitUntilAsync"/> wakes on each change.
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
        lock (Sync)
        {
            Elect();
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
    public Dictionary<string, string> Persistent { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Transient { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ShutdownRecord> Shutdowns { get; } = new(StringComparer.Ordinal);
    public bool MlUpgradeMode { get; set; }
    public IReadOnlyList<EmulatedNode> Nodes => nodes;
    public IReadOnlyList<EmulatedIndex> Indices => indices;
    public IEnumerable<EmulatedNode> RunningNodes => nodes.Where(n => n.Running);
    public EmulatedNode? Master => masterId is null ? null : nodes.FirstOrDefault(n => n.Id == masterId && n.Running);
    public IEnumerable<ShardCopy> AllCopies => indices.SelectMany(i => i.Copies);

    // ---- the ideal schedule ----
    DateTimeOffset? busySince;
    TimeSpan busyTotal;

    /// <summary>
    /// Emulated time during which the cluster imposed a wait — a node booting or a shard copy recovering —
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
        var started = nodes.Where(n => n.State == NodeState.Booting).Select(n => n.JoinAt - Spec.NodeBootTime)
            .Concat(AllCopies.Where(c => c.State == ShardState.Initializing).Select(c => c.RecoveryStartedAt)).ToList();
        var busy = started.Count > 0;
        // The interval opens when the first of its waits began, which may be a moment before this call.
        if (busy && busySince is null) busySince = started.Min() < at ? started.Min() : at;
        else if (!busy && busySince is DateTimeOffset since)
        {
            busyTotal += at - since;
            busySince = null;
        }
    }

    public EmulatedNode Node(string name) =>
        nodes.FirstOrDefault(n => n.Name == name) ?? throw new ArgumentException($"no node named [{name}]");

    public EmulatedNode? NodeById(string? id) => id is null ? null : nodes.FirstOrDefault(n => n.Id == id);

    public EmulatedIndex? Index(string name) => indices.FirstOrDefault(i => i.Name == name);

    /// <summary>The effective value: transient over persistent over default.</summary>
    public string Setting(string key) =>
        Transient.TryGetValue(key, out var t) ? t
        : Persistent.TryGetValue(key, out var p) ? p
        : SettingsRegistry.DefaultValues.TryGetValue(key, out var d) ? d : "";

    /// <summary>Master-routed operations need an elected master (503 master_not_discovered_exception otherwise).</summary>
    public EmulatedNode RequireMaster() => Master ?? throw EsError.MasterNotDiscovered();

    // ---- node lifecycle ----

    /// <summary>Stops a node (a clean stop and a crash look the same to the cluster).</summary>
    public void StopNode(string name)
    {
        lock (Sync)
        {
            var node = Node(name);
            if (node.State == NodeState.Stopped) return;
            var wasJoined = node.Running;
            node.State = NodeState.Stopped;
            if (wasJoined) Leave(node);
            TrackBusy(Clock.UtcNow);
            Signal();
        }
    }

    /// <summary>
    /// Starts a node, optionally at another version with another elasticsearch.yml. Returns the start-up
    /// failure it logs, or null; the node joins after <see cref="ClusterSpec.NodeBootTime"/>.
    /// </summary>
    public string? StartNode(string name, string? version = null, string? configYaml = null)
    {
        lock (Sync)
        {
            var node = Node(name);
            if (node.State != NodeState.Stopped) return null;
            if (configYaml != null) node.ConfigYaml = configYaml;
            var profile = version is null ? node.Profile : new VersionProfile(version);
            var refusal = NodeBoot.Refusal(node, profile, indices);
            if (refusal != null)
            {
                node.Log.Add((profile.Is8 ? "fatal exception while booting Elasticsearch " : "uncaught exception in thread [main] org.elasticsearch.bootstrap.StartupException: ") + refusal);
                Signal();
                return refusal;
            }
            node.Profile = profile;
            node.DataVersion = profile;
            node.Restarts++;
            node.State = NodeState.Booting;
            var now = Clock.UtcNow;
            node.JoinAt = now + Spec.NodeBootTime;
            TrackBusy(now);
            if (node.JoinAt <= now) Join(node);
            TrackBusy(now);
            Signal();
            return null;
        }
    }

    /// <summary>The version barrier (NodeJoinExecutor.ensureVersionBarrier): no node older than every node already in the cluster.</summary>
    void Join(EmulatedNode node)
    {
        var others = RunningNodes.ToList();
        var minimum = others.Count == 0 ? null : others.Min(n => n.Profile.Version);
        if (minimum != null && node.Profile.Version < minimum)
        {
            node.State = NodeState.Isolated;
            node.Log.Add($"failed to join cluster: node version [{node.Profile}] may not join a cluster comprising only nodes of version [{minimum}] or greater");
            return;
        }
        node.State = NodeState.Joined;
        Elect();
        Reroute();
    }

    void Leave(EmulatedNode node)
    {
        var restarting = Shutdowns.TryGetValue(node.Id, out var shutdown) && shutdown.Type == "RESTART";
        foreach (var copy in AllCopies.Where(c => c.NodeId == node.Id).ToList())
        {
            var index = copy.Index;
            var delay = index.DelayedTimeout;
            if (restarting && shutdown!.AllocationDelay is TimeSpan d && d > delay) delay = d;
            Unassign(copy, restarting ? "NODE_RESTARTING" : "NODE_LEFT", delay);
        }
        PromoteReplicas();
        Elect();
        Reroute();
    }

    // ---- settings ----

    public void UpdateSettings(IReadOnlyDictionary<string, string?> persistent, IReadOnlyDictionary<string, string?> transient)
    {
        lock (Sync)
        {
            RequireMaster();
            foreach (var (k, v) in persistent) SettingsRegistry.Validate("persistent", k, v);
            foreach (var (k, v) in transient) SettingsRegistry.Validate("transient", k, v);
            Apply(Persistent, persistent);
            Apply(Transient, transient);
            Reroute();
            TrackBusy(Clock.UtcNow);
            Signal();
        }
    }

    static void Apply(Dictionary<string, string> target, IReadOnlyDictionary<string, string?> updates)
    {
        foreach (var (k, v) in updates)
            if (v is null) target.Remove(k);
            else target[k] = k.EndsWith(".enable", StringComparison.Ordinal) ? v.ToLowerInvariant() : v;
    }

    // ---- indices and documents ----

    public EmulatedIndex CreateIndex(IndexSpec spec)
    {
        lock (Sync)
        {
            RequireMaster();
            if (Index(spec.Name) != null)
                throw new EsError(400, "resource_already_exists_exception", $"index [{spec.Name}/{Index(spec.Name)!.Uuid}] already exists",
                    metadata: new Dictionary<string, object?> { ["index_uuid"] = Index(spec.Name)!.Uuid, ["index"] = spec.Name });
            ValidateIndexName(spec.Name);
            spec.CreatedVersion = RunningNodes.Min(n => n.Profile.Version)!.ToString();
            var index = new EmulatedIndex(spec, StableId("index:" + spec.Name + ":" + Clock.UtcNow.Ticks), Clock.UtcNow);
            indices.Add(index);
            Reroute();
            Signal();
            return index;
        }
    }

    public static void ValidateIndexName(string name)
    {
        if (name.StartsWith('_') || name.StartsWith('-') || name.StartsWith('+'))
            throw new EsError(400, "invalid_index_name_exception", $"Invalid index name [{name}], must not start with '_', '-', or '+'",
                metadata: new Dictionary<string, object?> { ["index_uuid"] = "_na_", ["index"] = name });
        if (name != name.ToLowerInvariant())
            throw new EsError(400, "invalid_index_name_exception", $"Invalid index name [{name}], must be lowercase",
                metadata: new Dictionary<string, object?> { ["index_uuid"] = "_na_", ["index"] = name });
    }

    public void DeleteIndex(EmulatedIndex index)
    {
        lock (Sync)
        {
            RequireMaster();
            indices.Remove(index);
            Reroute();
            Signal();
        }
    }

    public void UpdateIndexSettings(EmulatedIndex index, IReadOnlyDictionary<string, string?> settings)
    {
        lock (Sync)
        {
            RequireMaster();
            foreach (var (key, value) in settings)
            {
                var k = key.StartsWith("index.", StringComparison.Ordinal) ? key : "index." + key;
                if (k == "index.number_of_replicas") index.SetReplicas(int.Parse(value ?? "1"));
                else if (k == "index.number_of_shards")
                    throw EsError.IllegalArgument($"final {index.Name} setting [index.number_of_shards], not updateable");
                else index.Settings[k] = value;
            }
            Reroute();
            Signal();
        }
    }

    /// <summary>Writes one document; null id makes one. Returns (created, id) or throws when the primary is not active.</summary>
    public (bool Created, string Id) IndexDocument(EmulatedIndex index, string? id)
    {
        lock (Sync)
        {
            id ??= SecurityRealm.NewId(20);
            var shard = index.ShardOf(id);
            if (!index.Copies.Any(c => c.Shard == shard && c.Primary && c.IsActive))
                throw new EsError(503, "unavailable_shards_exception",
                    $"[{index.Name}][{shard}] primary shard is not active Timeout: [1m], request: [BulkShardRequest [[{index.Name}][{shard}]] containing [1] requests]");
            if (index.Settings.GetValueOrDefault("index.blocks.write") == "true")
                throw new EsError(403, "cluster_block_exception", $"index [{index.Name}] blocked by: [FORBIDDEN/8/index write (api)];");
            var created = index.WrittenIds.Add(id);
            index.LastWriteAt = Clock.UtcNow;
            return (created, id);
        }
    }

    /// <summary>Flushes the given indices: their copies can then recover from operations after a restart.</summary>
    public (int Total, int Successful) Flush(IEnumerable<EmulatedIndex> targets)
    {
        lock (Sync)
        {
            int total = 0, ok = 0;
            foreach (var index in targets)
            {
                total += index.Copies.Count;
                ok += index.Copies.Count(c => c.IsActive);
                if (index.Copies.Where(c => c.Primary).All(c => c.IsActive)) index.LastFlushAt = Clock.UtcNow;
            }
            return (total, ok);
        }
    }

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
                copy.State = ShardState.Started;
                if (copy.ReadyAt > lastDue) lastDue = copy.ReadyAt;
                any = true;
            }
            if (any) TrackBusy(lastDue);
            if (AllCopies.Any(c => c.State == ShardState.Unassigned && c.DelayedUntil <= now))
            {
                foreach (var copy in AllCopies.Where(c => c.State == ShardState.Unassigned && c.DelayedUntil <= now)) copy.DelayedUntil = null;
                any = true;
            }
            if (any)
            {
                Reroute();
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
            var due = AllCopies.Where(c => c.State == ShardState.Initializing).Select(c => (DateTimeOffset?)c.ReadyAt)
                .Concat(AllCopies.Where(c => c.State == ShardState.Unassigned && c.DelayedUntil != null).Select(c => c.DelayedUntil))
                .Concat(nodes.Where(n => n.State == NodeState.Booting).Select(n => (DateTimeOffset?)n.JoinAt))
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

    public void Signal()
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

    void Unassign(ShardCopy copy, string reason, TimeSpan delay)
    {
        copy.LastNodeId = copy.NodeId;
        copy.NodeId = null;
        copy.State = ShardState.Unassigned;
        copy.UnassignedReason = reason;
        copy.UnassignedAt = Clock.UtcNow;
        copy.DelayedUntil = delay > TimeSpan.Zero ? Clock.UtcNow + delay : null;
    }

    /// <summary>A started replica takes over when its primary is lost.</summary>
    void PromoteReplicas()
    {
        foreach (var group in AllCopies.GroupBy(c => (c.Index, c.Shard)))
        {
            var primary = group.First(c => c.Primary);
            if (primary.State != ShardState.Unassigned) continue;
            var replica = group.FirstOrDefault(c => !c.Primary && c.State == ShardState.Started);
            if (replica is null) continue;
            replica.Primary = true;
            primary.Primary = false;
        }
    }

    /// <summary>Why a copy may not go to a node now, in the decider's words; null means YES.</summary>
    public string? Decide(ShardCopy copy, EmulatedNode node)
    {
        if (!node.Running || !node.IsDataNode) return "node is not a data node in the cluster";
        var enable = Setting("cluster.routing.allocation.enable");
        var isNewPrimary = copy.Primary && copy.LastNodeId is null && copy.UnassignedReason is "INDEX_CREATED";
        switch (enable)
        {
            case "none":
                return "[enable] no allocations are allowed due to cluster setting [cluster.routing.allocation.enable=none]";
            case "new_primaries" when !isNewPrimary:
                return "[enable] non-new primary allocations are forbidden due to cluster setting [cluster.routing.allocation.enable=new_primaries]";
            case "primaries" when !copy.Primary:
                return "[enable] replica allocations are forbidden due to cluster setting [cluster.routing.allocation.enable=primaries]";
        }
        var group = copy.Index.Copies.Where(c => c.Shard == copy.Shard && c != copy).ToList();
        if (group.Any(c => c.NodeId == node.Id))
            return "[same_shard] a copy of this shard is already allocated to this node";
        var tier = ChosenTier(copy.Index);
        if (tier != null && !node.HoldsTier(tier))
            return $"[data_tier] index has a preference for tiers [{string.Join(",", copy.Index.TierPreference)}] and node does not meet the required [{tier}] tier";
        if (!copy.Primary)
        {
            var primary = group.FirstOrDefault(c => c.Primary && c.IsActive);
            if (primary is null) return "[replica_after_primary_active] primary shard for this replica is not yet active";
            var primaryNode = NodeById(primary.NodeId)!;
            if (node.Profile.Version < primaryNode.Profile.Version)
                return $"[node_version] cannot allocate replica shard to a node with version [{node.Profile}] since this is older than the primary version [{primaryNode.Profile}]";
        }
        else if (copy.LastNodeId != null && copy.LastNodeId != node.Id)
        {
            return "[existing_shard] the shard's data is on another node";
        }
        var limit = int.Parse(Setting("cluster.routing.allocation.node_concurrent_recoveries"));
        if (AllCopies.Count(c => c.State == ShardState.Initializing && c.NodeId == node.Id && c.RecoveryType == "peer") >= limit && !copy.Primary)
            return $"[throttling] reached the limit of incoming shard recoveries [{limit}]";
        if (copy.IsDelayed(Clock.UtcNow) && copy.LastNodeId != node.Id)
            return "[delayed_allocation] the node holding this copy left less than index.unassigned.node_left.delayed_timeout ago";
        return null;
    }

    /// <summary>The first tier in the index's preference that has a node in the cluster (DataTierAllocationDecider).</summary>
    string? ChosenTier(EmulatedIndex index)
    {
        foreach (var tier in index.TierPreference)
            if (RunningNodes.Any(n => n.HoldsTier(tier))) return tier;
        return index.TierPreference.Length == 0 ? null : index.TierPreference[0];
    }

    /// <summary>Places unassigned copies where the deciders allow, preferring the node that has the copy's data.</summary>
    void Reroute(bool existingData = false)
    {
        if (Master is null) return;
        var now = Clock.UtcNow;
        foreach (var index in indices)
        {
            foreach (var group in index.Copies.GroupBy(c => c.Shard).ToList())
            {
                var primary = group.First(c => c.Primary);
                if (primary.State == ShardState.Unassigned)
                {
                    var target = PickNode(primary, group);
                    if (target != null)
                        Assign(primary, target, now, existingData ? now : now + TimeSpan.FromSeconds(1),
                            primary.LastNodeId is null ? "empty_store" : "existing_store", null, 0);
                }
                if (!primary.IsActive) continue;
                foreach (var replica in group.Where(c => !c.Primary && c.State == ShardState.Unassigned).ToList())
                {
                    var target = PickNode(replica, group);
                    if (target is null) continue;
                    var returning = target.Id == replica.LastNodeId;
                    var bytes = returning && index.FlushedSinceLastWrite ? 0 : index.ShardSizeBytes;
                    var duration = TimeSpan.FromSeconds(1 + (double)bytes / Math.Max(1, Spec.RecoveryBytesPerSecond));
                    Assign(replica, target, now, existingData ? now : now + duration, "peer", primary.NodeId, bytes);
                }
            }
        }
    }

    EmulatedNode? PickNode(ShardCopy copy, IEnumerable<ShardCopy> group) =>
        RunningNodes.Where(n => Decide(copy, n) is null)
            .OrderByDescending(n => n.Id == copy.LastNodeId)
            .ThenBy(n => AllCopies.Count(c => c.NodeId == n.Id))
            .ThenBy(n => n.Name, StringComparer.Ordinal)
            .FirstOrDefault();

    void Assign(ShardCopy copy, EmulatedNode node, DateTimeOffset now, DateTimeOffset readyAt, string recoveryType, string? source, long bytes)
    {
        copy.NodeId = node.Id;
        copy.State = readyAt <= now ? ShardState.Started : ShardState.Initializing;
        copy.ReadyAt = readyAt;
        copy.RecoveryStartedAt = now;
        copy.RecoveryType = recoveryType;
        copy.RecoverySourceNodeId = source;
        copy.RecoveryBytes = bytes;
        copy.UnassignedReason = null;
        copy.DelayedUntil = null;
    }

    /// <summary>Stable 22-character ids, like Elasticsearch's base64 UUIDs, derived from a name.</summary>
    static string StableId(string seed) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..22].Replace('+', '-').Replace('/', '_');
}
