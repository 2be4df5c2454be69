using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

public static class RootHandlers
{
    /// <summary>GET / — the shape of examples/7.17__info__response.json and 8.x__info__response.json.</summary>
    public static Task<Reply> Info(RestRequest r)
    {
        var p = r.Node.Profile;
        return Task.FromResult(Reply.Ok(new Dictionary<string, object?>
        {
            ["name"] = r.Node.Name,
            ["cluster_name"] = r.Cluster.Name,
            ["cluster_uuid"] = r.Cluster.Uuid,
            ["version"] = new Dictionary<string, object?>
            {
                ["number"] = p.Number,
                ["build_flavor"] = "default",
                ["build_type"] = "zip",
                ["build_hash"] = p.BuildHash,
                ["build_date"] = "2025-01-09T14:09:01.578835424Z",
                ["build_snapshot"] = false,
                ["lucene_version"] = p.LuceneVersion,
                ["minimum_wire_compatibility_version"] = p.MinimumWireCompatibilityVersion,
                ["minimum_index_compatibility_version"] = p.MinimumIndexCompatibilityVersion,
            },
            ["tagline"] = "You Know, for Search",
        }));
    }

    public static Task<Reply> Ping(RestRequest r) => Task.FromResult(Reply.Empty);
}
