using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Upgrade;

/// <summary>How often a held lock beats, and how long a silent one is waited for before it counts as a dead run's.</summary>
public sealed class ClusterLockTiming
{
    public TimeSpan HeartbeatEvery { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan Poll { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// A lock held in a document of the cluster: created with <c>_create</c> (409 when another run holds it), refreshed by a
/// heartbeat written with <c>if_seq_no</c>/<c>if_primary_term</c> (so a run that lost it learns so), released by a
/// conditional delete. A run finding it held watches the heartbeat with its own clock — no clocks are compared across
/// machines: if it moves, the holder lives and the run is refused; if it stays still for
/// <see cref="ClusterLockTiming.StaleAfter"/>, the holder is dead (a runbook's sandbox lost, a killed process) and the
/// run takes the lock over with a conditional write that only one waiter can win. Liveness is real time, whatever clock
/// the run's waits use.
/// </summary>
public sealed class ClusterStateLock : IDisposable
{
    readonly EsApi api;
    readonly string path;
    readonly string createPath;
    readonly string describes;
    readonly ClusterLockTiming timing;
    readonly string token = Guid.NewGuid().ToString("N");
    readonly SemaphoreSlim gate = new SemaphoreSlim(1, 1);
    readonly CancellationTokenSource stop = new CancellationTokenSource();
    Task? heartbeat;
    long seqNo, primaryTerm, beat;
    string? lostTo;

    ClusterStateLock(EsApi api, string index, string id, string describes, ClusterLockTiming timing)
    {
        this.api = api;
        path = $"/{index}/_doc/{Uri.EscapeDataString(id)}";
        createPath = $"/{index}/_create/{Uri.EscapeDataString(id)}";
        this.describes = describes;
        this.timing = timing;
    }

    /// <summary>Who holds it, as the lock says: machine and process.</summary>
    public static string Owner => $"{Environment.MachineName} process {System.Diagnostics.Process.GetCurrentProcess().Id.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<ClusterStateLock> AcquireAsync(EsApi api, string index, string id, string describes, ClusterLockTiming timing, CancellationToken ct)
    {
        var held = new ClusterStateLock(api, index, id, describes, timing);
        await held.TakeAsync(ct).ConfigureAwait(false);
        held.heartbeat = Task.Run(held.BeatLoopAsync);
        return held;
    }

    string Body() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["owner"] = Owner,
        ["token"] = token,
        ["beat"] = beat,
        ["beat_at"] = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture),
    });

    async Task TakeAsync(CancellationToken ct)
    {
        var announced = false;
        while (true)
        {
            // A lost answer is asked again: the lock then says it is ours already (the token).
            var created = await api.SendAsync(new EsRequest("PUT", createPath, Body()).SafeToRepeat(), ct, 409).ConfigureAwait(false);
            if (created.StatusCode != 409)
            {
                Adopt(EsApi.ParseJson(new EsRequest("PUT", createPath), created));
                return;
            }
            var seen = await ReadAsync(ct).ConfigureAwait(false);
            if (seen is null)
            {
                // Released in between: take it (after a pause, should the cluster keep answering both ways).
                await Task.Delay(timing.Poll, ct).ConfigureAwait(false);
                continue;
            }
            if (seen.Token == token) { Adopt(seen.SeqNo, seen.PrimaryTerm); return; }
            var owner = seen.Owner ?? "another run";
            if (!announced)
            {
                api.Log.Warning($"{describes} is held by {owner} (last beat at {seen.BeatAt ?? "?"} by its clock). " +
                    $"Waiting up to {timing.StaleAfter.TotalSeconds:0} s: a live run's heartbeat moves and this run stops; a dead run's does not and this run takes over.");
                announced = true;
            }
            var watched = System.Diagnostics.Stopwatch.StartNew();
            var (watchedSeq, watchedTerm) = (seen.SeqNo, seen.PrimaryTerm);
            while (true)
            {
                await Task.Delay(timing.Poll, ct).ConfigureAwait(false);
                var now = await ReadAsync(ct).ConfigureAwait(false);
                if (now is null) break;
                if (now.SeqNo != watchedSeq || now.PrimaryTerm != watchedTerm)
                    throw InUse(now.Owner ?? owner, "its heartbeat moved while this run waited, so that run is alive");
                if (watched.Elapsed < timing.StaleAfter) continue;
                var taken = await api.SendAsync(new EsRequest("PUT", $"{path}?if_seq_no={watchedSeq}&if_primary_term={watchedTerm}", Body()), ct, 409).ConfigureAwait(false);
                if (taken.StatusCode == 409)
                    throw InUse(owner, "another run took it over first");
                Adopt(EsApi.ParseJson(new EsRequest("PUT", path), taken));
                api.Log.Warning($"{describes} was held by {owner}, whose heartbeat stopped {timing.StaleAfter.TotalSeconds:0} s ago: this run took it over.");
                return;
            }
        }
    }

    /// <summary>The lock as it stands: who holds it and the sequence numbers of its last write.</summary>
    sealed class Seen
    {
        public string? Owner, Token, BeatAt;
        public long SeqNo, PrimaryTerm;
    }

    async Task<Seen?> ReadAsync(CancellationToken ct)
    {
        var request = EsRequest.Get(path);
        var response = await api.SendAsync(request, ct, 404).ConfigureAwait(false);
        if (response.StatusCode == 404) return null;
        var doc = EsApi.ParseJson(request, response);
        if (!doc.Bool("found") || doc.Prop("_source") is not JsonElement source) return null;
        return new Seen { Owner = source.Str("owner"), Token = source.Str("token"), BeatAt = source.Str("beat_at"), SeqNo = doc.Long("_seq_no"), PrimaryTerm = doc.Long("_primary_term") };
    }

    void Adopt(JsonElement written) => Adopt(written.Long("_seq_no"), written.Long("_primary_term"));

    void Adopt(long seq, long term)
    {
        seqNo = seq;
        primaryTerm = term;
    }

    async Task BeatLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(timing.HeartbeatEvery, stop.Token).ConfigureAwait(false);
                await BeatAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception ex)
            {
                // A missed beat is no failure: the lock goes stale only after several.
                api.Log.Verbose($"{describes}: a heartbeat failed ({ex.Message}); the next one follows in {timing.HeartbeatEvery.TotalSeconds:0} s.");
            }
        }
    }

    /// <summary>Moves the heartbeat on, on condition that the lock is still this run's; notes it when it is not.</summary>
    async Task BeatAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (lostTo != null) return;
            beat++;
            var request = new EsRequest("PUT", $"{path}?if_seq_no={seqNo}&if_primary_term={primaryTerm}", Body()).SafeToRepeat();
            var response = await api.Retrying(timing.HeartbeatEvery).SendAsync(request, ct, 409).ConfigureAwait(false);
            if (response.StatusCode != 409) { Adopt(EsApi.ParseJson(request, response)); return; }
            var seen = await ReadAsync(ct).ConfigureAwait(false);
            if (seen?.Token == token) Adopt(seen.SeqNo, seen.PrimaryTerm);     // our own beat, whose answer was lost and asked again
            else lostTo = seen?.Owner ?? "nobody (the lock was deleted)";
        }
        finally { gate.Release(); }
    }

    /// <summary>How long a write made while holding the lock may keep trying: well inside the time after which another run may take it over.</summary>
    public TimeSpan WriteWithin => TimeSpan.FromTicks(timing.StaleAfter.Ticks / 2);

    /// <summary>Before each save: the lock must still be this run's (a beat, on condition), or the run stops without writing.</summary>
    public async Task EnsureHeldAsync(CancellationToken ct)
    {
        await BeatAsync(ct).ConfigureAwait(false);
        if (lostTo != null)
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.StateFileInUse,
                $"{describes} is no longer this run's: {lostTo} holds it now (this run's heartbeat was silent for longer than {timing.StaleAfter.TotalSeconds:0} s). This run stops without writing; the run holding it carries on.", describes);
    }

    EsException InUse(string owner, string why) => new EsException(EsErrorKind.InvalidState, ErrorIds.StateFileInUse,
        $"{describes} is in use by {owner}: {why}. One run per state: wait for it to end (or stop it); a run that died is taken over {timing.StaleAfter.TotalSeconds:0} s after its last heartbeat.", describes);

    public void Dispose()
    {
        stop.Cancel();
        try { heartbeat?.GetAwaiter().GetResult(); } catch (Exception) { /* the loop ends on its own; nothing of it is needed now */ }
        try
        {
            gate.Wait();
            if (lostTo == null)
                api.Retrying(TimeSpan.FromSeconds(15)).SendAsync(new EsRequest("DELETE", $"{path}?if_seq_no={seqNo}&if_primary_term={primaryTerm}"), CancellationToken.None, 404, 409)
                    .GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            api.Log.Warning($"{describes}: the lock could not be released ({ex.Message}); the next run takes it over {timing.StaleAfter.TotalSeconds:0} s after its last heartbeat.");
        }
        finally
        {
            gate.Release();
            stop.Dispose();
        }
    }
}
