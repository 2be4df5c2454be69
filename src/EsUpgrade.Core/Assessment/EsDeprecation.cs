using System;
using System.Collections.Generic;
using EsUpgrade.Connections;

namespace EsUpgrade.Assessment;

/// <summary>How grave a finding is: Elasticsearch's levels (7.17 sends warning and critical; the spec also has none and info).</summary>
public enum DeprecationLevel { None, Info, Warning, Critical }

/// <summary>What a finding is about: the deprecation API's top-level key, in words.</summary>
public enum DeprecationCategory { Cluster, Node, Index, DataStream, Template, IlmPolicy, MachineLearning, CrossClusterReplication, Other }

/// <summary>Who found it: Elasticsearch's deprecation API, or EsUpgrade's own checks of what the API misses.</summary>
public enum FindingSource { DeprecationApi, EsUpgrade }

/// <summary>One deprecation finding: each item the deprecation info API returns, once, and EsUpgrade's own additions.</summary>
public sealed class EsDeprecation
{
    public EsConnection? Connection { get; internal set; }
    public DeprecationCategory Category { get; internal set; }
    public DeprecationLevel Level { get; internal set; }
    public string Message { get; internal set; } = "";
    public string? Url { get; internal set; }
    public string? Details { get; internal set; }
    /// <summary>What it is about: the index, data stream, template or ILM policy; the ML job; the nodes of a node issue.</summary>
    public string? Resource { get; internal set; }
    /// <summary>For node issues, the nodes named in "(nodes impacted: [...])".</summary>
    public IReadOnlyList<string> Nodes { get; internal set; } = Array.Empty<string>();
    public bool ResolveDuringRollingUpgrade { get; internal set; }
    /// <summary>The item's <c>_meta</c>, as plain dictionaries, lists and values; null when it had none.</summary>
    public IReadOnlyDictionary<string, object?>? Meta
    {
        // Converted when first read: 50,000 findings need not build 50,000 dictionaries no one looks at.
        get => meta ??= metaJson is System.Text.Json.JsonElement json ? (IReadOnlyDictionary<string, object?>?)Json.JsonExtensions.ToPlain(json) : null;
        internal set => meta = value;
    }
    IReadOnlyDictionary<string, object?>? meta;
    internal System.Text.Json.JsonElement? metaJson;
    /// <summary>For an ML model snapshot finding, its job and snapshot (so it pipes into Update-EsMlModelSnapshot).</summary>
    public string? JobId => Meta is { } m && m.TryGetValue("job_id", out var v) ? v?.ToString() : null;
    public string? SnapshotId => Meta is { } m && m.TryGetValue("snapshot_id", out var v) ? v?.ToString() : null;
    /// <summary>Settings <c>_meta</c> says can be removed (<c>remove_settings</c> actions).</summary>
    public IReadOnlyList<string> SettingsToRemove { get; internal set; } = Array.Empty<string>();
    /// <summary>The top-level key of the API answer the item came from (<c>index_settings</c>, <c>ml_settings</c>, ...); null for EsUpgrade's own.</summary>
    public string? ApiKey { get; internal set; }
    public FindingSource Source { get; internal set; }
    /// <summary>How to clear it: an EsUpgrade command where one exists, else the API call or the step.</summary>
    public string? Remedy { get; internal set; }
    public bool IsCritical => Level == DeprecationLevel.Critical;
    public override string ToString() => $"{Level} {Category}{(Resource is null ? "" : " " + Resource)}: {Message}";
}
