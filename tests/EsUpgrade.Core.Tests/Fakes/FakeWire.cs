using EsUpgrade.Errors;
using EsUpgrade.Wire;

namespace EsUpgrade.Core.Tests;

/// <summary>
/// The one fake wire: answers each request with <see cref="Answer"/> (or passes it to a real wire), records
/// the paths it was asked for, and can be killed as a dead process's wire is.
/// </summary>
public sealed class FakeWire : IEsWire
{
    readonly IEsWire? inner;
    readonly Func<EsRequest, EsResponse>? answer;

    /// <summary>Answers every request by <paramref name="answer"/>.</summary>
    public FakeWire(Func<EsRequest, EsResponse> answer) => this.answer = answer;

    /// <summary>Passes requests to <paramref name="inner"/> until <see cref="Dead"/>.</summary>
    public FakeWire(IEsWire inner) => this.inner = inner;

    /// <summary>Always the same answer, with the product header when <paramref name="product"/> is given.</summary>
    public static FakeWire Fixed(int status, string body, string? product = null) =>
        new(_ => Response(status, body, product is null ? null : ("X-elastic-product", product)));

    /// <summary>Refuses every request: for code that must not reach the cluster.</summary>
    public static FakeWire Unused() => new(r => throw new NotSupportedException($"unexpected request {r}"));

    public static EsResponse Response(int status, string body, (string Name, string Value)? header = null) =>
        new(status, body, new Uri("http://fake:9200"),
            header is { } h ? new Dictionary<string, IReadOnlyList<string>> { [h.Name] = new[] { h.Value } } : new Dictionary<string, IReadOnlyList<string>>());

    public List<string> Paths { get; } = new();
    public bool Dead { get; set; }
    /// <summary>An answer of its own for some requests (a 429 from a busy node, say) before the inner wire is asked.</summary>
    public Func<EsRequest, EsResponse?>? Intercept { get; set; }
    public bool Disposed { get; private set; }

    public Task<EsResponse> SendAsync(EsRequest request, CancellationToken ct)
    {
        if (Dead) throw new EsException(EsErrorKind.Connection, ErrorIds.ClusterUnreachable, "dead process");
        lock (Paths) Paths.Add(request.Path);
        if (Intercept?.Invoke(request) is EsResponse own) return Task.FromResult(own);
        return inner is null ? Task.FromResult(answer!(request)) : inner.SendAsync(request, ct);
    }

    public void Dispose()
    {
        Disposed = true;
        inner?.Dispose();
    }
}
