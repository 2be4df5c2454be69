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
        ["cluster.max_shards_per_node"] = "1000",
        ["indices.recovery.max_bytes_per_sec"] = "40mb",
        ["action.destructive_requires_name"] = "false",
        ["xpack.monitoring.collection.enabled"] = "false",
        ["cluster.indices.close.enable"] = "true",
        ["search.default_search_timeout"] = "-1",
    };

    static readonly string[] AllocationModes = { "all", "primaries", "new_primaries", "none" };
    static readonly string[] RebalanceModes = { "all", "primaries", "replicas", "none" };

    public static IReadOnlyDictionary<string, string> DefaultValues => Defaults;

    public static bool IsKnown(string key) => Defaults.ContainsKey(key) || key.StartsWith("logger.", StringComparison.Ordinal);

    /// <summary>Throws the 400 Elasticsearch gives for an unknown key or a bad value.</summary>
    public static void Validate(string scope, string key, string? value)
    {
        if (!IsKnown(key))
            throw EsError.IllegalArgument($"{scope} setting [{key}], not recognized");
        if (value is null) return;
        if (key == "cluster.routing.allocation.enable" && !AllocationModes.Contains(value.ToLowerInvariant()))
            throw EsError.IllegalArgument($"Illegal allocation.enable value [{value.ToUpperInvariant()}]");
        // Rebalance.parse mirrors Allocation.parse with its own values (EnableAllocationDecider).
        if (key == "cluster.routing.rebalance.enable" && !RebalanceModes.Contains(value.ToLowerInvariant()))
            throw EsError.IllegalArgument($"Illegal rebalance.enable value [{value.ToUpperInvariant()}]");
        if (key == "action.destructive_requires_name" && !bool.TryParse(value, out _))
            throw EsError.IllegalArgument($"Failed to parse value [{value}] as only [true] or [false] are allowed.");
    }
}
