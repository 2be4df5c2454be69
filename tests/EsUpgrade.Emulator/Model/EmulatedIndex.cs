namespace EsUpgrade.Emulator.Model;

public enum ShardState { Unassigned, Initializing, Started, Relocating }

public sealed class EmulatedIndex
{
    public EmulatedIndex(IndexSpec spec, string uuid)
    {
        Name = spec.Name;
        Uuid = uuid;
        NumberOfShards = spec.Shards;
        NumberOfReplicas = spec.Replicas;
        Documents = spec.Documents;
        CreatedVersion = new VersionProfile(spec.CreatedVersion);
        for (var s = 0; s < NumberOfShards; s++)
            for (var c = 0; c <= NumberOfReplicas; c++)
                Copies.Add(new ShardCopy(this, s, primary: c == 0));
    }

    public string Name { get; }
    public string Uuid { get; }
    public int NumberOfShards { get; }
    public int NumberOfReplicas { get; }
    public long Documents { get; set; }
    public VersionProfile CreatedVersion { get; }
    public List<ShardCopy> Copies { get; } = new();
    /// <summary>About 1 KiB a document, split evenly across shards.</summary>
    public long ShardSizeBytes => Documents * 1024 / Math.Max(1, NumberOfShards);

    public string Health =>
        Copies.Any(c => c.Primary && c.State is ShardState.Unassigned or ShardState.Initializing) ? "red"
        : Copies.Any(c => c.State is ShardState.Unassigned or ShardState.Initializing) ? "yellow"
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
    /// <summary>The node that held this copy before it went unassigned.</summary>
    public string? LastNodeId { get; set; }
    public string? UnassignedReason { get; set; } = "INDEX_CREATED";
    public bool IsActive => State is ShardState.Started or ShardState.Relocating;
}
