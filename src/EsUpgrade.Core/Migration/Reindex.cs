using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;
using EsUpgrade.Errors;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Migration;

/// <summary>What a reindex copies, from where, and how it is followed.</summary>
public sealed class ReindexOptions
{
    public string Source { get; set; } = "";
    public string Destination { get; set; } = "";
    /// <summary>The cluster to read from (reindex from remote); null for the destination's own cluster.</summary>
    public EsConnection? Remote { get; set; }
    /// <summary>Slices in parallel (local only): 0 for auto (one per shard), 1 for none.</summary>
    public int Slices { get; set; } = 1;
    /// <summary>An earlier task to follow instead of starting one (a resume).</summary>
    public string? TaskId { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(6);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>A reindex as it ended: the task's counts and the documents then counted on both sides.</summary>
public sealed class EsReindexResult
{
    public EsConnection Connection { get; internal set; } = null!;
    public string Source { get; internal set; } = "";
    public string Destination { get; internal set; } = "";
    /// <summary>The cluster read from (its connection name), or null for a local reindex.</summary>
    public string? RemoteCluster { get; internal set; }
    public string TaskId { get; internal set; } = "";
    public long Total { get; internal set; }
    public long Created { get; internal set; }
    public long Updated { get; internal set; }
    public long VersionConflicts { get; internal set; }
    public long SourceDocuments { get; internal set; }
    public long DestinationDocuments { get; internal set; }
    /// <summary>The destination holds at least as many documents as the source.</summary>
    public bool CountsMatch => DestinationDocuments >= SourceDocuments;
    public TimeSpan Duration { get; internal set; }
    public double DurationSeconds => Math.Round(Duration.TotalSeconds, 1);
    public override string ToString() => $"{(RemoteCluster is null ? "" : RemoteCluster + ":")}{Source} -> {Destination}: {DestinationDocuments} of {SourceDocuments} documents";
}

/// <summary>
/// _reindex as a task: local (sliced when asked) or from a remote cluster whose address and credentials come from its
/// connection (sent in the request body only, never logged); followed with progress; resumable by task id; counts
/// compared at the end. op_type create: a second run copies nothing twice.
/// </summary>
public static class Reindex
{
    public const int ProgressActivityId = 4600;

    public static async Task<EsReindexResult> RunAsync(EsApi api, ReindexOptions options, CancellationToken ct)
    {
        var started = api.Clock.UtcNow;
        var taskId = options.TaskId ?? await StartAsync(api, options, ct).ConfigureAwait(false);
        var status = await AwaitAsync(api, taskId, $"{options.Source} into {options.Destination}", options, ct).ConfigureAwait(false);
        if (status is null)
        {
            api.Log.Verbose($"[{api.Connection.Name}] task {taskId} is gone: starting the reindex again (op_type create copies nothing twice)");
            taskId = await StartAsync(api, options, ct).ConfigureAwait(false);
            status = await AwaitAsync(api, taskId, $"{options.Source} into {options.Destination}", options, ct).ConfigureAwait(false)
                ?? throw new EsException(EsErrorKind.InvalidState, ErrorIds.ReindexFailed, $"The reindex task {taskId} vanished twice.", options.Source);
        }
        await api.SendAsync(new EsRequest("POST", $"/{Uri.EscapeDataString(options.Destination)}/_refresh"), ct).ConfigureAwait(false);
        var sourceApi = options.Remote is null ? api : new EsApi(options.Remote, api.Log, api.Clock);
        var result = new EsReindexResult
        {
            Connection = api.Connection, Source = options.Source, Destination = options.Destination, RemoteCluster = options.Remote?.Name, TaskId = taskId,
            Total = status.Value.Long("total"), Created = status.Value.Long("created"), Updated = status.Value.Long("updated"), VersionConflicts = status.Value.Long("version_conflicts"),
            SourceDocuments = await CountAsync(sourceApi, options.Source, ct).ConfigureAwait(false),
            DestinationDocuments = await CountAsync(api, options.Destination, ct).ConfigureAwait(false),
            Duration = api.Clock.UtcNow - started,
        };
        if (!result.CountsMatch)
            api.Log.Warning($"[{api.Connection.Name}] [{options.Destination}] holds {result.DestinationDocuments} documents, [{options.Source}] {result.SourceDocuments}: documents written to the source during the copy are not in it; run the reindex again to add them.");
        return result;
    }

    public static async Task<long> CountAsync(EsApi api, string index, CancellationToken ct) =>
        (await api.GetJsonAsync(EsRequest.Get($"/{Uri.EscapeDataString(index)}/_count"), ct).ConfigureAwait(false)).Long("count");

    /// <summary>The request body; for a remote source it holds the remote's credentials, so it is never logged.</summary>
    internal static string Body(ReindexOptions options)
    {
        var source = new Dictionary<string, object?> { ["index"] = options.Source };
        if (options.Remote is EsConnection remote)
        {
            var uri = remote.Nodes.FirstOrDefault() ?? throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.NoNodeUri,
                $"Connection {remote.Name} has no node address a cluster could read from (an Elastic Cloud id): reindex from its https endpoint instead.", remote.Name);
            // Elasticsearch wants the port spelled out, even 443 or 80 (RestReindexAction refuses a host without one).
            var info = new Dictionary<string, object?> { ["host"] = $"{uri.Scheme}://{uri.Host}:{uri.Port}{uri.AbsolutePath.TrimEnd('/')}" };
            if (remote.ApiKey != null)
            {
                var key = TransportWire.Reveal(remote.ApiKey);
                info["headers"] = new Dictionary<string, string> { ["Authorization"] = "ApiKey " + (key.Contains(":") ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key)) : key) };
            }
            else if (remote.Credential != null)
            {
                info["username"] = remote.Credential.UserName;
                info["password"] = remote.Credential.Password;
            }
            source["remote"] = info;
        }
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["source"] = source,
            ["dest"] = new Dictionary<string, object?> { ["index"] = options.Destination, ["op_type"] = "create" },
            ["conflicts"] = "proceed",
        });
    }

    /// <summary>Starts the task; a host missing from the destination's reindex.remote.whitelist is RemoteNotWhitelisted with the remedy.</summary>
    public static async Task<string> StartAsync(EsApi api, ReindexOptions options, CancellationToken ct)
    {
        if (options.Remote != null && options.Slices != 1)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.ReindexFailed, "Elasticsearch does not slice a reindex from a remote cluster: leave -Slices out.", options.Source);
        var slices = options.Slices == 1 ? "" : "&slices=" + (options.Slices <= 0 ? "auto" : options.Slices.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var started = await api.GetJsonAsync(new EsRequest("POST", "/_reindex?wait_for_completion=false" + slices, Body(options)), ct).ConfigureAwait(false);
            var id = started.Str("task") ?? throw new EsException(EsErrorKind.InvalidResult, ErrorIds.InvalidResponse, $"{api.Connection.Name} started no reindex task.", options.Source);
            api.Log.Verbose($"[{api.Connection.Name}] reindex {(options.Remote is null ? "" : options.Remote.Name + ":")}{options.Source} -> {options.Destination}: task {id}");
            return id;
        }
        catch (EsServerException ex) when ((ex.Reason ?? "").Contains("not whitelisted in reindex.remote.whitelist"))
        {
            var uri = options.Remote!.Nodes.First();
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.RemoteNotWhitelisted,
                $"{api.Connection.Name} may not read from {uri.Host}:{uri.Port}: {ex.Reason}. Add reindex.remote.whitelist: \"{uri.Host}:{uri.Port}\" to the elasticsearch.yml of every node of {api.Connection.Name} and restart them (a static setting).",
                options.Source, ex);
        }
        catch (EsServerException ex) when (ex.IsIndexNotFound)
        {
            throw new EsException(EsErrorKind.NotFound, ErrorIds.IndexNotFound, $"There is no index named '{options.Source}' in {(options.Remote ?? api.Connection).Name}.", options.Source);
        }
        catch (EsServerException ex) when (ex.StatusCode is 401 or 403 && options.Remote != null)
        {
            throw new EsException(EsErrorKind.Authentication, ErrorIds.ReindexFailed,
                $"{options.Remote.Name} refused the credentials of its connection when {api.Connection.Name} read [{options.Source}] from it ({ex.StatusCode}): the user needs the read and view_index_metadata privileges there.", options.Source, ex);
        }
    }

    /// <summary>
    /// A task that failed before copying: started without waiting, Elasticsearch validates inside the task, so a host
    /// missing from the whitelist, the remote refusing the credentials or a missing source index come back here.
    /// </summary>
    static EsException TaskError(JsonElement error, string label, string taskId, ReindexOptions options)
    {
        var type = error.Str("type") ?? "";
        var reason = error.Str("reason") ?? error.GetRawText();
        if (reason.Contains("not whitelisted in reindex.remote.whitelist") && options.Remote?.Nodes.FirstOrDefault() is Uri uri)
            return new EsException(EsErrorKind.InvalidArgument, ErrorIds.RemoteNotWhitelisted,
                $"The cluster may not read from {uri.Host}:{uri.Port}: {reason}. Add reindex.remote.whitelist: \"{uri.Host}:{uri.Port}\" to the elasticsearch.yml of every node of the destination and restart them (a static setting).", options.Source);
        if (type == "index_not_found_exception" || (type == "status_exception" && reason.Contains("index_not_found_exception")))
            return new EsException(EsErrorKind.NotFound, ErrorIds.IndexNotFound, $"There is no index named '{options.Source}' in {(options.Remote?.Name ?? "the cluster")}.", options.Source);
        if (options.Remote != null && type == "status_exception" && (reason.Contains("\"status\":401") || reason.Contains("\"status\":403") || reason.Contains("security_exception")))
            return new EsException(EsErrorKind.Authentication, ErrorIds.ReindexFailed,
                $"{options.Remote.Name} refused the credentials of its connection when the reindex of {label} read from it: the user needs the read and view_index_metadata privileges there.", options.Source);
        return new EsException(EsErrorKind.InvalidState, ErrorIds.ReindexFailed, $"The reindex of {label} (task {taskId}) failed: {reason}", label);
    }

    /// <summary>Follows a task to its end with progress: its status, or null when the task is gone (its node restarted).</summary>
    public static async Task<JsonElement?> AwaitAsync(EsApi api, string taskId, string label, ReindexOptions options, CancellationToken ct)
    {
        var deadline = api.Clock.UtcNow + options.Timeout;
        while (true)
        {
            JsonElement task;
            try
            {
                task = await api.GetJsonAsync(EsRequest.Get($"/_tasks/{Uri.EscapeDataString(taskId)}"), ct).ConfigureAwait(false);
            }
            catch (EsServerException ex) when (ex.StatusCode == 404)
            {
                return null;
            }
            catch (EsException ex) when (ex.IsTransient)
            {
                if (api.Clock.UtcNow >= deadline) throw;
                api.Log.Verbose($"[{api.Connection.Name}] task {taskId}: {ex.Message}; asking again");
                await api.Clock.Delay(options.PollInterval, ct).ConfigureAwait(false);
                continue;
            }
            var status = task.Prop("task")?.Prop("status");
            var total = status?.Long("total") ?? 0;
            var done = (status?.Long("created") ?? 0) + (status?.Long("updated") ?? 0) + (status?.Long("version_conflicts") ?? 0);
            var completed = task.Bool("completed");
            api.Log.Progress(new EsProgress(ProgressActivityId, $"Reindexing {label}", $"{done} of {total} documents", total > 0 ? (int)Math.Min(100, done * 100 / total) : -1, completed: completed));
            if (completed)
            {
                var response = task.Prop("response");
                var failures = response?.Array("failures").ToList() ?? new List<JsonElement>();
                var error = task.Prop("error");
                if (error != null) throw TaskError(error.Value, label, taskId, options);
                if (failures.Count > 0 || task.Prop("task")?.Bool("cancelled") == true)
                    throw new EsException(EsErrorKind.InvalidState, ErrorIds.ReindexFailed,
                        $"The reindex of {label} (task {taskId}) " + (error != null ? "failed: " + (error.Value.Str("reason") ?? error.Value.GetRawText())
                            : failures.Count > 0 ? $"reported {failures.Count} failures, the first: {failures[0].Prop("cause")?.Str("reason") ?? failures[0].GetRawText()}."
                            : "was cancelled.") + " Run it again: op_type create copies only what is missing.", label);
                return response ?? status;
            }
            if (api.Clock.UtcNow >= deadline)
                throw new EsException(EsErrorKind.Timeout, ErrorIds.ReindexFailed,
                    $"The reindex of {label} (task {taskId}) was still running after {options.Timeout}: it goes on; Invoke-EsReindex -TaskId {taskId} follows it again.", label);
            await api.Clock.Delay(options.PollInterval, ct).ConfigureAwait(false);
        }
    }
}
