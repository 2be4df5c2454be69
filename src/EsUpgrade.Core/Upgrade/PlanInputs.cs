using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Indices;
using EsUpgrade.Wire;

namespace EsUpgrade.Upgrade;

/// <summary>
/// What batching and the duration estimate read of the cluster, read once for both: every shard copy (14 MB of
/// _cat/shards at 100,000 copies) and the cluster settings with their defaults.
/// </summary>
public sealed class PlanInputs
{
    PlanInputs(IReadOnlyList<EsShard> shards, JsonElement settings)
    {
        Shards = shards;
        Settings = settings;
    }

    public IReadOnlyList<EsShard> Shards { get; }
    /// <summary>GET _cluster/settings?flat_settings=true&amp;include_defaults=true.</summary>
    public JsonElement Settings { get; }

    public static async Task<PlanInputs> ReadAsync(EsApi api, CancellationToken ct)
    {
        var shards = await IndexReader.GetShardsAsync(api, null, ct).ConfigureAwait(false);
        var settings = await api.GetJsonAsync(EsRequest.Get("/_cluster/settings?flat_settings=true&include_defaults=true"), ct).ConfigureAwait(false);
        return new PlanInputs(shards, settings);
    }
}
