using EsUpgrade.Connections;

namespace EsUpgrade.Indices;

/// <summary>What a flush did: shard copies flushed and failed.</summary>
public sealed class FlushResult
{
    public EsConnection Connection { get; internal set; } = null!;
    public string Index { get; internal set; } = "";
    public bool Synced { get; internal set; }
    public int Total { get; internal set; }
    public int Successful { get; internal set; }
    public int Failed { get; internal set; }
}
