using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Allocation;

/// <summary>cluster.routing.allocation.enable: read it, set it (remembering what was there), put it back.</summary>
public static class ShardAllocation
{
    const string Key = AllocationChange.Key;

    public static string ModeValue(AllocationMode mode) => mode switch
    {
        AllocationMode.Primaries => "primaries",
        AllocationMode.NewPrimaries => "new_primaries",
        AllocationMode.None => "none",
        _ => "all",
    };

    public static async Task<AllocationSetting> GetAsync(EsApi api, CancellationToken ct)
    {
        var body = await api.GetJsonAsync(EsRequest.Get("/_cluster/settings?flat_settings=true"), ct).ConfigureAwait(false);
        return new AllocationSetting(body.Prop("persistent")?.Str(Key), body.Prop("transient")?.Str(Key));
    }

    /// <summary>Sets allocation to <paramref name="mode"/> and returns what was there before, so it can be put back.</summary>
    public static async Task<AllocationChange> DisableAsync(EsApi api, AllocationMode mode, bool persistent, CancellationToken ct)
    {
        var previous = await GetAsync(api, ct).ConfigureAwait(false);
        var value = ModeValue(mode);
        // A transient value wins over a persistent one: writing only the persistent one would change nothing.
        var scope = persistent && previous.Transient is null ? "persistent" : "transient";
        if (persistent && previous.Transient != null)
            api.Log.Warning($"[{api.Connection.Name}] {Key} is set transiently ({previous.Transient}), which overrides persistent settings: changing the transient value.");
        await PutAsync(api, scope, JsonString(value), ct).ConfigureAwait(false);
        api.Log.Verbose($"[{api.Connection.Name}] shard allocation {previous.Effective} -> {value} ({scope})");
        return new AllocationChange { Connection = api.Connection, Previous = previous, Applied = value, Persistent = scope == "persistent" };
    }

    /// <summary>Puts both scopes back to what they were (null removes the setting).</summary>
    public static async Task RestoreAsync(EsApi api, AllocationSetting previous, CancellationToken ct)
    {
        await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", RestoreBody(previous)), ct).ConfigureAwait(false);
        api.Log.Verbose($"[{api.Connection.Name}] shard allocation restored: {previous}");
    }

    /// <summary>The settings body that puts allocation back as it was: what an admin runs by hand when the run could not.</summary>
    public static string RestoreBody(AllocationSetting previous) =>
        $"{{\"persistent\":{{\"{Key}\":{JsonString(previous.Persistent)}}},\"transient\":{{\"{Key}\":{JsonString(previous.Transient)}}}}}";

    static Task PutAsync(EsApi api, string scope, string jsonValue, CancellationToken ct) =>
        api.SendAsync(new EsRequest("PUT", "/_cluster/settings", $"{{\"{scope}\":{{\"{Key}\":{jsonValue}}}}}"), ct);

    static string JsonString(string? value) => value is null ? "null" : JsonSerializer.Serialize(value);
}
