using System.Diagnostics;

namespace EsUpgrade.Emulator.Model;

/// <summary>
/// The cluster's own time. Modelled processes (recoveries, restarts) run on it; <see cref="Scale"/>
/// emulated seconds pass per real second, so minutes of recovery take seconds in tests.
/// </summary>
public sealed class EmulatorClock
{
    readonly Stopwatch watch = Stopwatch.StartNew();
    readonly DateTimeOffset start = DateTimeOffset.UtcNow;
    TimeSpan offset;

    public EmulatorClock(double scale = 1) => Scale = scale;

    public double Scale { get; }
    public DateTimeOffset UtcNow => start + TimeSpan.FromTicks((long)(watch.Elapsed.Ticks * Scale)) + offset;

    /// <summary>Jumps forward (tests of long waits).</summary>
    public void Advance(TimeSpan by) => offset += by;
}
