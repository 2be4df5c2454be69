namespace EsUpgrade.Emulator.Model;

/// <summary>Allocation and recovery: the deciders, replica promotion, placement of unassigned copies, recovery on the clock.</summary>
public sealed partial class EmulatedCluster
{
    void Unassign(ShardCopy copy, string reason, TimeSpan delay)
    {
        copy.RelocatingNodeId = null;
        copy.LastNodeId = copy.NodeId;
        copy.NodeId = null;
        copy.State = ShardState.Unassigned;
        copy.UnassignedReason = reason;
        copy.UnassignedAt = Clock.UtcNow;
        copy.DelayedUntil = delay > TimeSpan.Zero ? Clock.UtcNow + delay : null;
        copy.FetchingUntil = null;
        copy.Fetched = false;
    }

    /// <summary>Per index and shard: whether the shard ever had a started copy, and whether it has none now.</summary>
    readonly Dictionary<EmulatedIndex, (bool[] EverActive, bool[] Exposed)> exposure = new();

    /// <summary>
    /// How many times a shard that had a started copy was left with none (a node restarted with the only copy, a batch
    /// that took every copy down): what a safe upgrade keeps at 0. Counted at each change of the cluster.
    /// </summary>
    public int MomentsWithoutStartedCopy { get; private set; }

    void WatchExposure()
    {
        foreach (var index in indices)
        {
            if (!exposure.TryGetValue(index, out var watch))
                exposure[index] = watch = (new bool[index.NumberOfShards], new bool[index.NumberOfShards]);
            var active = new bool[index.NumberOfShards];
            foreach (var copy in index.Copies)
                if (copy.IsActive) active[copy.Shard] = true;
            for (var shard = 0; shard < active.Length; shard++)
            {
                if (active[shard])
                {
                    watch.EverActive[shard] = true;
                    watch.Exposed[shard] = false;
                }
                else if (watch.EverActive[shard] && !index.Closed && !watch.Exposed[shard])
                {
                    watch.Exposed[shard] = true;
                    MomentsWithoutStartedCopy++;
                }
            }
        }
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
            replica.Index.PrimaryTerms[replica.Shard] = replica.Index.PrimaryTermOf(replica.Shard) + 1;
        }
    }

    /// <summary>
    /// Why a copy may not go to a node now, in the decider's words; null means YES. <paramref name="moving"/>:
    /// a started copy the balancer would relocate there (canAllocate for the relocation target).
    /// </summary>
    public string? Decide(ShardCopy copy, EmulatedNode node, bool moving = false) => Decide(copy, node, moving, OtherCopies(copy));

    /// <summary>The other copies of the copy's shard.</summary>
    static List<ShardCopy> OtherCopies(ShardCopy copy) => copy.Index.Copies.Where(c => c.Shard == copy.Shard && c != copy).ToList();

    /// <summary><see cref="Decide(ShardCopy, EmulatedNode, bool)"/> with the shard's other copies read once for all the nodes tried.</summary>
    string? Decide(ShardCopy copy, EmulatedNode node, bool moving, List<ShardCopy> group)
    {
        if (node.State != NodeState.Joined || !node.IsDataNode) return "node is not a data node in the cluster";
        var enable = Setting("cluster.routing.allocation.enable").ToLowerInvariant();
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
        var indexEnable = copy.Index.Settings.GetValueOrDefault("index.routing.allocation.enable")?.ToLowerInvariant();
        switch (indexEnable)
        {
            case "none":
                return "[enable] no allocations are allowed due to index setting [index.routing.allocation.enable=none]";
            case "primaries" when !copy.Primary:
                return "[enable] replica allocations are forbidden due to index setting [index.routing.allocation.enable=primaries]";
        }
        if (ExcludedBy(node) is string filter) return filter;
        if (DiskProblem(copy, node) is string disk) return disk;
        var maxRetries = int.TryParse(copy.Index.Settings.GetValueOrDefault("index.allocation.max_retries"), out var m) ? m : 5;
        if (copy.FailedAttempts >= maxRetries)
            return $"[max_retry] shard has exceeded the maximum number of retries [{maxRetries}] on failed allocation attempts - manually call [{(node.Profile.Is8 ? "POST /_cluster/reroute?retry_failed" : "/_cluster/reroute?retry_failed=true")}] to retry, " +
                $"[unassigned_info[[reason=ALLOCATION_FAILED], at[{copy.UnassignedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}], failed_attempts[{copy.FailedAttempts}], delayed=false, allocation_status[deciders_no]]]";
        if (group.Any(c => c.NodeId == node.Id || c.RelocatingNodeId == node.Id) || (moving && copy.NodeId == node.Id))
            return "[same_shard] a copy of this shard is already allocated to this node";
        if (Awareness(copy, node, group) is string awareness) return awareness;
        var tier = ChosenTier(copy.Index);
        if (tier != null && !node.HoldsTier(tier))
            return $"[data_tier] index has a preference for tiers [{string.Join(",", copy.Index.TierPreference)}] and node does not meet the required [{tier}] tier";
        if (moving && copy.Primary)
        {
            // NodeVersionAllocationDecider: a primary never moves to an older node (its replicas could not follow).
            var source = NodeById(copy.NodeId)!;
            if (node.Profile.Version < source.Profile.Version)
                return $"[node_version] cannot relocate primary shard from a node with version [{source.Profile}] to a node with older version [{node.Profile}]";
        }
        else if (!copy.Primary)
        {
            var primary = group.FirstOrDefault(c => c.Primary && c.IsActive);
            if (primary is null) return "[replica_after_primary_active] primary shard for this replica is not yet active";
            var primaryNode = NodeById(primary.NodeId)!;
            if (node.Profile.Version < primaryNode.Profile.Version)
                return $"[node_version] cannot allocate replica shard to a node with version [{node.Profile}] since this is older than the primary version [{primaryNode.Profile}]";
        }
        else if (!moving && copy.LastNodeId != null && copy.LastNodeId != node.Id)
        {
            return "[existing_shard] the shard's data is on another node";
        }
        var limit = int.Parse(Setting("cluster.routing.allocation.node_concurrent_recoveries"));
        if ((!copy.Primary || moving) && IncomingRecoveries(node) >= limit)
            return $"[throttling] reached the limit of incoming shard recoveries [{limit}]";
        if (copy.IsDelayed(pass?.Now ?? Clock.UtcNow) && copy.LastNodeId != node.Id)
            return "[delayed_allocation] the node holding this copy left less than index.unassigned.node_left.delayed_timeout ago";
        return null;
    }

    /// <summary>
    /// AwarenessAllocationDecider (canAllocate; elastic/elasticsearch server/.../decider/AwarenessAllocationDecider.java,
    /// 8.x, whose words 7.17 shares): for each attribute of cluster.routing.allocation.awareness.attributes the node must
    /// have it, and the copies of the shard on nodes with its value (this one included) may be at most
    /// ceil(copies / values), the values being those of the nodes in the cluster now plus any forced ones. With forced
    /// values a zone that is away keeps its share: its copies wait for it rather than crowd the other zones.
    /// </summary>
    string? Awareness(ShardCopy copy, EmulatedNode node, List<ShardCopy> others)
    {
        var attributes = Setting("cluster.routing.allocation.awareness.attributes").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (attributes.Length == 0) return null;
        var copies = copy.Index.NumberOfReplicas + 1;
        foreach (var attribute in attributes)
        {
            if (!node.Attributes.TryGetValue(attribute, out var value))
                return $"[awareness] node does not contain the awareness attribute [{attribute}]; required attributes cluster setting [cluster.routing.allocation.awareness.attributes={string.Join(",", attributes)}]";
            var (actual, forced, valueCount) = pass?.Values(attribute) ?? AwarenessValues(attribute);
            // The other copies started or recovering on nodes with this value (a relocating copy counts where it is going),
            // then this copy: where it would be (when it moves within the value, Elasticsearch counts it there already).
            var here = others.Count(c => (c.State == ShardState.Relocating ? c.RelocatingNodeId : c.State == ShardState.Unassigned ? null : c.NodeId) is { } id
                && NodeById(id)?.Attributes.GetValueOrDefault(attribute) == value) + 1;
            var most = (copies + valueCount - 1) / valueCount;
            if (here > most)
                return $"[awareness] there are [{copies}] copies of this shard and [{valueCount}] values for attribute [{attribute}] ([{string.Join(", ", actual)}] from nodes in the cluster and " +
                    $"{(forced is null ? "no forced awareness" : "[" + string.Join(", ", forced) + "] from forced awareness")}) so there may be at most [{most}] copies of this shard allocated to nodes with each value, " +
                    $"but (including this copy) there would be [{here}] copies allocated to nodes with [node.attr.{attribute}: {value}]";
        }
        return null;
    }

    /// <summary>
    /// An awareness attribute's values: those of the data nodes in the cluster now and the forced ones (null when none
    /// are set), each sorted, and how many distinct values the two make.
    /// </summary>
    (List<string> Actual, List<string>? Forced, int Count) AwarenessValues(string attribute)
    {
        var actual = RunningNodes.Where(n => n.State == NodeState.Joined && n.IsDataNode && n.Attributes.ContainsKey(attribute))
            .Select(n => n.Attributes[attribute]).Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal).ToList();
        var forcedSetting = Setting(SettingsRegistry.ForcedAwarenessPrefix + attribute + ".values");
        var forced = forcedSetting.Length == 0 ? null
            : forcedSetting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).OrderBy(v => v, StringComparer.Ordinal).ToList();
        return (actual, forced, forced is null ? actual.Count : actual.Concat(forced).Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>
    /// What a reroute counts once instead of at every decision (scale mode: 200 nodes, 100,000 copies): the peer
    /// recoveries into each node, kept as copies are placed, the values of each awareness attribute and the cluster
    /// settings read (nodes do not join or leave, nor settings change, during a reroute). Null outside a reroute: a decision then counts for itself.
    /// </summary>
    sealed class AllocationPass(EmulatedCluster cluster, DateTimeOffset now)
    {
        public readonly Dictionary<string, int> Incoming = cluster.AllCopies
            .Where(c => (c.State == ShardState.Initializing && c.RecoveryType == "peer") || c.RelocatingNodeId != null)
            .GroupBy(c => c.RelocatingNodeId ?? c.NodeId!).ToDictionary(g => g.Key, g => g.Count());
        readonly Dictionary<string, (List<string>, List<string>?, int)> values = new(StringComparer.Ordinal);
        public readonly DateTimeOffset Now = now;
        /// <summary>Cluster settings as read in this pass (they do not change during it).</summary>
        public readonly Dictionary<string, string> Settings = new(StringComparer.Ordinal);
        public (List<string> Actual, List<string>? Forced, int Count) Values(string attribute) =>
            values.TryGetValue(attribute, out var v) ? v : values[attribute] = cluster.AwarenessValues(attribute);
    }

    AllocationPass? pass;

    /// <summary>FilterAllocationDecider: the cluster-level exclude filters that match the node, in its words; null when none.</summary>
    string? ExcludedBy(EmulatedNode node)
    {
        foreach (var (attribute, value) in new[] { ("_name", node.Name), ("_id", node.Id), ("_ip", node.Ip) })
        {
            var excluded = Setting("cluster.routing.allocation.exclude." + attribute);
            if (excluded.Length > 0 && excluded.Split(',').Any(p => Wildcard.Matches(p.Trim(), value)))
                return $"[filter] node matches cluster setting [cluster.routing.allocation.exclude] filters [{attribute}:\"{excluded}\"]";
        }
        return null;
    }

    /// <summary>
    /// DiskThresholdDecider (7.x words): above the low watermark no replica (and no primary that was ever
    /// allocated) goes to the node; a new primary only stops at the high watermark.
    /// </summary>
    string? DiskProblem(ShardCopy copy, EmulatedNode node)
    {
        if (Setting("cluster.routing.allocation.disk.threshold_enabled") == "false") return null;
        var free = 100 - node.DiskUsedPercent;
        var newPrimary = copy.Primary && copy.LastNodeId is null;
        var (name, limit) = newPrimary ? ("high", Watermark("high")) : ("low", Watermark("low"));
        if (node.DiskUsedPercent <= limit) return null;
        return $"[disk_threshold] the node is above the {name} watermark cluster setting [cluster.routing.allocation.disk.watermark.{name}={Setting("cluster.routing.allocation.disk.watermark." + name)}], " +
            $"using more disk space than the maximum allowed [{limit.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}%], actual free: [{free.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}%]";
    }

    /// <summary>A watermark as a used-disk percentage (percent values only; byte values are not modelled).</summary>
    double Watermark(string name) =>
        double.TryParse(Setting("cluster.routing.allocation.disk.watermark." + name).TrimEnd('%'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : 100;

    /// <summary>The next <paramref name="count"/> recoveries into the node fail.</summary>
    public void FailRecoveries(string nodeName, int count)
    {
        lock (Sync)
        {
            Node(nodeName).FailingRecoveries = count;
            Signal();
        }
    }

    /// <summary>POST _cluster/reroute?retry_failed: copies past the retry limit may be tried again.</summary>
    public void RetryFailed()
    {
        lock (Sync)
        {
            RequireMaster();
            foreach (var copy in AllCopies.Where(c => c.State == ShardState.Unassigned)) copy.FailedAttempts = 0;
            Reroute();
            TrackBusy(Clock.UtcNow);
            Signal();
        }
    }

    /// <summary>
    /// Sets how full a node's disk is. At the flood stage every index with a copy on the node gets
    /// index.blocks.read_only_allow_delete (DiskThresholdMonitor); 7.x leaves the block until it is cleared by hand.
    /// </summary>
    public void SetDiskUsage(string nodeName, double usedPercent)
    {
        lock (Sync)
        {
            var node = Node(nodeName);
            node.DiskUsedPercent = usedPercent;
            if (usedPercent > Watermark("flood_stage"))
                foreach (var index in indices.Where(i => i.Copies.Any(c => c.NodeId == node.Id)))
                    index.Settings["index.blocks.read_only_allow_delete"] = "true";
            Reroute();
            Signal();
        }
    }

    /// <summary>The first tier in the index's preference that has a node in the cluster (DataTierAllocationDecider).</summary>
    string? ChosenTier(EmulatedIndex index)
    {
        foreach (var tier in index.TierPreference)
            if (RunningNodes.Any(n => n.HoldsTier(tier))) return tier;
        return index.TierPreference.Length == 0 ? null : index.TierPreference[0];
    }

    /// <summary>When the last reroute placed copies: a later one never places them earlier.</summary>
    DateTimeOffset lastRerouteAt = DateTimeOffset.MinValue;

    /// <summary>
    /// Places unassigned copies where the deciders allow, preferring the node that has the copy's data. <paramref name="at"/>:
    /// when the work that freed the way was due (a recovery ending, a node joining). The copies placed then start at that
    /// moment, not when the ticker got to it, so the schedule does not stretch with the emulator's own CPU time (tens of
    /// milliseconds a tick at 100,000 copies) — never before the last reroute, so never before a change made through the API.
    /// </summary>
    void Reroute(bool existingData = false, DateTimeOffset? at = null)
    {
        WatchExposure();
        if (Master is null) return;
        var now = Clock.UtcNow;
        var when = at is DateTimeOffset due && due < now ? due : now;
        if (when < lastRerouteAt) when = lastRerouteAt;
        lastRerouteAt = when;
        pass = new AllocationPass(this, when);
        try
        {
            PlaceUnassigned(existingData);
            if (existingData) Settle();
        }
        finally { pass = null; }
    }

    /// <summary>
    /// A cluster that has been running a while is as balanced as the balancer makes it: at start, the moves it would
    /// make are made at once (placing copies one by one under awareness leaves a few nodes a few copies apart).
    /// </summary>
    void Settle()
    {
        var mode = Setting("cluster.routing.rebalance.enable").ToLowerInvariant();
        if (mode == "none") return;
        var data = RunningNodes.Where(n => n.State == NodeState.Joined && n.IsDataNode).ToList();
        var load = data.ToDictionary(n => n.Id, _ => 0);
        foreach (var c in AllCopies)
            if (c.NodeId != null && load.ContainsKey(c.NodeId)) load[c.NodeId]++;
        while (FindMove(data, load, mode) is var (copy, target))
        {
            load[copy.NodeId!]--;
            load[target.Id]++;
            copy.NodeId = target.Id;
        }
    }

    void PlaceUnassigned(bool existingData)
    {
        var now = pass!.Now;
        // Copies per node, counted once and kept as copies are placed: placing n copies stays linear.
        var perNode = CopiesPerNode(c => c.NodeId);
        var running = RunningNodes.ToList();
        // The node the balancer prefers that the deciders allow: the one with the copy's data, then the emptiest.
        var limit = int.Parse(Setting("cluster.routing.allocation.node_concurrent_recoveries"));
        EmulatedNode? PickNode(ShardCopy copy)
        {
            var others = OtherCopies(copy);
            // Only the nodes the deciders could say yes to (the same answer, sooner: 500 copies waiting on 200 nodes):
            // a delayed copy waits for its own node; a replica does not go to a node at its recovery limit.
            var delayed = copy.IsDelayed(now);
            return running.Where(n => (!delayed || n.Id == copy.LastNodeId) && (copy.Primary || IncomingRecoveries(n) < limit))
                .OrderByDescending(n => n.Id == copy.LastNodeId)
                .ThenBy(n => perNode.GetValueOrDefault(n.Id))
                .ThenBy(n => n.Name, StringComparer.Ordinal)
                .FirstOrDefault(n => Decide(copy, n, false, others) is null);
        }
        void Place(ShardCopy copy, EmulatedNode target, DateTimeOffset readyAt, string recoveryType, string? source, long bytes)
        {
            Assign(copy, target, now, readyAt, recoveryType, source, bytes);
            perNode[target.Id] = perNode.GetValueOrDefault(target.Id) + 1;
            if (recoveryType == "peer" && copy.State == ShardState.Initializing)
                pass!.Incoming[target.Id] = pass.Incoming.GetValueOrDefault(target.Id) + 1;
        }
        foreach (var index in indices)
        {
            if (index.Copies.TrueForAll(c => c.State != ShardState.Unassigned)) continue;
            foreach (var group in index.Copies.GroupBy(c => c.Shard).ToList())
            {
                var primary = group.First(c => c.Primary);
                if (primary.State == ShardState.Unassigned)
                {
                    var target = PickNode(primary);
                    if (target != null && index.RestoreSource != null && primary.LastNodeId is null)
                        Place(primary, target, now + RecoveryFixedCost + TimeSpan.FromSeconds(index.ShardSizeBytes / (double)Math.Max(1, Spec.SnapshotBytesPerSecond)),
                            "snapshot", null, index.ShardSizeBytes);
                    else if (target != null)
                        Place(primary, target, existingData ? now : now + TimeSpan.FromSeconds(1),
                            primary.LastNodeId is null ? "empty_store" : "existing_store", null, 0);
                }
                if (!primary.IsActive) continue;
                foreach (var replica in group.Where(c => !c.Primary && c.State == ShardState.Unassigned).ToList())
                {
                    var target = PickNode(replica);
                    if (target is null) continue;
                    // Data may exist on a node: the replica allocator fetches shard-store metadata first (§13).
                    if (!existingData && replica.LastNodeId != null && !replica.Fetched && Spec.ShardFetchTime > TimeSpan.Zero)
                    {
                        if (replica.FetchingUntil is null)
                        {
                            replica.FetchStartedAt = now;
                            replica.FetchingUntil = now + Spec.ShardFetchTime;
                        }
                        continue;
                    }
                    var returning = target.Id == replica.LastNodeId;
                    // A crashed node's copies were not flushed: they come back by copying files, as a new copy would.
                    var bytes = returning && index.FlushedSinceLastWrite && !replica.Unclean ? 0 : index.ShardSizeBytes;
                    Place(replica, target, existingData ? now : now + RecoveryFixedCost, "peer", primary.NodeId, bytes);
                }
            }
        }
        if (existingData) return;
        Rebalance(now);
        ShareBandwidth(now);
    }

    /// <summary>How many copies each node holds (by <paramref name="at"/>): one pass, one lookup a copy (100,000 of them in scale mode).</summary>
    Dictionary<string, int> CopiesPerNode(Func<ShardCopy, string?> at)
    {
        var counts = new Dictionary<string, int>(nodes.Count, StringComparer.Ordinal);
        foreach (var index in indices)
            foreach (var c in index.Copies)
                if (at(c) is string id)
                    System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, id, out _)++;
        return counts;
    }

    /// <summary>Peer recoveries running into the node: copies initializing there from a peer and relocations arriving.</summary>
    int IncomingRecoveries(EmulatedNode node) => pass?.Incoming.GetValueOrDefault(node.Id) ??
        AllCopies.Count(c => (c.State == ShardState.Initializing && c.NodeId == node.Id && c.RecoveryType == "peer") || c.RelocatingNodeId == node.Id);

    /// <summary>
    /// indices.recovery.max_bytes_per_sec as the cluster has it (a dynamic setting: a change applies to the recoveries
    /// running); unset, the spec's rate (40mb, Elasticsearch's default).
    /// </summary>
    long RecoveryBytesPerSecond =>
        (Transient.TryGetValue("indices.recovery.max_bytes_per_sec", out var t) ? t : Persistent.GetValueOrDefault("indices.recovery.max_bytes_per_sec")) is string text
        && ByteSize.TryParse(text) is long bytes ? (long)(bytes / recoverySlowdown) : (long)(Spec.RecoveryBytesPerSecond / recoverySlowdown);

    /// <summary>The part of a peer recovery that does not depend on its size: the handshake, the translog phase.</summary>
    TimeSpan RecoveryFixedCost => TimeSpan.FromSeconds(recoverySlowdown);

    /// <summary>
    /// indices.recovery.max_bytes_per_sec limits each node, inbound and outbound (RecoverySettings' rate limiter
    /// is per node): the file copies running through a node share its bandwidth, each getting the share of the
    /// busier of its two ends. Called whenever recoveries start or end: progress so far is booked at the old
    /// rate, and each copy's end is recomputed at the new one.
    /// </summary>
    void ShareBandwidth(DateTimeOffset now)
    {
        var copying = AllCopies.Where(c => c.IsCopyingFiles).ToList();
        if (copying.Count == 0) return;
        var inbound = copying.GroupBy(c => c.RelocatingNodeId ?? c.NodeId).ToDictionary(g => g.Key!, g => g.Count());
        var outbound = copying.GroupBy(c => c.RecoverySourceNodeId ?? "").ToDictionary(g => g.Key, g => g.Count());
        foreach (var c in copying)
        {
            c.BytesLeft = Math.Max(0, c.BytesLeft - c.Rate * Math.Max(0, (now - c.ProgressAt).TotalSeconds));
            c.ProgressAt = now;
            var sharing = Math.Max(inbound[(c.RelocatingNodeId ?? c.NodeId)!], outbound[c.RecoverySourceNodeId ?? ""]);
            c.Rate = (double)Math.Max(1, RecoveryBytesPerSecond) / sharing;
            var fixedLeft = c.RecoveryStartedAt + RecoveryFixedCost - now;
            c.ReadyAt = now + (fixedLeft > TimeSpan.Zero ? fixedLeft : TimeSpan.Zero) + TimeSpan.FromSeconds(c.BytesLeft / c.Rate);
        }
    }

    /// <summary>
    /// The balancer (BalancedShardsAllocator, simplified to shard counts): when rebalancing is allowed —
    /// cluster.routing.rebalance.enable (all, primaries, replicas, none) and allow_rebalance (by default only
    /// when every copy is active) — and fewer than cluster_concurrent_rebalance (2) copies are moving, a started
    /// copy moves from the fullest node to one holding at least two fewer copies that the deciders accept. The
    /// copy stays RELOCATING on its source, serving, until the target has recovered it.
    /// </summary>
    void Rebalance(DateTimeOffset now)
    {
        var data = RunningNodes.Where(n => n.State == NodeState.Joined && n.IsDataNode).ToList();
        // moveShards first: a copy the filters no longer let stay (exclude._name and friends) moves off, whatever the balance.
        var excluded = nodes.Where(n => ExcludedBy(n) != null).Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var copy in excluded.Count == 0 ? new List<ShardCopy>() : AllCopies.Where(c => c.State == ShardState.Started && excluded.Contains(c.NodeId!)).ToList())
            if (data.FirstOrDefault(n => Decide(copy, n, moving: true) is null) is EmulatedNode away)
                StartRelocation(copy, away, now);
        var mode = Setting("cluster.routing.rebalance.enable").ToLowerInvariant();
        if (mode == "none") return;
        var allow = Setting("cluster.routing.allocation.allow_rebalance").ToLowerInvariant();
        if (allow != "always" && AllCopies.Any(c => (c.Primary || allow == "indices_all_active") && c.State is ShardState.Unassigned or ShardState.Initializing))
            return;
        var moving = AllCopies.Count(c => c.State == ShardState.Relocating);
        var limit = int.TryParse(Setting("cluster.routing.allocation.cluster_concurrent_rebalance"), out var l) ? l : 2;
        while (moving < limit)
        {
            // A relocating copy counts where it is going.
            var counted = CopiesPerNode(c => c.RelocatingNodeId ?? c.NodeId);
            var load = data.ToDictionary(n => n.Id, n => counted.GetValueOrDefault(n.Id));
            var move = FindMove(data, load, mode);
            if (move is null) return;
            StartRelocation(move.Value.Copy, move.Value.Target, now);
            moving++;
        }
    }

    /// <summary>
    /// The first started copy on the fullest node that may move to a node holding at least two fewer copies, trying the
    /// emptiest targets first; null when no node is that far from another (checked before any copy is looked at).
    /// </summary>
    (ShardCopy Copy, EmulatedNode Target)? FindMove(List<EmulatedNode> data, Dictionary<string, int> load, string mode)
    {
        var targets = data.OrderBy(n => load[n.Id]).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
        if (targets.Count == 0 || data.Max(n => load[n.Id]) - load[targets[0].Id] <= 1) return null;
        foreach (var source in data.OrderByDescending(n => load[n.Id]).ThenBy(n => n.Name, StringComparer.Ordinal))
        {
            if (load[source.Id] - load[targets[0].Id] <= 1) return null;
            // The source's copies read as they are needed: the fullest node usually has one to give.
            foreach (var copy in AllCopies.Where(c => c.NodeId == source.Id && c.State == ShardState.Started && (mode == "all" || (mode == "primaries") == c.Primary)))
            {
                var others = OtherCopies(copy);
                foreach (var target in targets)
                {
                    if (load[source.Id] - load[target.Id] <= 1) break;
                    if (Decide(copy, target, true, others) is null) return (copy, target);
                }
            }
        }
        return null;
    }

    void StartRelocation(ShardCopy copy, EmulatedNode target, DateTimeOffset now)
    {
        copy.State = ShardState.Relocating;
        copy.RelocatingNodeId = target.Id;
        if (pass != null) pass.Incoming[target.Id] = pass.Incoming.GetValueOrDefault(target.Id) + 1;
        BeginRecovery(copy, now, now + RecoveryFixedCost, "peer", copy.NodeId, copy.Index.ShardSizeBytes);
    }

    /// <summary>A recovery's bookkeeping as it starts; <see cref="ShareBandwidth"/> sets the end of a file copy.</summary>
    static void BeginRecovery(ShardCopy copy, DateTimeOffset now, DateTimeOffset readyAt, string recoveryType, string? source, long bytes)
    {
        copy.RecoveryStartedAt = now;
        copy.ReadyAt = readyAt;
        copy.RecoveryType = recoveryType;
        copy.RecoverySourceNodeId = source;
        copy.RecoveryBytes = bytes;
        copy.BytesLeft = bytes;
        copy.Rate = 0;
        copy.ProgressAt = now;
    }

    /// <summary>A relocation ends: the copy is STARTED on its target.</summary>
    static void FinishRelocation(ShardCopy copy)
    {
        copy.NodeId = copy.RelocatingNodeId;
        copy.RelocatingNodeId = null;
        copy.State = ShardState.Started;
    }

    /// <summary>Either end of a relocation left: without its source the copy is lost like any other; without its target the move is cancelled.</summary>
    static void CancelRelocation(ShardCopy copy)
    {
        copy.RelocatingNodeId = null;
        copy.State = ShardState.Started;
    }

    void Assign(ShardCopy copy, EmulatedNode node, DateTimeOffset now, DateTimeOffset readyAt, string recoveryType, string? source, long bytes)
    {
        copy.NodeId = node.Id;
        copy.State = readyAt <= now ? ShardState.Started : ShardState.Initializing;
        BeginRecovery(copy, now, readyAt, recoveryType, source, bytes);
        copy.UnassignedReason = null;
        copy.DelayedUntil = null;
        copy.FetchingUntil = null;
        copy.Fetched = false;
        copy.Unclean = false;
    }
}
