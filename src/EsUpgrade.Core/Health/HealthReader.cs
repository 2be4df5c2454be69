using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;
using EsUpgrade.Errors;
using EsUpgrade.Indices;
using EsUpgrade.Wire;

namespace EsUpgrade.Health;

/// <summary>Reads and waits on cluster health with Elasticsearch's own long poll: the answer comes the moment the cluster is ready.</summary>
public static class HealthReader
{
    /// <summary>Longest single long poll, so progress is shown and a lost node is noticed.</summary>
    public static readonly TimeSpan PollSlice = TimeSpan.FromSeconds(10);
    /// <summary>Pause before asking again when the cluster did not answer (a node restarting, a master election).</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
    public const int ProgressActivityId = 4100;
    static readonly Regex NodeCountSyntax = new Regex(@"^(\d+|(>=|<=|>|<)\d+|(ge|le|gt|lt)\(\d+\))$");

    /// <summary>
    /// Health of the indices the names give (the cluster's when none). Elasticsearch would wait for a missing
    /// index to appear, so the names are looked up first: each full name that matches nothing is an
    /// IndexNotFound at once, and names that match no index give no health.
    /// </summary>
    public static Task<Lookup<IReadOnlyList<EsClusterHealth>>> FindAsync(EsApi api, IReadOnlyList<string>? names, HealthLevel level, CancellationToken ct) =>
        IndexLookup.RunAsync(api, names, async expression =>
        {
            if (expression != null && (await IndexReader.IndexNamesAsync(api, expression, ct).ConfigureAwait(false)).Count == 0)
                return (IReadOnlyList<EsClusterHealth>)Array.Empty<EsClusterHealth>();
            return new[] { await GetAsync(api, expression, level, ct).ConfigureAwait(false) };
        });

    /// <summary>Throws IndexNotFound for the first full name among <paramref name="names"/> that matches no index.</summary>
    public static async Task RequireIndicesAsync(EsApi api, IReadOnlyList<string> names, CancellationToken ct)
    {
        var full = names.Where(n => !Names.IsWildcard(n)).ToList();
        if (full.Count == 0) return;
        var lookup = await IndexReader.FindIndexNamesAsync(api, full, ct).ConfigureAwait(false);
        if (lookup.Missing.Count > 0) throw lookup.Missing[0];
    }

    public static async Task<EsClusterHealth> GetAsync(EsApi api, string? index, HealthLevel level, CancellationToken ct)
    {
        var json = await api.GetJsonAsync(EsRequest.Get(Path(index, level, null, null)), ct).ConfigureAwait(false);
        return EsClusterHealth.Read(api.Connection, json);
    }

    public static async Task<EsClusterHealth> WaitAsync(EsApi api, HealthCondition condition, HealthLevel level, TimeSpan timeout, CancellationToken ct)
    {
        Validate(condition, timeout);
        api = api.Polling();
        var clock = api.Clock;
        var deadline = clock.UtcNow + timeout;
        var activity = $"Waiting for {api.Connection.Name}: {condition}";
        EsClusterHealth? last = null;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var remaining = deadline - clock.UtcNow;
                var slice = remaining < PollSlice ? remaining : PollSlice;
                if (slice < TimeSpan.Zero) slice = TimeSpan.Zero;
                try
                {
                    last = await LongPollAsync(api, condition, level, slice, ct).ConfigureAwait(false);
                    if (!last.TimedOut) return last;
                    api.Log.Progress(new EsProgress(ProgressActivityId, activity,
                        $"{last.Status}, {last.NumberOfNodes} nodes, {last.InitializingShards} initializing, {last.RelocatingShards} relocating, {last.UnassignedShards} unassigned",
                        (int)Math.Min(99, Math.Max(0, last.ActiveShardsPercent))));
                }
                catch (EsException ex) when (ex.IsTransient && clock.UtcNow < deadline)
                {
                    // A node restarting or a master election: the cluster will answer again.
                    api.Log.Verbose($"[{api.Connection.Name}] health not available yet ({ex.Message}); trying again");
                    await clock.Delay(RetryDelay, ct).ConfigureAwait(false);
                }
                if (clock.UtcNow >= deadline)
                    throw new EsException(EsErrorKind.Timeout, ErrorIds.ClusterHealthTimeout,
                        $"{api.Connection.Name} did not reach {condition} within {timeout}." +
                        (last is null ? "" : $" Last seen: {last.Status}, {last.NumberOfNodes} nodes, {last.InitializingShards} initializing, {last.RelocatingShards} relocating, {last.UnassignedShards} unassigned."),
                        (object?)last ?? api.Connection.Name);
            }
        }
        finally
        {
            api.Log.Progress(new EsProgress(ProgressActivityId, activity, "Done", 100, completed: true));
        }
    }

    /// <summary>
    /// One long poll: Elasticsearch answers the moment <paramref name="condition"/> holds, or after
    /// <paramref name="slice"/> with <see cref="EsClusterHealth.TimedOut"/> set (HTTP 408, not an error here).
    /// </summary>
    public static async Task<EsClusterHealth> LongPollAsync(EsApi api, HealthCondition condition, HealthLevel level, TimeSpan slice, CancellationToken ct)
    {
        var request = EsRequest.Get(Path(condition.Index, level, condition, slice), slice + TimeSpan.FromSeconds(30));
        var json = await api.GetJsonAsync(request, ct, 408).ConfigureAwait(false);
        return EsClusterHealth.Read(api.Connection, json);
    }

    static void Validate(HealthCondition condition, TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidTimeout, "The timeout cannot be negative.", timeout);
        if (condition.NodeCount != null && !NodeCountSyntax.IsMatch(condition.NodeCount))
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidNodeCount,
                $"'{condition.NodeCount}' is not a node count: use N, >=N, <=N, >N, <N, ge(N), le(N), gt(N) or lt(N).", condition.NodeCount);
    }

    internal static string Path(string? index, HealthLevel level, HealthCondition? condition, TimeSpan? timeout)
    {
        var path = string.IsNullOrEmpty(index) ? "/_cluster/health" : "/_cluster/health/" + Uri.EscapeDataString(index);
        var query = new List<string>();
        if (level != HealthLevel.Cluster) query.Add("level=" + level.ToString().ToLowerInvariant());
        if (condition != null)
        {
            if (condition.Status is HealthStatus s) query.Add("wait_for_status=" + s.ToString().ToLowerInvariant());
            if (condition.NodeCount != null) query.Add("wait_for_nodes=" + Uri.EscapeDataString(condition.NodeCount));
            if (condition.NoInitializingShards) query.Add("wait_for_no_initializing_shards=true");
            if (condition.NoRelocatingShards) query.Add("wait_for_no_relocating_shards=true");
        }
        if (timeout is TimeSpan t) query.Add("timeout=" + ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms");
        return query.Count == 0 ? path : path + "?" + string.Join("&", query);
    }
}
