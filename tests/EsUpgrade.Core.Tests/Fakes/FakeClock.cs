using EsUpgrade.Diagnostics;

namespace EsUpgrade.Core.Tests;

/// <summary>A clock that moves only when told, or when someone waits on it.</summary>
public sealed class FakeClock : IClock
{
    public DateTimeOffset UtcNow { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public Task Delay(TimeSpan delay, CancellationToken ct) { UtcNow += delay; return Task.CompletedTask; }
}
