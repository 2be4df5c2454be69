namespace EsUpgrade.Emulator.Model;

/// <summary>What goes wrong inside a cluster: the faults a test switches on (control port), each as Elasticsearch lives it.</summary>
public sealed partial class EmulatedCluster
{
    /// <summary>How a node's next start goes wrong.</summary>
    public enum StartFault { None, Refuse, NeverJoin, OtherVersion }

    readonly Dictionary<string, (StartFault Fault, string? Version)> startFaults = new(StringComparer.Ordinal);

    /// <summary>The node's next start goes wrong: refused at boot, up but never joining, or up at <paramref name="version"/>.</summary>
    public void FailNextStart(string nodeName, StartFault fault, string? version = null)
    {
        lock (Sync)
        {
            Node(nodeName);
            if (fault == StartFault.OtherVersion && version is null) throw EsError.IllegalArgument("a start at another version needs the version");
            startFaults[nodeName] = (fault, version);
        }
    }

    /// <summary>Takes the start fault set for the node, if any.</summary>
    (StartFault Fault, string? Version) TakeStartFault(string nodeName)
    {
        if (!startFaults.Remove(nodeName, out var fault)) return (StartFault.None, null);
        return fault;
    }

    /// <summary>
    /// The elected master is lost (a long GC, a network partition): no master for <paramref name="duration"/>, then an
    /// election. Master-routed calls meanwhile wait their master_timeout and answer 503 master_not_discovered_exception.
    /// </summary>
    public void LoseMaster(TimeSpan duration)
    {
        lock (Sync)
        {
            masterId = null;
            electionStartedAt = Clock.UtcNow;
            electionDueAt = Clock.UtcNow + duration;
            Signal();
        }
    }

    /// <summary>
    /// A shard's every copy is lost (the disks of the nodes that held it): the primary cannot be allocated, the cluster
    /// is red until the index is restored or deleted.
    /// </summary>
    public void LosePrimary(string indexName, int shard)
    {
        lock (Sync)
        {
            var index = indices.FirstOrDefault(i => i.Name == indexName) ?? throw EsError.IndexNotFound(indexName);
            foreach (var copy in index.Copies.Where(c => c.Shard == shard))
            {
                if (copy.State != ShardState.Unassigned) Unassign(copy, "NODE_LEFT", TimeSpan.Zero);
                copy.LastNodeId = LostData;
            }
            Signal();
        }
    }

    /// <summary>The id of the node a lost copy's data was last on: no node has it.</summary>
    const string LostData = "(data lost)";

    /// <summary>Recoveries take this many times longer than usual (a slow disk, a saturated network): 1 is normal.</summary>
    public double RecoverySlowdown
    {
        get { lock (Sync) return recoverySlowdown; }
        set
        {
            lock (Sync)
            {
                if (value < 1) throw EsError.IllegalArgument("the slowdown is a factor of 1 or more");
                recoverySlowdown = value;
                ShareBandwidth(Clock.UtcNow);
                Signal();
            }
        }
    }

    double recoverySlowdown = 1;
}
