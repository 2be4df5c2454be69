using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;
using EsUpgrade.Errors;
using EsUpgrade.Indices;
using EsUpgrade.Json;
using EsUpgrade.Upgrade;
using EsUpgrade.Wire;

namespace EsUpgrade.Fixes;

/// <summary>
/// Reindexes an index (one created before 7.0, which 8.x cannot open) as Kibana's Upgrade Assistant does, with a
/// checkpoint after each step: write block on the old index; a new index with its mappings (typeless) and settings
/// (minus those Elasticsearch owns, and the deprecated ones), no replicas and no refresh during the copy; _reindex as a
/// task (op_type create, so a rerun never copies twice); refresh; counts compared; replicas back; then one atomic
/// _aliases call moves the aliases, removes the old index and gives its name to the new one as an alias, so readers and
/// writers keep every name they used. A failure before that swap lifts the write block again; a second call resumes.
/// </summary>
public static class IndexUpgrader
{
    /// <summary>Settings the new index must not copy: Elasticsearch's own, the copy's temporary ones, and those 8.x deprecates.</summary>
    static readonly string[] NotCopied =
    {
        "index.uuid", "index.version.*", "index.creation_date", "index.provided_name", "index.blocks.*", "index.routing.allocation.initial_recovery.*",
        "index.resize.*", "index.shrink.*", "index.frozen", "index.verified_before_close", "index.history.uuid", "index.number_of_replicas",
        "index.refresh_interval", "index.indexing.slowlog.level", "index.search.slowlog.level", "index.translog.retention.*", "index.mapper.dynamic",
        "index.routing.allocation.*._tier", "index.store.type",
    };

    /// <summary>The checkpoint of an index's upgrade when none is given: one per cluster and index in the user's local application data.</summary>
    public static string DefaultStatePath(string clusterUuid, string index) =>
        System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "EsUpgrade", $"index-upgrade-{clusterUuid}-{index}.json");

    public static async Task<IndexUpgradeResult> RunAsync(EsApi api, string index, IndexUpgradeOptions options, CancellationToken ct)
    {
        var store = new JsonStateFile<IndexUpgradeState>(options.StatePath);
        using var held = store.Hold();
        var state = store.Load();
        var steps = new List<string>();
        void Note(string what)
        {
            steps.Add(api.Clock.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " " + what);
            api.Log.Verbose($"[{api.Connection.Name}] {index}: {what}");
        }
        if (state != null && (state.ClusterUuid != api.Connection.ClusterUuid || state.Index != index))
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.StateMismatch,
                $"The state file '{options.StatePath}' is of index [{state.Index}] in cluster {state.ClusterUuid}, not of [{index}] in {api.Connection.ClusterName}: give another -StatePath.", options.StatePath);
        if (state is null)
        {
            var settings = await ReadSettingsAsync(api, index, ct).ConfigureAwait(false);
            var concrete = settings.EnumerateObject().First();
            if (concrete.Name != index)
            {
                // The name is an alias now: the swap was done (by an earlier run whose state file is gone, or by hand).
                var count = await CountAsync(api, concrete.Name, ct).ConfigureAwait(false);
                return new IndexUpgradeResult
                {
                    Connection = api.Connection, Index = index, NewIndex = concrete.Name, Status = "AlreadyUpgraded", DocumentsBefore = count, DocumentsAfter = count,
                    Started = api.Clock.UtcNow, Ended = api.Clock.UtcNow, Steps = new[] { $"[{index}] is an alias of [{concrete.Name}]: nothing to do" },
                };
            }
            var flat = concrete.Value.Prop("settings");
            var created = IndexReader.VersionFromId(flat?.Str("index.version.created"));
            if (!options.Force && created != null && created.Major >= api.Connection.MajorVersion)
            {
                var count = await CountAsync(api, index, ct).ConfigureAwait(false);
                return new IndexUpgradeResult
                {
                    Connection = api.Connection, Index = index, NewIndex = index, Status = "NotNeeded", DocumentsBefore = count, DocumentsAfter = count,
                    Started = api.Clock.UtcNow, Ended = api.Clock.UtcNow,
                    Steps = new[] { $"[{index}] was created by {created}: {api.Connection.MajorVersion + 1}.x reads it as it is (-Force reindexes it anyway)" },
                };
            }
            var aliases = await api.GetJsonAsync(EsRequest.Get($"/{Uri.EscapeDataString(index)}/_alias"), ct).ConfigureAwait(false);
            state = new IndexUpgradeState
            {
                ClusterUuid = api.Connection.ClusterUuid, Index = index, NewIndex = options.NewName ?? "reindexed-v8-" + index, KeepSource = options.KeepSource,
                DocumentsBefore = await CountAsync(api, index, ct).ConfigureAwait(false),
                Replicas = int.TryParse(flat?.Str("index.number_of_replicas"), out var r) ? r : 1,
                RefreshInterval = flat?.Str("index.refresh_interval"),
                Aliases = aliases.Prop(index)?.Object("aliases").Select(a => a.Name).ToList() ?? new List<string>(),
                StartedAt = api.Clock.UtcNow,
            };
            store.Save(state);
            Note($"{state.DocumentsBefore} documents, aliases [{string.Join(", ", state.Aliases)}], into [{state.NewIndex}]");
        }
        else Note($"resuming after {string.Join(", ", state.Done)}");

        var step = IndexUpgradeStep.WriteBlock;
        void Done(IndexUpgradeStep s, string what)
        {
            state!.Done.Add(s);
            store.Save(state);
            Note(what);
        }
        var catchUps = 0;
        try
        {
            if (!state.Done.Contains(step = IndexUpgradeStep.WriteBlock))
            {
                await api.SendAsync(new EsRequest("PUT", $"/{Uri.EscapeDataString(index)}/_block/write"), ct).ConfigureAwait(false);
                Done(step, "write block set");
            }
            if (!state.Done.Contains(step = IndexUpgradeStep.CreateTarget))
            {
                await CreateTargetAsync(api, state, ct).ConfigureAwait(false);
                Done(step, $"[{state.NewIndex}] created, no replicas, no refresh");
            }
            while (true)
            {
                if (!state.Done.Contains(step = IndexUpgradeStep.StartReindex))
                {
                    var body = JsonSerializer.Serialize(new Dictionary<string, object>
                    {
                        ["source"] = new Dictionary<string, object> { ["index"] = index },
                        ["dest"] = new Dictionary<string, object> { ["index"] = state.NewIndex, ["op_type"] = "create" },
                        ["conflicts"] = "proceed",
                    });
                    // Asked again after a 429 or a dropped connection, a second task may start: op_type create makes it copy nothing twice.
                    var started = await api.GetJsonAsync(new EsRequest("POST", "/_reindex?wait_for_completion=false", body).SafeToRepeat(), ct).ConfigureAwait(false);
                    state.TaskId = started.Str("task");
                    Done(step, $"reindex task {state.TaskId} started");
                }
                if (!state.Done.Contains(step = IndexUpgradeStep.AwaitReindex))
                {
                    bool present;
                    try
                    {
                        present = await AwaitTaskAsync(api, state, options, ct).ConfigureAwait(false);
                    }
                    catch (EsException ex) when (ex.Kind != EsErrorKind.Timeout && !ex.IsTransient)
                    {
                        // A failed task stays failed: the next run starts a new one (op_type create copies nothing twice).
                        state.Done.Remove(IndexUpgradeStep.StartReindex);
                        state.TaskId = null;
                        store.Save(state);
                        throw;
                    }
                    if (!present)
                    {
                        // The task is gone (its node restarted before it stored a result): start again; op_type create copies nothing twice.
                        state.Done.Remove(IndexUpgradeStep.StartReindex);
                        state.TaskId = null;
                        store.Save(state);
                        Note("the reindex task was lost: starting it again");
                        continue;
                    }
                    Done(step, "reindex finished");
                }
                if (!state.Done.Contains(step = IndexUpgradeStep.Refresh))
                {
                    await api.SendAsync(new EsRequest("POST", $"/{Uri.EscapeDataString(state.NewIndex)}/_refresh"), ct).ConfigureAwait(false);
                    Done(step, "refreshed");
                }
                if (!state.Done.Contains(step = IndexUpgradeStep.VerifyCount))
                {
                    var before = await CountAsync(api, index, ct).ConfigureAwait(false);
                    var after = await CountAsync(api, state.NewIndex, ct).ConfigureAwait(false);
                    if (after < before && catchUps++ == 0)
                    {
                        // Writes that came while the block was lifted (an interrupted run): one more pass picks them up.
                        foreach (var s in new[] { IndexUpgradeStep.StartReindex, IndexUpgradeStep.AwaitReindex, IndexUpgradeStep.Refresh }) state.Done.Remove(s);
                        store.Save(state);
                        Note($"{after} of {before} documents: one more pass");
                        continue;
                    }
                    if (after != before)
                        throw new EsException(EsErrorKind.InvalidState, ErrorIds.IndexUpgradeFailed,
                            $"[{state.NewIndex}] holds {after} documents and [{index}] {before}: the aliases were not moved.", index);
                    Done(step, $"{after} documents in both");
                }
                break;
            }
            if (!state.Done.Contains(step = IndexUpgradeStep.RestoreReplicas))
            {
                var settings = JsonSerializer.Serialize(new Dictionary<string, object?> { ["index"] = new Dictionary<string, object?> { ["number_of_replicas"] = state.Replicas, ["refresh_interval"] = state.RefreshInterval } });
                await api.SendAsync(new EsRequest("PUT", $"/{Uri.EscapeDataString(state.NewIndex)}/_settings", settings), ct).ConfigureAwait(false);
                Done(step, $"{state.Replicas} replicas back");
            }
            if (!state.Done.Contains(step = IndexUpgradeStep.SwapAliases))
            {
                // Not asked again on its own: after a dropped connection it may have been applied; a rerun finds the name an alias (AlreadyUpgraded).
                await api.SendAsync(new EsRequest("POST", "/_aliases", SwapBody(state)), ct).ConfigureAwait(false);
                Done(step, state.KeepSource ? $"aliases moved; [{index}] kept, read-only" : $"aliases moved, [{index}] removed, [{index}] is now an alias of [{state.NewIndex}]");
            }
        }
        catch (Exception ex) when ((ex is EsException || ex is OperationCanceledException) && !state.Done.Contains(IndexUpgradeStep.SwapAliases))
        {
            // Before the swap nothing the readers see has changed but the write block: lift it, keep the rest for a resume.
            var lifted = await LiftWriteBlockAsync(api, index).ConfigureAwait(false);
            if (lifted) { state.Done.Remove(IndexUpgradeStep.WriteBlock); store.Save(state); }
            if (ex is OperationCanceledException) throw;
            var es = (EsException)ex;
            throw new EsException(es.Kind == EsErrorKind.Connection ? EsErrorKind.Connection : EsErrorKind.InvalidState, ErrorIds.IndexUpgradeFailed,
                $"Upgrading index [{index}] stopped at {step}: {es.Message} " +
                (lifted ? $"The write block on [{index}] was lifted. " : $"The write block on [{index}] could not be lifted: PUT {index}/_settings {{\"index.blocks.write\": null}}. ") +
                $"Run the same command again (same -StatePath) to resume.", index, es);
        }
        var documentsAfter = await CountAsync(api, state.KeepSource ? state.NewIndex : index, ct).ConfigureAwait(false);
        store.Delete();
        return new IndexUpgradeResult
        {
            Connection = api.Connection, Index = index, NewIndex = state.NewIndex, Status = "Upgraded", DocumentsBefore = state.DocumentsBefore, DocumentsAfter = documentsAfter,
            Started = state.StartedAt, Ended = api.Clock.UtcNow, Steps = steps, KeptSource = state.KeepSource,
        };
    }

    /// <summary>An index's flat settings less those a new index must not copy: what a copy of it is created with.</summary>
    internal static Dictionary<string, object?> CopyableSettings(JsonElement? flatSettings)
    {
        var copied = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in flatSettings?.EnumerateObject() ?? Enumerable.Empty<JsonProperty>())
            if (!NotCopied.Any(n => Names.Like(n, p.Name))) copied[p.Name] = p.Value.ToPlain();
        return copied;
    }

    static async Task<JsonElement> ReadSettingsAsync(EsApi api, string index, CancellationToken ct)
    {
        try
        {
            return await api.GetJsonAsync(EsRequest.Get($"/{Uri.EscapeDataString(index)}/_settings?flat_settings=true"), ct).ConfigureAwait(false);
        }
        catch (EsServerException ex) when (ex.IsIndexNotFound)
        {
            throw IndexLookup.NotFound(api, index);
        }
    }

    static async Task<long> CountAsync(EsApi api, string index, CancellationToken ct) =>
        (await api.GetJsonAsync(EsRequest.Get($"/{Uri.EscapeDataString(index)}/_count"), ct).ConfigureAwait(false)).Long("count");

    static async Task CreateTargetAsync(EsApi api, IndexUpgradeState state, CancellationToken ct)
    {
        var settings = (await ReadSettingsAsync(api, state.Index, ct).ConfigureAwait(false)).EnumerateObject().First().Value.Prop("settings");
        var mapping = (await api.GetJsonAsync(EsRequest.Get($"/{Uri.EscapeDataString(state.Index)}/_mapping"), ct).ConfigureAwait(false)).EnumerateObject().First().Value.Prop("mappings");
        var copied = CopyableSettings(settings);
        copied["index.number_of_replicas"] = 0;
        copied["index.refresh_interval"] = "-1";
        var body = new Dictionary<string, object?> { ["settings"] = copied };
        if (mapping is JsonElement m) body["mappings"] = m.ToPlain();
        try
        {
            await api.SendAsync(new EsRequest("PUT", $"/{Uri.EscapeDataString(state.NewIndex)}", JsonSerializer.Serialize(body)), ct).ConfigureAwait(false);
        }
        catch (EsServerException ex) when (ex.ErrorType == "resource_already_exists_exception")
        {
            // Created by an earlier run that stopped before its checkpoint: the copy goes on into it.
        }
        // The copy needs the new primaries started (creation may answer before, with shards_acknowledged false).
        var health = await api.GetJsonAsync(EsRequest.Get($"/_cluster/health/{Uri.EscapeDataString(state.NewIndex)}?wait_for_status=yellow&timeout=60s", TimeSpan.FromSeconds(75)), ct, 408).ConfigureAwait(false);
        if (health.Bool("timed_out"))
            throw new EsException(EsErrorKind.Timeout, ErrorIds.IndexUpgradeFailed, $"the primaries of [{state.NewIndex}] did not start within 60s (GET _cluster/allocation/explain says why).", state.Index);
    }

    /// <summary>Follows the task to its end with progress; false when the task is gone.</summary>
    static async Task<bool> AwaitTaskAsync(EsApi api, IndexUpgradeState state, IndexUpgradeOptions options, CancellationToken ct) =>
        await Migration.Reindex.AwaitAsync(api, state.TaskId!, $"{state.Index} into {state.NewIndex}",
            new Migration.ReindexOptions { Timeout = options.Timeout, PollInterval = options.PollInterval }, ct).ConfigureAwait(false) != null;

    static string SwapBody(IndexUpgradeState state)
    {
        var actions = new List<object>();
        foreach (var alias in state.Aliases)
        {
            actions.Add(new Dictionary<string, object> { ["add"] = new Dictionary<string, string> { ["index"] = state.NewIndex, ["alias"] = alias } });
            if (state.KeepSource) actions.Add(new Dictionary<string, object> { ["remove"] = new Dictionary<string, string> { ["index"] = state.Index, ["alias"] = alias } });
        }
        if (!state.KeepSource)
        {
            actions.Add(new Dictionary<string, object> { ["remove_index"] = new Dictionary<string, string> { ["index"] = state.Index } });
            actions.Add(new Dictionary<string, object> { ["add"] = new Dictionary<string, string> { ["index"] = state.NewIndex, ["alias"] = state.Index } });
        }
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["actions"] = actions });
    }

    static async Task<bool> LiftWriteBlockAsync(EsApi api, string index)
    {
        try
        {
            await api.SendAsync(new EsRequest("PUT", $"/{Uri.EscapeDataString(index)}/_settings", "{\"index.blocks.write\":null}"), CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (EsException ex)
        {
            api.Log.Warning($"[{api.Connection.Name}] the write block on [{index}] could not be lifted: {ex.Message}");
            return false;
        }
    }
}
