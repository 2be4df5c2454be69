using System;
using System.Collections.Generic;
using EsUpgrade.Connections;

namespace EsUpgrade.Fixes;

/// <summary>The steps of reindexing an old index, in order; each is checkpointed once done.</summary>
public enum IndexUpgradeStep { WriteBlock, CreateTarget, StartReindex, AwaitReindex, Refresh, VerifyCount, RestoreReplicas, SwapAliases }

/// <summary>An index upgrade's checkpoint: where a second call picks up.</summary>
public sealed class IndexUpgradeState
{
    public string ClusterUuid { get; set; } = "";
    public string Index { get; set; } = "";
    public string NewIndex { get; set; } = "";
    public bool KeepSource { get; set; }
    public List<IndexUpgradeStep> Done { get; set; } = new List<IndexUpgradeStep>();
    public string? TaskId { get; set; }
    public long DocumentsBefore { get; set; }
    public int Replicas { get; set; }
    public string? RefreshInterval { get; set; }
    public List<string> Aliases { get; set; } = new List<string>();
    public DateTimeOffset StartedAt { get; set; }
}

public sealed class IndexUpgradeOptions
{
    /// <summary>The new index's name; <c>reindexed-v8-&lt;index&gt;</c> by default.</summary>
    public string? NewName { get; set; }
    /// <summary>Keep the old index (read-only) and make no alias of its name.</summary>
    public bool KeepSource { get; set; }
    /// <summary>Where the checkpoint is kept.</summary>
    public string StatePath { get; set; } = "";
    /// <summary>How long the reindex may run.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Reindex an index the running major can read as it is (by default such an index is NotNeeded).</summary>
    public bool Force { get; set; }
    /// <summary>How often the reindex task is asked about.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>What an index upgrade did.</summary>
public sealed class IndexUpgradeResult
{
    public EsConnection Connection { get; internal set; } = null!;
    public string Index { get; internal set; } = "";
    public string NewIndex { get; internal set; } = "";
    /// <summary>Upgraded; AlreadyUpgraded (the old name already points at the reindexed index); NotNeeded (created by this major).</summary>
    public string Status { get; internal set; } = "";
    public long DocumentsBefore { get; internal set; }
    public long DocumentsAfter { get; internal set; }
    public DateTimeOffset Started { get; internal set; }
    public DateTimeOffset Ended { get; internal set; }
    public TimeSpan Duration => Ended - Started;
    public double DurationSeconds => Math.Round(Duration.TotalSeconds, 1);
    public IReadOnlyList<string> Steps { get; internal set; } = Array.Empty<string>();
    public bool KeptSource { get; internal set; }
    public override string ToString() => $"{Index} -> {NewIndex}: {Status}";
}
