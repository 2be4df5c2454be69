using System;
using System.Threading;
using System.Threading.Tasks;

namespace EsUpgrade.Diagnostics;

/// <summary>Time, so that waits and deadlines can be tested with a fake.</summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }
    Task Delay(TimeSpan delay, CancellationToken cancellationToken);
}

public sealed class SystemClock : IClock
{
    public static readonly SystemClock Instance = new SystemClock();
    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
    public Task Delay(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, cancellationToken);
}
