using System.Globalization;
using System.Text.Json.Nodes;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

/// <summary>
/// GET/POST {index}/_search. The emulator keeps documents only for the deprecation log data stream: there it answers
/// hits (newest first, size, a range on @timestamp); on other indices it answers the total with no hits.
/// </summary>
public static class SearchHandlers
{
    public static Task<Reply> Search(RestRequest r)
    {
        var target = r.Param("index")!;
        var body = r.JsonBody();
        var size = body?["size"]?.GetValue<int>() ?? (int.TryParse(r.Q("size"), out var qs) ? qs : 10);
        if (size > 10_000)
            throw EsError.IllegalArgument("Result window is too large, from + size must be less than or equal to: [10000] but was [" + size + "]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.");
        if (target.Split(',').Any(t => Wildcard.Matches(t, EmulatedCluster.DeprecationDataStream)))
            return Task.FromResult(Reply.Ok(DeprecationLog(r, body, size)));
        lock (r.Cluster.Sync)
        {
            var indices = IndexExpression.Resolve(r.Cluster, target, expand: r.Expand(Expand.Open));
            return Task.FromResult(Reply.Ok(Result(indices.Sum(i => i.NumberOfShards), indices.Sum(i => i.Documents), new List<object?>())));
        }
    }

    static Dictionary<string, object?> DeprecationLog(RestRequest r, JsonObject? body, int size)
    {
        var entries = r.Cluster.DeprecationLog;
        if (entries.Count == 0) throw EsError.IndexNotFound(EmulatedCluster.DeprecationDataStream);
        var gte = body?["query"]?["range"]?["@timestamp"]?["gte"];
        DateTimeOffset? from = gte is null ? null
            : gte.GetValueKind() == System.Text.Json.JsonValueKind.Number ? DateTimeOffset.FromUnixTimeMilliseconds(gte.GetValue<long>())
            : DateTimeOffset.Parse(gte.GetValue<string>(), CultureInfo.InvariantCulture);
        var matching = entries.Where(e => from is null || e.Timestamp >= from).OrderByDescending(e => e.Timestamp).ToList();
        var backing = $".ds-{EmulatedCluster.DeprecationDataStream}-{entries[0].Timestamp:yyyy.MM.dd}-000001";
        var hits = matching.Take(size).Select((e, n) => (object?)new Dictionary<string, object?>
        {
            ["_index"] = backing,
            ["_id"] = $"dep{e.Timestamp.ToUnixTimeMilliseconds()}{n}",
            ["_score"] = null,
            ["_source"] = new Dictionary<string, object?>
            {
                ["@timestamp"] = e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
                ["log.level"] = e.Level,
                ["log.logger"] = "org.elasticsearch.deprecation.rest.action.document.RestIndexAction",
                ["message"] = e.Message,
                ["event.code"] = e.Key,
                ["event.dataset"] = "deprecation.elasticsearch",
                ["data_stream.type"] = "logs",
                ["data_stream.dataset"] = "deprecation.elasticsearch",
                ["data_stream.namespace"] = "default",
                ["ecs.version"] = "1.7",
                ["elasticsearch.event.category"] = e.Category,
                ["elasticsearch.http.request.x_opaque_id"] = e.OpaqueId,
                ["elasticsearch.elastic_product_origin"] = e.ProductOrigin,
                ["elasticsearch.cluster.name"] = r.Cluster.Name,
                ["elasticsearch.cluster.uuid"] = r.Cluster.Uuid,
                ["elasticsearch.node.id"] = e.NodeId,
                ["elasticsearch.node.name"] = e.NodeName,
                ["service.name"] = "ES_ECS",
            }.Where(p => p.Value != null).ToDictionary(p => p.Key, p => p.Value),
        }).ToList();
        return Result(1, matching.Count, hits);
    }

    static Dictionary<string, object?> Result(int shards, long total, List<object?> hits) => new()
    {
        ["took"] = 1,
        ["timed_out"] = false,
        ["_shards"] = new Dictionary<string, object?> { ["total"] = shards, ["successful"] = shards, ["skipped"] = 0, ["failed"] = 0 },
        ["hits"] = new Dictionary<string, object?>
        {
            ["total"] = new Dictionary<string, object?> { ["value"] = Math.Min(total, 10_000), ["relation"] = total > 10_000 ? "gte" : "eq" },
            ["max_score"] = null,
            ["hits"] = hits,
        },
    };
}
