using EsUpgrade.Emulator.Http.Handlers;

namespace EsUpgrade.Emulator.Http;

public delegate Task<Reply> Handler(RestRequest request);

/// <summary>
/// A REST route: method, path template with <c>{part}</c> names as in the REST spec, and the spec API
/// it implements. <see cref="Majors"/> limits it to the versions that serve it.
/// </summary>
public sealed record Route(string Method, string Path, string Api, Handler Handler, int[]? Majors = null)
{
    public string[] Segments { get; } = Path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
    public int LiteralCount => Segments.Count(s => !s.StartsWith('{'));
    public bool ServedBy(int major) => Majors is null || Majors.Contains(major);
}

/// <summary>Every route the emulator serves, in one table; the spec test reads it.</summary>
public static class RouteTable
{
    public static IReadOnlyList<Route> All { get; } = new Route[]
    {
        new("GET", "/", "info", RootHandlers.Info),
        new("HEAD", "/", "ping", RootHandlers.Ping),
        new("GET", "/_cluster/health", "cluster.health", ClusterHandlers.Health),
        new("GET", "/_cluster/health/{index}", "cluster.health", ClusterHandlers.Health),
        new("GET", "/_cluster/settings", "cluster.get_settings", ClusterHandlers.GetSettings),
        new("PUT", "/_cluster/settings", "cluster.put_settings", ClusterHandlers.PutSettings),
        new("GET", "/_nodes", "nodes.info", NodesHandlers.Info),
        new("GET", "/_nodes/{node_id}", "nodes.info", NodesHandlers.Info),
        new("GET", "/_nodes/{node_id}/{metric}", "nodes.info", NodesHandlers.Info),
        new("GET", "/_cat/nodes", "cat.nodes", CatHandlers.Nodes),
        new("GET", "/_cat/health", "cat.health", CatHandlers.Health),
        new("GET", "/_cat/master", "cat.master", CatHandlers.Master),
        new("GET", "/_security/_authenticate", "security.authenticate", SecurityHandlers.Authenticate),
        new("POST", "/_security/api_key", "security.create_api_key", SecurityHandlers.CreateApiKey),
        new("PUT", "/_security/api_key", "security.create_api_key", SecurityHandlers.CreateApiKey),
    };

    /// <summary>The route for a request, or why none: (null, allowed methods) for a known path with another method.</summary>
    public static (Route? Route, Dictionary<string, string> Params, IReadOnlyList<string> Allowed) Match(string method, string path, int major)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var matches = new List<(Route Route, Dictionary<string, string> Params)>();
        foreach (var route in All.Where(r => r.ServedBy(major) && r.Segments.Length == segments.Length))
        {
            var ps = new Dictionary<string, string>();
            var ok = true;
            for (var i = 0; i < segments.Length && ok; i++)
            {
                var s = route.Segments[i];
                if (s.StartsWith('{')) ps[s.Trim('{', '}')] = System.Uri.UnescapeDataString(segments[i]);
                else ok = string.Equals(s, segments[i], StringComparison.Ordinal);
            }
            if (ok) matches.Add((route, ps));
        }
        // Elasticsearch's path trie prefers literal segments over wildcards.
        var best = matches.Where(m => m.Route.Method == method).OrderByDescending(m => m.Route.LiteralCount).FirstOrDefault();
        if (best.Route != null) return (best.Route, best.Params, Array.Empty<string>());
        return (null, new(), matches.Select(m => m.Route.Method).Distinct().ToList());
    }
}
