using System.Text.Json;
using EsUpgrade.Connections;
using EsUpgrade.Health;
using EsUpgrade.Indices;
using EsUpgrade.Inventory;

namespace EsUpgrade.Core.Tests;

/// <summary>The module's objects as the readers would make them, for tests of logic that needs no cluster.</summary>
public static class Fake
{
    public static EsConnection Connection() => EsConnection.ForWire("fake", FakeWire.Unused(), new EsServerInfo("n", "c", "u", "7.17.27", null, null));

    public static EsNode Node(string name, IEnumerable<string> roles, bool master = false, string version = "7.17.27")
    {
        var json = JsonDocument.Parse(JsonSerializer.Serialize(new { name, version, roles })).RootElement;
        return InventoryReader.ReadNode(Connection(), name + "-id", json, master ? name + "-id" : null);
    }

    public static EsShard Shard(string index, int shard, bool primary, ShardState state, string? node) =>
        new() { Connection = Connection(), Index = index, Shard = shard, Primary = primary, State = state, Node = node };

    public static EsClusterHealth Health(HealthStatus status, int initializing = 0, int relocating = 0) =>
        new() { Connection = Connection(), Status = status, InitializingShards = initializing, RelocatingShards = relocating };
}
