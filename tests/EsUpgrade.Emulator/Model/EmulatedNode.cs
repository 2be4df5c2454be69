namespace EsUpgrade.Emulator.Model;

public sealed class EmulatedNode
{
    public EmulatedNode(NodeSpec spec, string id)
    {
        Name = spec.Name;
        Id = id;
        Profile = new VersionProfile(spec.Version);
        Roles = spec.Roles.OrderBy(r => r, StringComparer.Ordinal).ToList();
        Port = spec.Port;
        Attributes = new Dictionary<string, string>(spec.Attributes);
        Plugins = spec.Plugins.ToList();
    }

    public string Name { get; }
    /// <summary>Persistent node id (22 chars, like Elasticsearch's).</summary>
    public string Id { get; }
    public VersionProfile Profile { get; set; }
    public IReadOnlyList<string> Roles { get; }
    public int Port { get; set; }
    public bool Running { get; set; } = true;
    public Dictionary<string, string> Attributes { get; }
    public List<string> Plugins { get; }

    public bool IsMasterEligible => Roles.Contains("master");
    public bool IsDataNode => Roles.Any(r => r == "data" || r.StartsWith("data_", StringComparison.Ordinal));
    public string Ip => "127.0.0.1";
    public string HttpAddress => $"127.0.0.1:{Port}";
    public string TransportAddress => $"127.0.0.1:{9300 + Math.Abs(Name.GetHashCode()) % 500}";

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
