using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Allocation
{
    public enum AllocationMode { All, Primaries, NewPrimaries, None }

    /// <summary>cluster.routing.allocation.enable as set in each scope; null means not set there.</summary>
    public sealed class AllocationSetting
    {
        public AllocationSetting(string? persistent, string? transient)
        {
            Persistent = persistent;
            Transient = transient;
        }

        public string? Persistent { get; }
        public string? Transient { get; }
        /// <summary>What the cluster does: transient over persistent over the default, all.</summary>
        public string Effective => Transient ?? Persistent ?? "all";
        public override string ToString() => $"persistent={Persistent ?? "(unset)"}, transient={Transient ?? "(unset)"}";
    }

    /// <summary>What Disable-EsShardAllocation did and what it found before.</summary>
    public sealed class AllocationChange
    {
        public EsConnection Connection { get; internal set; } = null!;
        public string Setting => Key;
        public AllocationSetting Previous { get; internal set; } = null!;
        public string Applied { get; internal set; } = "";
        public bool Persistent { get; internal set; }
        internal const string Key = "cluster.routing.allocation.enable";
    }

    /// <summary>Cluster-wide operations of an upgrade: shard allocation, flush, ML upgrade mode.</summary>
    public static class ClusterOperations
    {
        const string Key = AllocationChange.Key;

        public static string ModeValue(AllocationMode mode) => mode switch
        {
            AllocationMode.Primaries => "primaries",
            AllocationMode.NewPrimaries => "new_primaries",
            AllocationMode.None => "none",
            _ => "all",
        };

        public static async Task<AllocationSetting> GetAllocationAsync(EsApi api, CancellationToken ct)
        {
            var body = await api.GetJsonAsync(EsRequest.Get("/_cluster/settings?flat_settings=true"), ct).ConfigureAwait(false);
            return new AllocationSetting(body.Prop("persistent")?.Str(Key), body.Prop("transient")?.Str(Key));
        }

        /// <summary>Sets allocation to <paramref name="mode"/> and returns what was there before, so it can be put back.</summary>
        public static async Task<AllocationChange> DisableAllocationAsync(EsApi api, AllocationMode mode, bool persistent, CancellationToken ct)
        {
            var previous = await GetAllocationAsync(api, ct).ConfigureAwait(false);
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
        public static async Task RestoreAllocationAsync(EsApi api, AllocationSetting previous, CancellationToken ct)
        {
            var body = $"{{\"persistent\":{{\"{Key}\":{JsonString(previous.Persistent)}}},\"transient\":{{\"{Key}\":{JsonString(previous.Transient)}}}}}";
            await api.SendAsync(new EsRequest("PUT", "/_cluster/settings", body), ct).ConfigureAwait(false);
            api.Log.Verbose($"[{api.Connection.Name}] shard allocation restored: {previous}");
        }

        static Task PutAsync(EsApi api, string scope, string jsonValue, CancellationToken ct) =>
            api.SendAsync(new EsRequest("PUT", "/_cluster/settings", $"{{\"{scope}\":{{\"{Key}\":{jsonValue}}}}}"), ct);

        static string JsonString(string? value) => value is null ? "null" : JsonSerializer.Serialize(value);

        /// <summary>POST _flush (or {index}/_flush); with <paramref name="synced"/> on 7.x, the deprecated synced flush.</summary>
        public static async Task<FlushResult> FlushAsync(EsApi api, string? index, bool synced, CancellationToken ct)
        {
            if (synced && api.Connection.MajorVersion >= 8)
                throw new EsException(EsErrorKind.InvalidArgument, "SyncedFlushRemoved", "Synced flush was removed in Elasticsearch 8.0; a normal flush does the same job.", api.Connection.Name);
            var path = (string.IsNullOrEmpty(index) ? "" : "/" + Uri.EscapeDataString(index)) + (synced ? "/_flush/synced" : "/_flush");
            var body = await api.GetJsonAsync(new EsRequest("POST", path), ct, 409).ConfigureAwait(false);
            var shards = body.Prop("_shards");
            return new FlushResult
            {
                Connection = api.Connection,
                Index = index ?? "_all",
                Synced = synced,
                Total = shards?.Int("total") ?? 0,
                Successful = shards?.Int("successful") ?? 0,
                Failed = shards?.Int("failed") ?? 0,
            };
        }

        public static async Task SetMlUpgradeModeAsync(EsApi api, bool enabled, CancellationToken ct)
        {
            await api.SendAsync(new EsRequest("POST", "/_ml/set_upgrade_mode?enabled=" + (enabled ? "true" : "false") + "&timeout=10m", null, TimeSpan.FromMinutes(11)), ct).ConfigureAwait(false);
            api.Log.Verbose($"[{api.Connection.Name}] ML upgrade mode {(enabled ? "on" : "off")}");
        }

        public static async Task<bool> GetMlUpgradeModeAsync(EsApi api, CancellationToken ct)
        {
            var info = await api.GetJsonAsync(EsRequest.Get("/_ml/info"), ct).ConfigureAwait(false);
            return info.Bool("upgrade_mode");
        }
    }

    public sealed class FlushResult
    {
        public EsConnection Connection { get; internal set; } = null!;
        public string Index { get; internal set; } = "";
        public bool Synced { get; internal set; }
        public int Total { get; internal set; }
        public int Successful { get; internal set; }
        public int Failed { get; internal set; }
    }
}
