using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Wire;

namespace EsUpgrade.Core.Tests;

/// <summary>Every call's retry of transient faults (EsApi.SendAsync): which faults, how long, what is said.</summary>
public class TransientTests
{
    static readonly EsServerInfo Server = new("n", "c", "u", "7.17.27", null, null);

    static (EsApi Api, FakeClock Clock, RecordingLog Log, List<string> Asked) Api(Func<int, EsRequest, EsResponse> answer, TimeSpan? retryTimeout = null)
    {
        var asked = new List<string>();
        var settings = new ConnectionSettings(new[] { new Uri("http://fake:9200") });
        if (retryTimeout is TimeSpan t) settings.RetryTimeout = t;
        var wire = new FakeWire(r => { asked.Add(r.ToString()); return answer(asked.Count, r); });
        var clock = new FakeClock();
        var log = new RecordingLog();
        return (new EsApi(EsConnection.ForWire("fake", wire, Server, settings), log, clock), clock, log, asked);
    }

    static EsResponse Busy(int status, string type = "es_rejected_execution_exception", string? retryAfter = null) =>
        FakeWire.Response(status, $"{{\"error\":{{\"type\":\"{type}\",\"reason\":\"busy\"}},\"status\":{status}}}", retryAfter is null ? null : ("Retry-After", retryAfter));

    [Fact]
    public async Task A_429_or_503_is_asked_again_with_backoff_each_retry_said_on_the_verbose_stream()
    {
        var (api, clock, log, asked) = Api((n, _) => n switch
        {
            1 => Busy(429),
            2 => Busy(503, "process_cluster_event_timeout_exception"),
            3 => Busy(429, "circuit_breaking_exception"),
            _ => FakeWire.Response(200, "{\"count\":42}"),
        });
        var start = clock.UtcNow;
        var answer = await api.GetJsonAsync(EsRequest.Get("/x/_count"), default);
        Assert.Equal(42, answer.GetProperty("count").GetInt32());
        Assert.Equal(4, asked.Count);
        Assert.Equal(TimeSpan.FromSeconds(0.5 + 1 + 2), clock.UtcNow - start);
        var retries = log.Lines.Where(l => l.StartsWith("VERBOSE") && l.Contains("Retry")).ToList();
        Assert.Equal(3, retries.Count);
        Assert.Contains("process_cluster_event_timeout_exception", retries[1]);
        Assert.Contains("Retry 3 in 2 s", retries[2]);
    }

    [Fact]
    public async Task Retry_After_is_honoured_in_seconds_and_as_a_date_capped_at_a_minute_and_never_below_the_backoff()
    {
        var (api, clock, _, asked) = Api((n, _) => n switch
        {
            1 => Busy(503, "unavailable", "7"),
            2 => Busy(429, retryAfter: new DateTimeOffset(2026, 1, 1, 0, 0, 10, TimeSpan.Zero).ToString("r")),
            3 => Busy(503, retryAfter: "3600"),
            4 => Busy(429, retryAfter: "0"),
            5 => Busy(429, retryAfter: new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToString("r")),
            _ => FakeWire.Response(200, "{}"),
        }, TimeSpan.FromMinutes(5));
        var start = clock.UtcNow;
        await api.SendAsync(EsRequest.Get("/_cluster/health"), default);
        // 7 s; then until 00:00:10 (3 s more); then an hour asked, a minute honoured; then 0 and a date long past
        // (clock skew) would spin: the backoff (4 s, then 8 s) instead.
        Assert.Equal(TimeSpan.FromSeconds(7 + 3 + 60 + 4 + 8), clock.UtcNow - start);
        Assert.Equal(6, asked.Count);
    }

    [Fact]
    public async Task A_429_or_503_that_reports_work_done_is_not_sent_again_for_a_call_that_starts_work()
    {
        // _update_by_query's status is the worst of its bulk failures: some documents are updated already.
        var partly = FakeWire.Response(429, "{\"took\":120,\"updated\":500,\"failures\":[{\"index\":\"logs\",\"status\":429,\"cause\":{\"type\":\"es_rejected_execution_exception\"}}]}");
        var (api, _, _, asked) = Api((_, _) => partly);
        Assert.Equal(429, (await Assert.ThrowsAsync<EsServerException>(() => api.SendAsync(new EsRequest("POST", "/logs/_update_by_query", "{}"), default))).StatusCode);
        Assert.Single(asked);

        // The same answer to a read is asked again: nothing was changed.
        (api, _, _, asked) = Api((n, _) => n == 1 ? partly : FakeWire.Response(200, "{}"));
        await api.SendAsync(EsRequest.Get("/logs/_search"), default);
        Assert.Equal(2, asked.Count);
    }

    [Fact]
    public async Task A_wait_narrows_the_retry_time_to_its_poll()
    {
        var (api, clock, _, asked) = Api((_, _) => Busy(503), TimeSpan.FromMinutes(2));
        var start = clock.UtcNow;
        await Assert.ThrowsAsync<EsServerException>(() => api.Retrying(TimeSpan.FromSeconds(4)).SendAsync(EsRequest.Get("/_cat/nodes"), default));
        Assert.Equal(TimeSpan.FromSeconds(0.5 + 1 + 2), clock.UtcNow - start);
        Assert.Equal(4, asked.Count);
    }

    [Fact]
    public async Task The_retry_time_bounds_the_retries_and_the_last_error_is_thrown()
    {
        var (api, clock, _, asked) = Api((_, _) => Busy(503), TimeSpan.FromSeconds(20));
        var start = clock.UtcNow;
        var ex = await Assert.ThrowsAsync<EsServerException>(() => api.SendAsync(EsRequest.Get("/_cat/nodes"), default));
        Assert.Equal(503, ex.StatusCode);
        // 0.5 + 1 + 2 + 4 + 8 = 15.5 s; the next wait (10 s) would pass 20 s.
        Assert.Equal(TimeSpan.FromSeconds(15.5), clock.UtcNow - start);
        Assert.Equal(6, asked.Count);

        (api, _, _, asked) = Api((_, _) => Busy(503), TimeSpan.Zero);
        await Assert.ThrowsAsync<EsServerException>(() => api.SendAsync(EsRequest.Get("/_cat/nodes"), default));
        Assert.Single(asked);
    }

    [Fact]
    public async Task Anything_else_fails_at_once()
    {
        foreach (var status in new[] { 400, 401, 403, 404, 409, 500 })
        {
            var (api, _, _, asked) = Api((_, _) => Busy(status, "x"));
            await Assert.ThrowsAsync<EsServerException>(() => api.SendAsync(EsRequest.Get("/x"), default));
            Assert.Single(asked);
        }
    }

    [Theory]
    [InlineData("POST", "/_reindex?wait_for_completion=false", false)]
    [InlineData("POST", "/_snapshot/backups/snap-1/_restore", false)]
    [InlineData("PUT", "/_snapshot/backups/snap-1?wait_for_completion=false", false)]
    [InlineData("POST", "/logs/_doc", false)]
    [InlineData("PUT", "/_snapshot/backups", true)]
    [InlineData("POST", "/_snapshot/backups/_verify", true)]
    [InlineData("POST", "/_aliases", false)]
    [InlineData("POST", "/logs-write/_rollover", false)]
    [InlineData("PUT", "/_cluster/settings", true)]
    [InlineData("POST", "/_flush", true)]
    [InlineData("GET", "/_cat/shards", true)]
    public async Task A_lost_answer_or_a_proxy_s_502_is_asked_again_only_for_a_call_that_does_no_harm_twice(string method, string path, bool repeated)
    {
        var (api, _, _, asked) = Api((n, _) => n == 1 ? throw new EsException(EsErrorKind.Connection, ErrorIds.ClusterUnreachable, "connection reset") : FakeWire.Response(200, "{}"));
        var request = new EsRequest(method, path, "{}");
        Assert.Equal(repeated, request.Idempotent);
        if (repeated) await api.SendAsync(request, default);
        else await Assert.ThrowsAsync<EsException>(() => api.SendAsync(request, default));
        Assert.Equal(repeated ? 2 : 1, asked.Count);

        (api, _, _, asked) = Api((n, _) => n == 1 ? FakeWire.Response(502, "<html><body><h1>502 Bad Gateway</h1></body></html>") : FakeWire.Response(200, "{}"));
        if (repeated) await api.SendAsync(new EsRequest(method, path, "{}"), default);
        else Assert.Equal(502, (await Assert.ThrowsAsync<EsServerException>(() => api.SendAsync(new EsRequest(method, path, "{}"), default))).StatusCode);

        // A 429 is a refusal before any work: always asked again.
        (api, _, _, asked) = Api((n, _) => n == 1 ? Busy(429) : FakeWire.Response(200, "{}"));
        await api.SendAsync(new EsRequest(method, path, "{}"), default);
        Assert.Equal(2, asked.Count);
    }

    [Fact]
    public async Task A_reindex_that_copies_nothing_twice_may_be_marked_safe_to_repeat()
    {
        var (api, _, _, asked) = Api((n, _) => n == 1 ? throw new EsException(EsErrorKind.Connection, ErrorIds.ClusterUnreachable, "connection reset") : FakeWire.Response(200, "{\"task\":\"n:1\"}"));
        await api.SendAsync(new EsRequest("POST", "/_reindex?wait_for_completion=false", "{}").SafeToRepeat(), default);
        Assert.Equal(2, asked.Count);
    }
}
