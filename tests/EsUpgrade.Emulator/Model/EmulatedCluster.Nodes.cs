namespace EsUpgrade.Emulator.Model;

/// <summary>Node lifecycle: stops, starts (with the boot checks), joins behind the version barrier, master elections, shutdown records.</summary>
public sealed partial class EmulatedCluster
{
    readonly Dictionary<string, ShutdownRecord> shutdowns = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, ShutdownRecord> Shutdowns => shutdowns;

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

    /// <summary>Kills a node's process: its port closes at once, the cluster lists it until the follower checks give up.</summary>
    public void CrashNode(string name)
    {
        lock (Sync)
        {
            var node = Node(name);
            if (node.State != NodeState.Joined)
            {
                StopNode(name);
                return;
            }
            node.State = NodeState.Crashed;
            foreach (var copy in AllCopies.Where(c => c.NodeId == node.Id)) copy.Unclean = true;
            node.LeavesAt = Clock.UtcNow + Spec.FollowerCheckTimeout;
            if (Spec.FollowerCheckTimeout <= TimeSpan.Zero) RemoveCrashed(node);
            Signal();
        }
    }

    /// <summary>The follower checks gave up (or the node came back under the same id): the master removes it.</summary>
    void RemoveCrashed(EmulatedNode node)
    {
        node.State = NodeState.Stopped;
        Leave(node);
        TrackBusy(Clock.UtcNow);
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
            // A crashed node's new process: the master drops the old instance when the node comes back.
            if (node.State == NodeState.Crashed) RemoveCrashed(node);
            if (node.State != NodeState.Stopped) return null;
            if (configYaml != null) node.ConfigYaml = configYaml;
            var (fault, faultVersion) = TakeStartFault(name);
            if (fault == StartFault.OtherVersion) version = faultVersion;
            var profile = version is null ? node.Profile : new VersionProfile(version);
            var refusal = fault == StartFault.Refuse
                ? "java.lang.IllegalStateException: failed to obtain node locks, tried [" + (node.ConfigYaml is null ? "data" : "path.data") + "]; maybe these locations are not writable or multiple nodes were started on the same data path?"
                : NodeBoot.Refusal(node, profile, indices);
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
            if (fault == StartFault.NeverJoin)
            {
                // Up, answering its own root, never finding the cluster (a wrong discovery.seed_hosts, a firewall).
                node.State = NodeState.Isolated;
                node.Log.Add("master not discovered yet: have discovered []; discovery will continue using [] from hosts providers");
                Signal();
                return null;
            }
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
        var restarting = shutdowns.TryGetValue(node.Id, out var shutdown) && shutdown.Type == "RESTART";
        foreach (var copy in AllCopies.Where(c => c.RelocatingNodeId == node.Id)) CancelRelocation(copy);
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


    /// <summary>
    /// A master needs a majority of the master-eligible nodes (the voting configuration): without it the
    /// master steps down. With it, a running master stays; otherwise one is elected. An election takes
    /// <see cref="ClusterSpec.ElectionTime"/>: until then master-routed calls wait (up to their master_timeout),
    /// then answer 503. <paramref name="now"/> elects at once (the cluster as it starts).
    /// </summary>
    void Elect(bool now = false)
    {
        var eligible = nodes.Where(n => n.IsMasterEligible).ToList();
        var running = eligible.Where(n => n.Running).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        if (running.Count * 2 <= eligible.Count)
        {
            masterId = null;
            electionDueAt = null;
        }
        else if (Master is null)
        {
            masterId = null;
            if (now || Spec.ElectionTime <= TimeSpan.Zero || electionDueAt <= Clock.UtcNow)
            {
                masterId = running[0].Id;
                electionDueAt = null;
            }
            else if (electionDueAt is null)
            {
                electionStartedAt = Clock.UtcNow;
                electionDueAt = Clock.UtcNow + Spec.ElectionTime;
            }
        }
    }

    DateTimeOffset? electionDueAt;
    DateTimeOffset electionStartedAt;

    /// <summary>PUT _nodes/{id}/shutdown: registers (or replaces) the node's shutdown record.</summary>
    public void PutShutdown(string nodeId, string type, string reason, string? allocationDelayText)
    {
        lock (Sync)
        {
            RequireMaster();
            shutdowns[nodeId] = new ShutdownRecord(nodeId, type, reason, allocationDelayText, Clock.UtcNow.ToUnixTimeMilliseconds());
            Signal();
        }
    }

    /// <summary>DELETE _nodes/{id}/shutdown: false when the node had no record.</summary>
    public bool DeleteShutdown(string nodeId)
    {
        lock (Sync)
        {
            RequireMaster();
            if (!shutdowns.Remove(nodeId)) return false;
            Signal();
            return true;
        }
    }
}
