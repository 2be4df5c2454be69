namespace EsUpgrade.Emulator.Model;

public enum ShardState { Unassigned, Initializing, Started, Relocating }

/// <summary>An index: its settings, its documents (counted, with the ids written through the API) and its shard copies.</summary>
public sealed class EmulatedIndex
{
    public const string TierPreferenceSetting = "index.routing.allocation.include._tier_preference";
    public const string DelayedTimeoutSetting = "index.unassigned.node_left.delayed_timeout";
    public const string HiddenSetting = "index.hidden";

    public EmulatedIndex(IndexSpec spec, string uuid, DateTimeOffset createdAt)
    {
        Name = spec.Name;
        Uuid = uuid;
        NumberOfShards = spec.Shards;
        CreatedVersion = new VersionProfile(spec.CreatedVersion);
        CreatedAt = createdAt;
        SeedDocuments = spec.Documents;
        MappingType = spec.MappingType;
        foreach (var a in spec.Aliases) Aliases.Add(a);
        Settings[TierPreferenceSetting] = spec.TierPreference;
        foreach (var (k, v) in spec.Settings) Settings[k] = v;
        for (var s = 0; s < NumberOfShards; s++)
            Copies.Add(new ShardCopy(this, s, primary: true));
        SetReplicas(spec.Replicas);
    }

    public string Name { get; }
    public string Uuid { get; }
    public int NumberOfShards { get; }
    public int NumberOfReplicas { get; private set; }
    /// <summary>Set again when a system-feature migration reindexes the index.</summary>
    public VersionProfile CreatedVersion { get; set; }
    public DateTimeOffset CreatedAt { get; }
    /// <summary>Dynamic index settings by flat name (index.*), beyond shards and replicas.</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);
    /// <summary>Documents the index was made with, plus those written since (by id).</summary>
    public long SeedDocuments { get; }
    /// <summary>Documents written through the API, by id, with their source and sequence numbers (seed documents have neither).</summary>
    public Dictionary<string, StoredDocument> Written { get; } = new(StringComparer.Ordinal);
    /// <summary>The next operation's sequence number (one sequence per index here; Elasticsearch keeps one per shard).</summary>
    public long NextSeqNo { get; set; }
    /// <summary>Each shard's primary term: 1 at creation, one more each time a replica is promoted.</summary>
    public Dictionary<int, long> PrimaryTerms { get; } = new();
    public long PrimaryTermOf(int shard) => PrimaryTerms.GetValueOrDefault(shard, 1);
    public long Documents => SeedDocuments + Written.Count + CopiedDocuments;
    /// <summary>Documents a reindex copied in (counted, not stored, like the seed documents).</summary>
    public long CopiedDocuments { get; set; }
    /// <summary>The aliases that point at this index.</summary>
    public HashSet<string> Aliases { get; } = new(StringComparer.Ordinal);
    /// <summary>The mapping type of an index created in 6.x (doc, _doc, or a custom name); null for a typeless 7.x index.</summary>
    public string? MappingType { get; }
    /// <summary>Emulated time of the last write and the last flush: a copy flushed since its last write recovers from operations.</summary>
    public DateTimeOffset LastWriteAt { get; set; }
    public DateTimeOffset LastFlushAt { get; set; }
    public bool FlushedSinceLastWrite => LastFlushAt >= LastWriteAt;
    public List<ShardCopy> Copies { get; } = new();

    /// <summary>About 1 KiB a document, split evenly across shards.</summary>
    public long ShardSizeBytes => Documents * 1024 / Math.Max(1, NumberOfShards);

    /// <summary><c>index.hidden: true</c>: left out of wildcard expansion unless asked for (7.7+); 7.x system indices are hidden.</summary>
    public bool Hidden => Settings.GetValueOrDefault(HiddenSetting) == "true";
    /// <summary>A closed index: kept, not searchable, left out of open-only expansion.</summary>
    public bool Closed { get; set; }
    /// <summary>An index from 5.x/6.x restored into 8.3+ as a read-only archive index (the old-lucene-versions plugin).</summary>
    public bool Archive { get; init; }
    /// <summary>"repository:snapshot" for an index being restored: its new primaries recover from the repository.</summary>
    public string? RestoreSource { get; init; }

    public string[] TierPreference =>
        (Settings.GetValueOrDefault(TierPreferenceSetting) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public TimeSpan DelayedTimeout =>
        Settings.GetValueOrDefault(DelayedTimeoutSetting) is string v && TimeValue.TryParse(v) is TimeSpan t ? t : TimeSpan.FromMinutes(1);

    /// <summary>Elasticsearch's version id, e.g. 7.17.27 → 7172799.</summary>
    public string VersionCreatedId => $"{CreatedVersion.Version.Major}{CreatedVersion.Version.Minor:00}{CreatedVersion.Version.Build:00}99";

    public void SetReplicas(int replicas)
    {
        NumberOfReplicas = replicas;
        for (var s = 0; s < NumberOfShards; s++)
        {
            var replicaCopies = Copies.Where(c => c.Shard == s && !c.Primary).ToList();
            for (var n = replicaCopies.Count; n < replicas; n++)
                Copies.Add(new ShardCopy(this, s, primary: false) { UnassignedReason = "REPLICA_ADDED" });
            foreach (var extra in replicaCopies.OrderBy(c => c.IsActive).Take(Math.Max(0, replicaCopies.Count - replicas)))
                Copies.Remove(extra);
        }
    }

    /// <summary>The documents one shard holds: its share of those the index was made with or had copied in, and those written to it.</summary>
    public long DocumentsInShard(int shard)
    {
        var counted = SeedDocuments + CopiedDocuments;
        return counted / NumberOfShards + (shard == 0 ? counted % NumberOfShards : 0) + Written.Keys.Count(id => ShardOf(id) == shard);
    }

    public int ShardOf(string id) => (int)((uint)StringComparer.Ordinal.GetHashCode(id) % (uint)NumberOfShards);

    public string Health =>
        Copies.Any(c => c.Primary && !c.IsActive) ? "red"
        : Copies.Any(c => !c.IsActive) ? "yellow"
        : "green";
}

public sealed class ShardCopy
{
    public ShardCopy(EmulatedIndex index, int shard, bool primary)
    {
        Index = index;
        Shard = shard;
        Primary = primary;
    }

    public EmulatedIndex Index { get; }
    public int Shard { get; }
    public bool Primary { get; set; }
    public ShardState State { get; set; } = ShardState.Unassigned;
    public string? NodeId { get; set; }
    /// <summary>When an initializing copy finishes recovering (emulated time).</summary>
    public DateTimeOffset ReadyAt { get; set; }
    public DateTimeOffset RecoveryStartedAt { get; set; }
    /// <summary>store (its own data), peer (copied from the primary), empty_store (a new primary), snapshot (restored from a repository).</summary>
    public string RecoveryType { get; set; } = "empty_store";
    public string? RecoverySourceNodeId { get; set; }
    /// <summary>For a RELOCATING copy, the node it moves to (a target copy recovering there until <see cref="ReadyAt"/>).</summary>
    public string? RelocatingNodeId { get; set; }
    public long RecoveryBytes { get; set; }
    /// <summary>A file-based recovery's bytes still to copy at <see cref="ProgressAt"/>, at <see cref="Rate"/> bytes a second since then.</summary>
    public double BytesLeft { get; set; }
    public DateTimeOffset ProgressAt { get; set; }
    public double Rate { get; set; }
    public bool IsCopyingFiles => State is ShardState.Initializing or ShardState.Relocating && RecoveryType == "peer" && BytesLeft > 0;
    /// <summary>The node that held this copy before it went unassigned; its data is still there.</summary>
    public string? LastNodeId { get; set; }
    /// <summary>Left by a crash, not a clean stop: nothing flushed, so coming back copies files.</summary>
    public bool Unclean { get; set; }
    public string? UnassignedReason { get; set; } = "INDEX_CREATED";
    public DateTimeOffset UnassignedAt { get; set; }
    /// <summary>Delayed allocation: not placed elsewhere before this (emulated time).</summary>
    public DateTimeOffset? DelayedUntil { get; set; }
    /// <summary>The replica allocator is fetching shard-store data for this unassigned copy until then (emulated time).</summary>
    public DateTimeOffset? FetchingUntil { get; set; }
    public DateTimeOffset FetchStartedAt { get; set; }
    /// <summary>The store data was fetched since the copy went unassigned: it may be placed now.</summary>
    public bool Fetched { get; set; }
    public bool IsFetching => State == ShardState.Unassigned && FetchingUntil != null;
    /// <summary>Failed allocations since the copy was last started; at index.allocation.max_retries (5) the max_retry decider says no.</summary>
    public int FailedAttempts { get; set; }
    public bool IsActive => State is ShardState.Started or ShardState.Relocating;
    public bool IsDelayed(DateTimeOffset now) => State == ShardState.Unassigned && DelayedUntil > now;
}

/// <summary>A document written through the API: what GET returns, and what if_seq_no / if_primary_term compare with.</summary>
public sealed record StoredDocument(long Version, long SeqNo, long PrimaryTerm, string? Source);
