using System;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Errors;

namespace EsUpgrade.Connections;

/// <summary>
/// A call a long operation must not end on: a 429, 502, 503 or a dropped connection is asked again with backoff
/// (0.5 s doubling to 10 s, about a minute in all) before it counts as a failure.
/// </summary>
public static class Transient
{
    public static async Task<T> RetryAsync<T>(EsApi api, string what, Func<Task<T>> call, CancellationToken ct, int attempts = 8)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (EsException ex) when (ex.IsTransient && attempt < attempts)
            {
                api.Log.Verbose($"[{api.Connection.Name}] {what}: {ex.Message}; again in {delay.TotalSeconds:0.#} s");
                await api.Clock.Delay(delay, ct).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    public static Task RetryAsync(EsApi api, string what, Func<Task> call, CancellationToken ct) =>
        RetryAsync(api, what, async () => { await call().ConfigureAwait(false); return true; }, ct);
}
