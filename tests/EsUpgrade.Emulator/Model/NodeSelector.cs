namespace EsUpgrade.Emulator.Model;

/// <summary>
/// Node selectors, resolved in order like DiscoveryNodes.resolveNodes: _all, _local, _master, ids,
/// names and wildcards add; <c>role:true</c> adds and <c>role:false</c> removes nodes of that role;
/// <c>attribute:value</c> adds nodes whose attribute matches.
/// </summary>
public static class NodeSelector
{
    static readonly string[] Roles = { "master", "data", "ingest", "ml", "voting_only", "transform", "remote_cluster_client" };

    /// <summary>The running nodes the selector names; all of them when it is empty. Call under the cluster's lock.</summary>
    public static IEnumerable<EmulatedNode> Resolve(EmulatedCluster cluster, EmulatedNode local, string? selector)
    {
        var running = cluster.RunningNodes.ToList();
        if (string.IsNullOrEmpty(selector)) return running;
        var chosen = new List<EmulatedNode>();
        foreach (var part in selector.Split(','))
        {
            var colon = part.IndexOf(':');
            if (part is "_all" or "*") chosen.AddRange(running);
            else if (part == "_local") chosen.Add(local);
            else if (part == "_master") { if (cluster.Master != null) chosen.Add(cluster.Master); }
            else if (colon > 0)
            {
                var (attr, value) = (part[..colon], part[(colon + 1)..]);
                var role = Roles.Contains(attr) || attr.StartsWith("data_", StringComparison.Ordinal) ? attr : null;
                if (role != null && bool.TryParse(value, out var on))
                {
                    if (on) chosen.AddRange(running.Where(n => n.Roles.Contains(role)));
                    else chosen.RemoveAll(n => n.Roles.Contains(role));
                }
                else if (attr == "coordinating_only" && bool.TryParse(value, out var co))
                {
                    if (co) chosen.AddRange(running.Where(n => n.Roles.Count == 0));
                    else chosen.RemoveAll(n => n.Roles.Count == 0);
                }
                else chosen.AddRange(running.Where(n => n.Attributes.TryGetValue(attr, out var v) && Wildcard.Matches(value, v)));
            }
            else chosen.AddRange(running.Where(n => n.Id == part || Wildcard.Matches(part, n.Name) || n.Ip == part));
        }
        return chosen.Distinct();
    }
}
