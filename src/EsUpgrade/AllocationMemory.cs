using System.Runtime.CompilerServices;
using EsUpgrade.Allocation;
using EsUpgrade.Connections;

namespace EsUpgrade.Commands;

/// <summary>What Disable-EsShardAllocation found before it changed allocation, per connection, for Enable-EsShardAllocation.</summary>
static class AllocationMemory
{
    static readonly ConditionalWeakTable<EsConnection, AllocationSetting> Remembered = new ConditionalWeakTable<EsConnection, AllocationSetting>();

    public static void Remember(EsConnection connection, AllocationSetting previous)
    {
        // Disabling twice must not forget the value from before the first time.
        if (!Remembered.TryGetValue(connection, out _)) Remembered.Add(connection, previous);
    }

    public static AllocationSetting? Take(EsConnection connection)
    {
        if (!Remembered.TryGetValue(connection, out var previous)) return null;
        Remembered.Remove(connection);
        return previous;
    }
}
