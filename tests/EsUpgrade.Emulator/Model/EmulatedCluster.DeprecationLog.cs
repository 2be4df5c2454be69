namespace EsUpgrade.Emulator.Model;

/// <summary>One document of the deprecation log data stream (BEHAVIOUR-ASSESS.md §4).</summary>
public sealed record DeprecationLogEntry(DateTimeOffset Timestamp, string Level, string Key, string Message, string Category,
    string? OpaqueId, string ProductOrigin, string NodeId, string NodeName);

/// <summary>
/// The deprecation log: a call to a deprecated route writes an entry to <c>.logs-deprecation.elasticsearch-default</c>
/// while <c>cluster.deprecation_indexing.enabled</c> is true (the default from 7.16). The same key and X-Opaque-Id are
/// logged once until the cache is reset (DeprecationLogger's rate limiting).
/// </summary>
public sealed partial class EmulatedCluster
{
    public const string DeprecationDataStream = ".logs-deprecation.elasticsearch-default";
    readonly List<DeprecationLogEntry> deprecationLog = new();
    readonly HashSet<string> deprecationsLogged = new(StringComparer.Ordinal);

    public IReadOnlyList<DeprecationLogEntry> DeprecationLog { get { lock (Sync) return deprecationLog.ToList(); } }

    /// <summary>Records a deprecated call; false when indexing is off or the key and X-Opaque-Id were logged already.</summary>
    public bool LogDeprecation(EmulatedNode node, string key, string message, string category, string? opaqueId, string? productOrigin)
    {
        lock (Sync)
        {
            if (!string.Equals(Setting("cluster.deprecation_indexing.enabled"), "true", StringComparison.OrdinalIgnoreCase)) return false;
            if (!deprecationsLogged.Add(key + "|" + opaqueId)) return false;
            deprecationLog.Add(new DeprecationLogEntry(Clock.UtcNow, "WARN", key, message, category, opaqueId, productOrigin ?? "", node.Id, node.Name));
            Signal();
            return true;
        }
    }

    /// <summary>Adds an entry as it stands (tests that need many, or old ones).</summary>
    public void AddDeprecationLogEntry(DeprecationLogEntry entry)
    {
        lock (Sync) deprecationLog.Add(entry);
    }

    /// <summary>DELETE _logging/deprecation_cache: the same deprecation is logged again.</summary>
    public void ResetDeprecationCache()
    {
        lock (Sync) deprecationsLogged.Clear();
    }
}
