using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;
using EsUpgrade.Errors;
using EsUpgrade.Health;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Inventory;

/// <summary>Waits for a node to (re)join the cluster, at a given version.</summary>
public static class NodeWaiter
{
    public const int ProgressActivityId = 4150;

    /// <summary>
    /// Returns the node once it is in the cluster at <paramref name="version"/> (any version when null).
    /// Between looks it long-polls <c>_cluster/health?wait_for_nodes</c> for one more node than it sees, so it
    /// reacts the moment a node joins. A node that joins at another version fails at once (NodeVersionMismatch) —
    /// except, for <paramref name="staleGrace"/>, at <paramref name="staleVersion"/>: right after a node was killed
    /// the master still lists the old instance until its follower checks give up (about 30 s).
    /// </summary>
    public static async Task<EsNode> WaitAsync(EsApi api, string name, string? version, TimeSpan timeout, CancellationToken ct,
        string? staleVersion = null, TimeSpan staleGrace = default)
    {
        var started = api.Clock.UtcNow;
        var deadline = started + timeout;
        var activity = $"Waiting for node {name} to join {api.Connection.Name}" + (version is null ? "" : $" at {version}");
        api = api.Polling();
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                int count;
                try
                {
                    var versions = await VersionsAsync(api, ct).ConfigureAwait(false);
                    count = versions.Count;
                    if (versions.TryGetValue(name, out var seen))
                    {
                        if (version != null && seen != version)
                        {
                            if (seen != staleVersion || api.Clock.UtcNow - started >= staleGrace)
                                throw new EsException(EsErrorKind.InvalidState, ErrorIds.NodeVersionMismatch,
                                    $"Node {name} joined {api.Connection.Name} at version {seen}, not {version}: check what the node action installed.", name);
                            // The old instance of a killed node: the master drops it within its follower-check timeout; look again soon.
                            api.Log.Verbose($"[{api.Connection.Name}] {name} is still listed at {seen}: the old instance, until the master drops it");
                            await api.Clock.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                            continue;
                        }
                        var nodes = await InventoryReader.GetNodesAsync(api, name, ct).ConfigureAwait(false);
                        var node = nodes.FirstOrDefault(n => n.Name == name);
                        if (node != null) return node;
                    }
                    api.Log.Progress(new EsProgress(ProgressActivityId, activity, $"{count} nodes in the cluster; {name} not among them yet"));
                }
                catch (EsException ex) when (ex.IsTransient)
                {
                    api.Log.Verbose($"[{api.Connection.Name}] cluster not answering yet ({ex.Message})");
                    if (api.Clock.UtcNow >= deadline) throw Timeout(api, name, version, timeout);
                    await api.Clock.Delay(HealthReader.RetryDelay, ct).ConfigureAwait(false);
                    continue;
                }
                var remaining = deadline - api.Clock.UtcNow;
                if (remaining <= TimeSpan.Zero) throw Timeout(api, name, version, timeout);
                var slice = remaining < HealthReader.PollSlice ? remaining : HealthReader.PollSlice;
                try
                {
                    await HealthReader.LongPollAsync(api, new HealthCondition { NodeCount = ">=" + (count + 1) }, HealthLevel.Cluster, slice, ct).ConfigureAwait(false);
                }
                catch (EsException ex) when (ex.IsTransient)
                {
                    await api.Clock.Delay(HealthReader.RetryDelay, ct).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            api.Log.Progress(new EsProgress(ProgressActivityId, activity, "Done", 100, completed: true));
        }
    }

    /// <summary>Each node in the cluster now, by name, with its version (<c>_cat/nodes</c>).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> VersionsAsync(EsApi api, CancellationToken ct)
    {
        var cat = await api.GetJsonAsync(EsRequest.Get("/_cat/nodes?format=json&h=name,version"), ct).ConfigureAwait(false);
        return cat.EnumerateArray().ToDictionary(r => r.Str("name") ?? "", r => r.Str("version") ?? "");
    }

    static EsException Timeout(EsApi api, string name, string? version, TimeSpan timeout) =>
        new EsException(EsErrorKind.Timeout, ErrorIds.NodeRejoinTimeout,
            $"Node {name} did not join {api.Connection.Name}{(version is null ? "" : " at " + version)} within {timeout}. " +
            "A start that reports success can still end in a refusal written only to the node's log: look there (the node action can return its last lines). " +
            "The usual causes: a setting 8.x removed in elasticsearch.yml, a JVM option the bundled JDK rejects, indices created before 7.0, " +
            "or 8.x's security bootstrap check when xpack.security.enabled is unset and transport TLS is not configured.", name);
}
