using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Health;
using EsUpgrade.Inventory;
using EsUpgrade.Json;
using EsUpgrade.Upgrade;
using EsUpgrade.Wire;

namespace EsUpgrade.Monitoring;

/// <summary>A node as the watch shows it: its version, and whether it already runs the newest version in the cluster.</summary>
public sealed class WatchedNode
{
    public string Name { get; internal set; } = "";
    public string Version { get; internal set; } = "";
    public bool Upgraded { get; internal set; }
    public bool IsElectedMaster { get; internal set; }
    public override string ToString() => $"{Name} {Version}{(Upgraded ? " *" : "")}";
}

/// <summary>A shard copy recovering: where from, where to, how far.</summary>
public sealed class WatchedRecovery
{
    public string Index { get; internal set; } = "";
    public int Shard { get; internal set; }
    /// <summary>peer, existing_store, empty_store, snapshot.</summary>
    public string Type { get; internal set; } = "";
    public string? Source { get; internal set; }
    public string Target { get; internal set; } = "";
    public long BytesRecovered { get; internal set; }
    public long BytesTotal { get; internal set; }
    public double Percent { get; internal set; }
    public override string ToString() => $"{Index}[{Shard}] {Type} {Source} -> {Target} {Percent:0.0}%";
}

/// <summary>The cluster at one moment of a watch: what a non-interactive run emits once per interval.</summary>
public sealed class EsClusterStatus
{
    public EsConnection Connection { get; internal set; } = null!;
    public DateTimeOffset Time { get; internal set; }
    public HealthStatus Status { get; internal set; }
    public int RelocatingShards { get; internal set; }
    public int InitializingShards { get; internal set; }
    public int UnassignedShards { get; internal set; }
    public double ActiveShardsPercent { get; internal set; }
    public IReadOnlyList<WatchedNode> Nodes { get; internal set; } = Array.Empty<WatchedNode>();
    public IReadOnlyList<WatchedRecovery> Recoveries { get; internal set; } = Array.Empty<WatchedRecovery>();
    /// <summary>With a rolling upgrade's state file: nodes done of all, and the node being upgraded.</summary>
    public int? UpgradeDone { get; internal set; }
    public int? UpgradeTotal { get; internal set; }
    public string? UpgradingNode { get; internal set; }
    public string? UpgradeStep { get; internal set; }
    public override string ToString() => $"{Time:HH:mm:ss} {Status} {Nodes.Count} nodes, {Recoveries.Count} recoveries" +
        (UpgradeTotal is null ? "" : $", upgrade {UpgradeDone}/{UpgradeTotal}");
}

public sealed class WatchOptions
{
    /// <summary>Stop once health is at least this good (null: watch until cancelled or timed out).</summary>
    public HealthStatus? Until { get; set; }
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan? Timeout { get; set; }
    /// <summary>A rolling upgrade's state file, to show its progress.</summary>
    public string? StatePath { get; set; }
}

/// <summary>
/// Watches the cluster: one <see cref="EsClusterStatus"/> per interval, handed to the caller (who redraws a console or
/// emits objects), until health reaches <see cref="WatchOptions.Until"/>, the timeout (an error) or cancellation.
/// A transient fault (a 503 during an election, a dropped connection) is shown as a gap, never the end of the watch.
/// </summary>
public static class ClusterWatch
{
    public static async Task<EsClusterStatus?> RunAsync(EsApi api, WatchOptions options, Func<EsClusterStatus, Task> onStatus, CancellationToken ct)
    {
        var deadline = options.Timeout is TimeSpan t ? api.Clock.UtcNow + t : (DateTimeOffset?)null;
        api = api.Polling();
        EsClusterStatus? last = null;
        while (true)
        {
            try
            {
                last = await ReadAsync(api, options.StatePath, ct).ConfigureAwait(false);
                await onStatus(last).ConfigureAwait(false);
                if (options.Until is HealthStatus until && last.Status <= until) return last;
            }
            catch (EsException ex) when (ex.IsTransient)
            {
                api.Log.Verbose($"[{api.Connection.Name}] watch: {ex.Message}; asking again");
            }
            if (deadline is DateTimeOffset d && api.Clock.UtcNow >= d)
                throw new EsException(EsErrorKind.Timeout, ErrorIds.WatchTimeout,
                    $"{api.Connection.Name} was {last?.Status.ToString().ToLowerInvariant() ?? "unreachable"} after {options.Timeout}" +
                    (options.Until is HealthStatus u ? $", not {u.ToString().ToLowerInvariant()}" : "") + ".", api.Connection.Name);
            await api.Clock.Delay(options.Interval, ct).ConfigureAwait(false);
        }
    }

    public static async Task<EsClusterStatus> ReadAsync(EsApi api, string? statePath, CancellationToken ct)
    {
        var health = await HealthReader.GetAsync(api, null, HealthLevel.Cluster, ct).ConfigureAwait(false);
        var nodes = await InventoryReader.GetNodesAsync(api, null, ct).ConfigureAwait(false);
        var newest = nodes.Select(n => n.Version).DefaultIfEmpty(new Version(0, 0)).Max()!;
        var mixed = nodes.Select(n => n.Version).Distinct().Count() > 1;
        var recovery = await api.GetJsonAsync(EsRequest.Get("/_cat/recovery?format=json&active_only=true&bytes=b&h=index,shard,type,source_node,target_node,bytes_recovered,bytes_total,bytes_percent"), ct).ConfigureAwait(false);
        var status = new EsClusterStatus
        {
            Connection = api.Connection, Time = api.Clock.UtcNow, Status = health.Status, RelocatingShards = health.RelocatingShards,
            InitializingShards = health.InitializingShards, UnassignedShards = health.UnassignedShards, ActiveShardsPercent = health.ActiveShardsPercent,
            Nodes = nodes.OrderBy(n => n.Name, StringComparer.Ordinal).Select(n => new WatchedNode
            {
                Name = n.Name, Version = n.VersionNumber, Upgraded = mixed && n.Version == newest, IsElectedMaster = n.IsElectedMaster,
            }).ToList(),
            Recoveries = recovery.ValueKind != JsonValueKind.Array ? new List<WatchedRecovery>() : recovery.EnumerateArray().Select(r => new WatchedRecovery
            {
                Index = r.Str("index") ?? "", Shard = int.TryParse(r.Str("shard"), out var s) ? s : 0, Type = r.Str("type") ?? "",
                Source = r.Str("source_node") is string src && src != "n/a" ? src : null, Target = r.Str("target_node") ?? "",
                BytesRecovered = long.TryParse(r.Str("bytes_recovered"), out var br) ? br : 0, BytesTotal = long.TryParse(r.Str("bytes_total"), out var bt) ? bt : 0,
                Percent = double.TryParse((r.Str("bytes_percent") ?? "").TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : 0,
            }).ToList(),
        };
        if (statePath != null)
        {
            try
            {
                var state = new JsonStateFile<UpgradeState>(statePath).Load();
                if (state != null)
                {
                    status.UpgradeTotal = state.Nodes.Count;
                    status.UpgradeDone = state.Nodes.Count(n => n.Done);
                    var current = state.Nodes.FirstOrDefault(n => !n.Done && n.Completed.Count > 0);
                    status.UpgradingNode = current?.Name;
                    status.UpgradeStep = current?.Completed.LastOrDefault().ToString();
                }
            }
            catch (EsException ex)
            {
                api.Log.Verbose($"watch: the state file cannot be read now ({ex.Message})");
            }
        }
        return status;
    }

    /// <summary>The status as the console view draws it: fixed lines, each cut to the width.</summary>
    public static IReadOnlyList<string> Render(EsClusterStatus s, int width)
    {
        var lines = new List<string>
        {
            $"{s.Connection.Name}  {s.Time.ToLocalTime():HH:mm:ss}  health {s.Status.ToString().ToUpperInvariant()}  active {s.ActiveShardsPercent:0.0}%  " +
            $"relocating {s.RelocatingShards}  initializing {s.InitializingShards}  unassigned {s.UnassignedShards}",
        };
        if (s.UpgradeTotal != null)
            lines.Add($"rolling upgrade: {s.UpgradeDone} of {s.UpgradeTotal} nodes done" + (s.UpgradingNode is null ? "" : $", now {s.UpgradingNode} (after {s.UpgradeStep})"));
        lines.Add("nodes: " + string.Join("  ", s.Nodes.Select(n => $"{(n.IsElectedMaster ? "*" : "")}{n.Name} {n.Version}{(n.Upgraded ? " ^" : "")}")));
        if (s.Recoveries.Count == 0) lines.Add("recoveries: none");
        else
        {
            lines.Add($"recoveries: {s.Recoveries.Count}");
            foreach (var r in s.Recoveries.OrderBy(r => r.Percent).Take(10))
                lines.Add($"  {r.Index}[{r.Shard}] {r.Type} {r.Source ?? "-"} -> {r.Target}  {r.BytesRecovered / (1024 * 1024)} of {r.BytesTotal / (1024 * 1024)} MB  {r.Percent:0.0}%");
            if (s.Recoveries.Count > 10) lines.Add($"  ... and {s.Recoveries.Count - 10} more");
        }
        return lines.Select(l => l.Length > width ? l.Substring(0, Math.Max(0, width - 1)) + "…" : l).ToList();
    }
}

/// <summary>Where the console view draws: the cmdlet's host, or a fake that records what was drawn.</summary>
public interface IConsoleSurface
{
    int Width { get; }
    /// <summary>The row the cursor is on.</summary>
    int Row { get; }
    void MoveTo(int row);
    void WriteLine(string text);
}

/// <summary>Draws each status over the previous one: the same rows, each line padded to clear what was there.</summary>
public sealed class ConsoleRedraw
{
    readonly IConsoleSurface surface;
    int top = -1;
    int drawn;

    public ConsoleRedraw(IConsoleSurface surface) => this.surface = surface;

    public void Draw(EsClusterStatus status)
    {
        var width = Math.Max(20, surface.Width);
        var lines = ClusterWatch.Render(status, width - 1).ToList();
        if (top < 0) top = surface.Row;
        surface.MoveTo(top);
        var rows = Math.Max(lines.Count, drawn);
        for (var i = 0; i < rows; i++)
            surface.WriteLine((i < lines.Count ? lines[i] : "").PadRight(width - 1));
        drawn = lines.Count;
        // At the bottom of the window the console scrolls as it writes: the view starts where the cursor now says.
        top = surface.Row - rows;
    }
}
