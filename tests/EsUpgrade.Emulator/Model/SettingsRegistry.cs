namespace EsUpgrade.Emulator.Model;

/// <summary>
/// The dynamic cluster settings the emulator knows, with their defaults and validation. A key that is
/// not here is answered as Elasticsearch answers an unknown key (BEHAVIOUR.md §11).
/// </summary>
public static class SettingsRegistry
{
    static readonly Dictionary<string, string> Defaults = new(StringComparer.Ordinal)
    {
        ["cluster.routing.allocation.enable"] = "all",
        ["cluster.routing.rebalance.enable"] = "all",
        ["cluster.routing.allocation.node_concurrent_recoveries"] = "2",
        ["cluster.routing.allocation.allow_rebalance"] = "indices_all_active",
        ["cluster.routing.allocation.cluster_concurrent_rebalance"] = "2",
        ["cluster.routing.allocation.disk.threshold_enabled"] = "true",
        ["cluster.routing.allocation.disk.watermark.low"] = "85%",
        ["cluster.routing.allocation.disk.watermark.high"] = "90%",
        ["cluster.routing.allocation.disk.watermark.flood_stage"] = "95%",
        ["cluster.routing.allocation.exclude._name"] = "",
        ["cluster.routing.allocation.exclude._id"] = "",
        ["cluster.routing.allocation.exclude._ip"] = "",
        // AwarenessAllocationDecider: the attributes copies are spread over; force.<attribute>.values below.
        ["cluster.routing.allocation.awareness.attributes"] = "",
        ["cluster.max_shards_per_node"] = "1000",
        ["indices.recovery.max_bytes_per_sec"] = "40mb",
        ["action.destructive_requires_name"] = "false",
        ["xpack.monitoring.collection.enabled"] = "false",
        ["cluster.indices.close.enable"] = "true",
        ["search.default_search_timeout"] = "-1",
        ["indices.lifecycle.poll_interval"] = "10m",
        // true from 7.16 (#78991), and in 8.x (BEHAVIOUR-ASSESS.md §4).
        ["cluster.deprecation_indexing.enabled"] = "true",
        ["logger.deprecation"] = "WARN",
    };

    /// <summary>Settings one major has and the other has not, or with another default (BEHAVIOUR-ASSESS.md §5, §7).</summary>
    static readonly Dictionary<string, string> Only7 = new(StringComparer.Ordinal)
    {
        ["cluster.routing.allocation.disk.include_relocations"] = "true",
        ["cluster.routing.allocation.disk.watermark.enable_for_single_data_node"] = "false",
    };

    static readonly Dictionary<string, string> Only8 = new(StringComparer.Ordinal)
    {
        ["cluster.routing.allocation.disk.watermark.enable_for_single_data_node"] = "true",
    };

    static readonly string[] AllocationModes = { "all", "primaries", "new_primaries", "none" };
    static readonly string[] RebalanceModes = { "all", "primaries", "replicas", "none" };

    /// <summary>The defaults of a major version (built once: the deciders read them for every copy and node).</summary>
    public static IReadOnlyDictionary<string, string> DefaultValues(int major) => major >= 8 ? Defaults8 : Defaults7;

    static readonly Dictionary<string, string> Defaults7 = Merge(Only7), Defaults8 = Merge(Only8);

    static Dictionary<string, string> Merge(Dictionary<string, string> only)
    {
        var all = new Dictionary<string, string>(Defaults, StringComparer.Ordinal);
        foreach (var (k, v) in only) all[k] = v;
        return all;
    }

    public static bool IsKnown(string key, int major) =>
        Defaults.ContainsKey(key) || (major >= 8 ? Only8 : Only7).ContainsKey(key) || key.StartsWith("logger.", StringComparison.Ordinal)
        || key.StartsWith("cluster.metadata.", StringComparison.Ordinal)    // user metadata: any key under it
        || key.StartsWith(ForcedAwarenessPrefix, StringComparison.Ordinal);

    /// <summary>cluster.routing.allocation.awareness.force.&lt;attribute&gt;.values: the values a zone attribute has even when no node has them now.</summary>
    public const string ForcedAwarenessPrefix = "cluster.routing.allocation.awareness.force.";

    /// <summary>A setting the older major knew and this one removed: a restored global state keeps it as archived.*.</summary>
    public static bool IsRemoved(string key, int major) => major >= 8 && Only7.ContainsKey(key) && !Only8.ContainsKey(key);

    /// <summary>Throws the 400 Elasticsearch gives for an unknown key or a bad value.</summary>
    public static void Validate(string scope, string key, string? value, int major)
    {
        if (!IsKnown(key, major))
            throw EsError.IllegalArgument($"{scope} setting [{key}], not recognized");
        // AwarenessAllocationDecider.validateForceAwarenessSettings: only <attribute>.values under the group.
        if (key.StartsWith(ForcedAwarenessPrefix, StringComparison.Ordinal) && key[ForcedAwarenessPrefix.Length..].Split('.') is var parts && (parts.Length != 2 || parts[1] != "values"))
            throw EsError.IllegalArgument($"invalid forced awareness setting [{key}]");
        if (value is null) return;
        if (major >= 8 && key == "cluster.routing.allocation.disk.watermark.enable_for_single_data_node" && value != "true")
            throw EsError.IllegalArgument($"setting [{key}=false] is not allowed, only true is valid");
        if (key == "cluster.routing.allocation.enable" && !AllocationModes.Contains(value.ToLowerInvariant()))
            throw EsError.IllegalArgument($"Illegal allocation.enable value [{value.ToUpperInvariant()}]");
        // Rebalance.parse mirrors Allocation.parse with its own values (EnableAllocationDecider).
        if (key == "cluster.routing.rebalance.enable" && !RebalanceModes.Contains(value.ToLowerInvariant()))
            throw EsError.IllegalArgument($"Illegal rebalance.enable value [{value.ToUpperInvariant()}]");
        if (key == "action.destructive_requires_name" && !bool.TryParse(value, out _))
            throw EsError.IllegalArgument($"Failed to parse value [{value}] as only [true] or [false] are allowed.");
    }
}
