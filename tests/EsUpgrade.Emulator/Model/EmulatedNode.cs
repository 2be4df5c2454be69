namespace EsUpgrade.Emulator.Model;

/// <summary>
/// Stopped: no process. Booting: starting, not yet in the cluster. Joined: in the cluster. Isolated: running
/// but refused by the cluster (its HTTP port answers, master-routed calls get 503). Crashed: the process is
/// gone but the cluster still lists the node until the follower checks give up (<see cref="ClusterSpec.FollowerCheckTimeout"/>).
/// </summary>
public enum NodeState { Stopped, Booting, Joined, Isolated, Crashed }

public sealed class EmulatedNode
{
    public EmulatedNode(NodeSpec spec, string id)
    {
        Name = spec.Name;
        Id = id;
        Profile = new VersionProfile(spec.Version);
        DataVersion = Profile;
        Roles = spec.Roles.OrderBy(r => r, StringComparer.Ordinal).ToList();
        Port = spec.Port;
        Attributes = new Dictionary<string, string>(spec.Attributes);
        Plugins = spec.Plugins.ToList();
        ConfigYaml = spec.ConfigYaml;
    }

    public string Name { get; }
    /// <summary>Persistent node id (22 chars, like Elasticsearch's); it survives restarts and upgrades.</summary>
    public string Id { get; }
    public VersionProfile Profile { get; set; }
    /// <summary>The version that last wrote this node's data path.</summary>
    public VersionProfile DataVersion { get; set; }
    public IReadOnlyList<string> Roles { get; }
    public int Port { get; set; }
    public NodeState State { get; set; } = NodeState.Joined;
    public DateTimeOffset JoinAt { get; set; }
    /// <summary>In the cluster as the master sees it (a crashed node stays listed until the follower checks give up).</summary>
    public bool Running => State is NodeState.Joined or NodeState.Crashed;
    /// <summary>When a crashed node is removed from the cluster (emulated time).</summary>
    public DateTimeOffset LeavesAt { get; set; }
    public bool ProcessUp => State is NodeState.Joined or NodeState.Isolated;
    public Dictionary<string, string> Attributes { get; }
    public List<string> Plugins { get; }
    public string ConfigYaml { get; set; }
    /// <summary>How full the node's data path is, in percent: the disk deciders read it against the watermarks.</summary>
    public double DiskUsedPercent { get; set; } = 40;
    /// <summary>How many more recoveries into this node fail (a bad disk, a corrupt copy): each is a failed allocation.</summary>
    public int FailingRecoveries { get; set; }
    /// <summary>What the node wrote to its log: start-up failures and join refusals.</summary>
    public List<string> Log { get; } = new();
    public int Restarts { get; set; }
    /// <summary>HTTP clients by connection (_nodes/stats/http, 7.13+); tests may add clients of their own.</summary>
    public Dictionary<string, HttpClientStats> HttpClients { get; } = new(StringComparer.Ordinal);
    /// <summary>The data path's size: 100 GiB unless a test says otherwise.</summary>
    public long DiskTotalBytes { get; set; } = 100L * 1024 * 1024 * 1024;

    /// <summary>Counts a request against its connection's client stats.</summary>
    public void TrackClient(string connection, Func<HttpClientStats> open, string uri, long bodyBytes, long nowMillis)
    {
        lock (HttpClients)
        {
            if (!HttpClients.TryGetValue(connection, out var client)) HttpClients[connection] = client = open();
            client.LastUri = uri;
            client.LastRequestMillis = nowMillis;
            client.RequestCount++;
            client.RequestSizeBytes += bodyBytes;
        }
    }

    public bool IsMasterEligible => Roles.Contains("master");
    public bool IsDataNode => Roles.Any(r => r == "data" || r.StartsWith("data_", StringComparison.Ordinal));
    public bool HoldsTier(string tier) => Roles.Contains(tier) || Roles.Contains("data");
    public string Ip => "127.0.0.1";
    public string HttpAddress => $"127.0.0.1:{Port}";
    public string TransportAddress => $"127.0.0.1:{9300 + Math.Abs(StringComparer.Ordinal.GetHashCode(Name)) % 500}";

    /// <summary>The letters of _cat/nodes' node.role column.</summary>
    public string RoleLetters
    {
        get
        {
            var letters = Roles.Select(r => r switch
            {
                "data_cold" => 'c', "data" => 'd', "data_frozen" => 'f', "data_hot" => 'h', "ingest" => 'i',
                "ml" => 'l', "master" => 'm', "remote_cluster_client" => 'r', "data_content" => 's',
                "transform" => 't', "voting_only" => 'v', "data_warm" => 'w', _ => '?',
            }).Where(c => c != '?').OrderBy(c => c).ToArray();
            return letters.Length == 0 ? "-" : new string(letters);
        }
    }
}
