using System.Text.Json.Nodes;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

/// <summary>Aliases, index blocks, mappings, _reindex and the tasks API: what reindexing an old index uses.</summary>
public static class ReindexHandlers
{
    /// <summary>POST _aliases: {"actions": [{"add"|"remove"|"remove_index": {"index", "alias"}}]}, all or nothing.</summary>
    public static Task<Reply> UpdateAliases(RestRequest r)
    {
        var body = r.JsonBody() ?? throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: no actions specified;");
        var actions = new List<EmulatedCluster.AliasAction>();
        foreach (var item in body["actions"] as JsonArray ?? new JsonArray())
            foreach (var (kind, spec) in (JsonObject)item!)
            {
                if (kind is not ("add" or "remove" or "remove_index"))
                    throw new EsError(400, "x_content_parse_exception", $"[1:{kind.Length}] [alias_action] unknown field [{kind}]");
                var index = spec?["index"]?.GetValue<string>() ?? throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: One of [index] or [indices] is required;");
                actions.Add(new(kind, index, spec?["alias"]?.GetValue<string>()));
            }
        if (actions.Count == 0) throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: no actions specified;");
        r.Cluster.UpdateAliases(actions);
        return Task.FromResult(Reply.Acknowledged());
    }

    /// <summary>GET [/{index}]/_alias[/{name}]: {index: {"aliases": {alias: {}}}}; a missing alias name is a bare 404 {"error", "status"}.</summary>
    public static Task<Reply> GetAliases(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var indices = r.Param("index") is string expression ? IndexExpression.Resolve(r.Cluster, expression, expand: Expand.OpenAndClosed) : r.Cluster.Indices.ToList();
            var names = r.Param("name")?.Split(',');
            var body = indices
                .Select(i => (i.Name, Aliases: i.Aliases.Where(a => names is null || names.Any(n => Wildcard.Matches(n, a))).OrderBy(a => a, StringComparer.Ordinal).ToList()))
                .Where(x => names is null || x.Aliases.Count > 0)
                .ToDictionary(x => x.Name, x => (object?)new Dictionary<string, object?> { ["aliases"] = x.Aliases.ToDictionary(a => a, _ => (object?)new Dictionary<string, object?>()) });
            var missing = names?.Where(n => !Wildcard.IsPattern(n) && !indices.Any(i => i.Aliases.Contains(n))).ToList();
            if (missing is { Count: > 0 })
                return Task.FromResult(Reply.Of(404, new Dictionary<string, object?>(body) { ["error"] = $"alias [{string.Join(",", missing)}] missing", ["status"] = 404 }));
            return Task.FromResult(Reply.Ok(body));
        }
    }

    /// <summary>PUT /{index}/_block/{block}: write, read_only, read or metadata, as the index.blocks.* setting.</summary>
    public static Task<Reply> AddBlock(RestRequest r)
    {
        var block = r.Param("block")!;
        if (block is not ("write" or "read_only" or "read" or "metadata"))
            throw EsError.IllegalArgument($"No block found for name [{block}]");
        var blocked = new List<object?>();
        lock (r.Cluster.Sync)
            foreach (var index in IndexExpression.Resolve(r.Cluster, r.Param("index"), expand: Expand.Open))
            {
                r.Cluster.UpdateIndexSettings(index, new Dictionary<string, string?> { ["index.blocks." + block] = "true" });
                blocked.Add(new Dictionary<string, object?> { ["name"] = index.Name, ["blocked"] = true });
            }
        return Task.FromResult(Reply.Ok(new Dictionary<string, object?> { ["acknowledged"] = true, ["shards_acknowledged"] = true, ["indices"] = blocked }));
    }

    /// <summary>GET [/{index}]/_mapping: typeless from 7.0; include_type_name (7.x) shows a 6.x index's single type.</summary>
    public static Task<Reply> GetMapping(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var typed = !r.Node.Profile.Is8 && r.Flag("include_type_name");
            var indices = IndexExpression.Resolve(r.Cluster, r.Param("index"), expand: Expand.Open);
            return Task.FromResult(Reply.Ok(indices.ToDictionary(i => i.Name, i =>
            {
                var mapping = new Dictionary<string, object?> { ["properties"] = new Dictionary<string, object?> { ["message"] = new Dictionary<string, object?> { ["type"] = "text" } } };
                return (object?)new Dictionary<string, object?> { ["mappings"] = typed ? new Dictionary<string, object?> { [i.MappingType ?? "_doc"] = mapping } : mapping };
            })));
        }
    }

    /// <summary>
    /// POST _reindex: {"source": {"index", "remote": {"host", "username", "password"}}, "dest": {"index", "op_type"}};
    /// slices (local only) copy in parallel; wait_for_completion=false answers {"task"}. A remote source must be in
    /// reindex.remote.whitelist (BEHAVIOUR.md §7); its documents are counted through its own HTTP API.
    /// </summary>
    public static async Task<Reply> Reindex(RestRequest r)
    {
        var body = r.JsonBody() ?? throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: source is missing;2: destination index is missing;");
        var sourceName = body["source"]?["index"] switch
        {
            JsonArray a => string.Join(",", a.Select(x => x!.GetValue<string>())),
            JsonValue v => v.GetValue<string>(),
            _ => throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: use _all if you really want to copy from all existing indexes;"),
        };
        var destName = body["dest"]?["index"]?.GetValue<string>() ?? throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: index must be specified;");
        var slicesText = r.Q("slices") ?? "1";
        var remote = body["source"]?["remote"] as JsonObject;
        var slices = slicesText == "auto" ? int.MaxValue : int.TryParse(slicesText, out var n) && n >= 1 ? n
            : throw EsError.IllegalArgument($"[slices] must be at least 1, was [{slicesText}]");
        var background = r.Q("wait_for_completion") == "false";
        if (remote != null && slices > 1)
            throw new EsError(400, "action_request_validation_exception", $"Validation Failed: 1: reindex from remote sources doesn't support slices > 1 but was [{(slicesText == "auto" ? "auto" : slices.ToString())}];");
        if (remote != null) RemoteHost(remote);    // the host's form is checked as the request is parsed
        ReindexTask task;
        try
        {
            if (remote != null)
            {
                var (total, description) = await CountRemoteAsync(r, remote, sourceName);
                var dest = await DestinationAsync(r, destName);
                task = r.Cluster.StartReindex(description, total, dest);
            }
            else
            {
                EmulatedIndex source;
                lock (r.Cluster.Sync) source = IndexExpression.Resolve(r.Cluster, sourceName, expand: Expand.Open).Single();
                var dest = await DestinationAsync(r, destName);
                task = r.Cluster.StartReindex(source, dest, slices);
            }
        }
        catch (EsError error) when (background && error.Status != 503)
        {
            task = r.Cluster.FailedReindex(sourceName, destName, error);
        }
        if (r.Q("wait_for_completion") == "false")
            return Reply.Ok(new Dictionary<string, object?> { ["task"] = task.Id });
        await r.Cluster.WaitUntilAsync(() => r.Cluster.FindTask(task.Id)!.Completed, TimeSpan.FromMinutes(10), r.Aborted);
        return Reply.Ok(Response(task));
    }

    /// <summary>The destination index, created (one shard, one replica) and its primary started when it does not exist, as the bulk's auto-create waits for it.</summary>
    static async Task<EmulatedIndex> DestinationAsync(RestRequest r, string name)
    {
        EmulatedIndex dest;
        lock (r.Cluster.Sync) dest = r.Cluster.Index(name) ?? r.Cluster.CreateIndex(new IndexSpec { Name = name, Shards = 1, Replicas = 1 });
        await r.Cluster.WaitUntilAsync(() => dest.Copies.Where(c => c.Primary).All(c => c.IsActive), TimeSpan.FromSeconds(30), r.Aborted);
        return dest;
    }

    /// <summary>source.remote.host as RestReindexAction parses it: scheme, host and an explicit port (a default port is not assumed).</summary>
    static Uri RemoteHost(JsonObject remote)
    {
        var hostText = remote["host"]?.GetValue<string>() ?? throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: [host] must be specified to reindex from a remote cluster;");
        if (!System.Text.RegularExpressions.Regex.IsMatch(hostText, @"^https?://(\[[^\]]+\]|[^/:\[]+):\d+(/.*)?$") || !Uri.TryCreate(hostText, UriKind.Absolute, out var host))
            throw EsError.IllegalArgument($"[host] must be of the form [scheme]://[host]:[port](/[pathPrefix])? but was [{hostText}]");
        return host;
    }

    static readonly HttpClient Remote = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Checks the whitelist (host:port, without the scheme) and reads the remote index's document count with the given
    /// credentials; the remote's own error comes back with its status, as Elasticsearch wraps it.
    /// </summary>
    static async Task<(long Total, string Description)> CountRemoteAsync(RestRequest r, JsonObject remote, string index)
    {
        var host = RemoteHost(remote);
        var hostPort = $"{host.Host}:{host.Port}";
        if (!r.Cluster.Spec.ReindexRemoteWhitelist.Any(w => Wildcard.Matches(w, hostPort)))
            throw EsError.IllegalArgument($"[{hostPort}] not whitelisted in reindex.remote.whitelist");
        var user = remote["username"]?.GetValue<string>();
        var description = $"[scheme={host.Scheme} host={host.Host} port={host.Port} query={{\n  \"match_all\" : {{ }}\n}}" +
            (user != null ? $" username={user} password=<<>>" : "") + $"][{index}]";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host, $"/{Uri.EscapeDataString(index)}/_count"));
        if (user != null)
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(user + ":" + remote["password"]?.GetValue<string>())));
        HttpResponseMessage response;
        try
        {
            response = await Remote.SendAsync(request, r.Aborted);
        }
        catch (HttpRequestException ex)
        {
            throw new EsError(500, "connect_exception", $"{ex.Message.Split(" (")[0]} ({host.Host}:{host.Port})");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(r.Aborted);
            if (!response.IsSuccessStatusCode)
                throw new EsError((int)response.StatusCode, "status_exception", $"body={text}");
            return (System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("count").GetInt64(), description);
        }
    }

    static Dictionary<string, object?> Status(ReindexTask t) => new()
    {
        ["total"] = t.Total, ["updated"] = 0, ["created"] = t.Created, ["deleted"] = 0, ["batches"] = 1 + t.Created / 1000, ["version_conflicts"] = 0, ["noops"] = 0,
        ["retries"] = new Dictionary<string, object?> { ["bulk"] = 0, ["search"] = 0 }, ["throttled_millis"] = 0, ["requests_per_second"] = -1.0, ["throttled_until_millis"] = 0,
    };

    static Dictionary<string, object?> Response(ReindexTask t)
    {
        var response = new Dictionary<string, object?> { ["took"] = (long)(t.DueAt - t.StartedAt).TotalMilliseconds, ["timed_out"] = false };
        foreach (var (k, v) in Status(t)) response[k] = v;
        response["failures"] = t.Failure is null ? Array.Empty<object>() : new object[]
        {
            new Dictionary<string, object?> { ["index"] = t.DestName, ["id"] = "a1", ["cause"] = new Dictionary<string, object?> { ["type"] = "es_rejected_execution_exception", ["reason"] = t.Failure }, ["status"] = 429 },
        };
        return response;
    }

    /// <summary>GET _tasks/{task_id}: the task and, once completed, its response (kept as the .tasks index keeps it).</summary>
    public static Task<Reply> GetTask(RestRequest r)
    {
        var id = r.Param("task_id")!;
        var t = r.Cluster.FindTask(id) ?? throw new EsError(404, "resource_not_found_exception", $"task [{id}] isn't running and hasn't stored its results");
        var body = new Dictionary<string, object?>
        {
            ["completed"] = t.Completed,
            ["task"] = new Dictionary<string, object?>
            {
                ["node"] = t.Id.Split(':')[0], ["id"] = long.Parse(t.Id.Split(':')[1]), ["type"] = "transport", ["action"] = "indices:data/write/reindex",
                ["status"] = Status(t), ["description"] = $"reindex from {(t.SourceName.StartsWith('[') ? t.SourceName : "[" + t.SourceName + "]")} to [{t.DestName}]",
                ["start_time_in_millis"] = t.StartedAt.ToUnixTimeMilliseconds(), ["running_time_in_nanos"] = (long)((r.Cluster.Clock.UtcNow - t.StartedAt).TotalMilliseconds * 1_000_000),
                ["cancellable"] = true, ["cancelled"] = t.Canceled, ["headers"] = new Dictionary<string, object?>(),
            },
        };
        if (t.Error is EsError failed) body["error"] = RestDispatcher.Describe(failed);
        else if (t.Completed) body["response"] = Response(t);
        return Task.FromResult(Reply.Ok(body));
    }

    /// <summary>POST _tasks/{task_id}/_cancel.</summary>
    public static Task<Reply> CancelTask(RestRequest r)
    {
        var id = r.Param("task_id")!;
        var cancelled = r.Cluster.CancelTask(id);
        return Task.FromResult(Reply.Ok(cancelled
            ? new Dictionary<string, object?> { ["nodes"] = new Dictionary<string, object?> { [id.Split(':')[0]] = new Dictionary<string, object?> { ["tasks"] = new Dictionary<string, object?> { [id] = new Dictionary<string, object?> { ["cancelled"] = true } } } } }
            : new Dictionary<string, object?> { ["nodes"] = new Dictionary<string, object?>() }));
    }
}
