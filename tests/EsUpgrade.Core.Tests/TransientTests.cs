using EsUpgrade.Connections;
using EsUpgrade.Errors;

namespace EsUpgrade.Core.Tests;

public class TransientTests
{
    [Fact]
    public async Task A_429_or_503_is_asked_again_with_backoff_and_anything_else_at_once_fails()
    {
        var clock = new FakeClock();
        var api = new EsApi(Fake.Connection(), clock: clock);
        var start = clock.UtcNow;
        var calls = 0;
        var answer = await Transient.RetryAsync(api, "count", () =>
        {
            if (++calls < 4) throw new EsServerException(calls % 2 == 0 ? 429 : 503, "es_rejected_execution_exception", "busy", "GET", "/x/_count");
            return Task.FromResult(42);
        }, CancellationToken.None);
        Assert.Equal((42, 4), (answer, calls));
        Assert.Equal(TimeSpan.FromSeconds(0.5 + 1 + 2), clock.UtcNow - start);

        calls = 0;
        await Assert.ThrowsAsync<EsServerException>(() => Transient.RetryAsync<int>(api, "count", () => { calls++; throw new EsServerException(400, "x", "bad", "GET", "/x"); }, CancellationToken.None));
        Assert.Equal(1, calls);
        calls = 0;
        await Assert.ThrowsAsync<EsServerException>(() => Transient.RetryAsync<int>(api, "count", () => { calls++; throw new EsServerException(503, "x", "down", "GET", "/x"); }, CancellationToken.None));
        Assert.Equal(8, calls);
    }
}
