using System.Text.Json.Nodes;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

/// <summary>Index creation, deletion and settings; documents (index, _bulk, _count); _flush and _refresh.</summary>
public static class IndexHandlers
{
    static Dictionary<string, object?> Shards(int total, int successful) =>
        new() { ["total"] = total, ["successful"] = successful, ["failed"] = total - successful };

    /// <summary>
    /// PUT /{index}: answers once the primaries have started (wait_for_active_shards=1, the default) or after the
    /// timeout (30s) with shards_acknowledged false, as Elasticsearch does.
    /// </summary>
    public static async Task<Reply> Create(RestRequest r)
    {
        var name = r.Param("index")!;
        var body = r.JsonBody();
        var settings = SettingsJson.Flatten(body?["settings"] as JsonObject);
        string? Take(string key) => settings.Remove("index." + key, out var v) || settings.Remove(key, out v) ? v : null;
        var spec = new IndexSpec
        {
            Name = name,
            Shards = int.Parse(Take("number_of_shards") ?? "1"),
            Replicas = int.Parse(Take("number_of_replicas") ?? "1"),
            TierPreference = Take("routing.allocation.include._tier_preference") ?? "data_content",
            Settings = settings.ToDictionary(s => s.Key.StartsWith("index.", StringComparison.Ordinal) ? s.Key : "index." + s.Key, s => s.Value),
        };
        var index = r.Cluster.CreateIndex(spec);
        var started = await r.Cluster.WaitUntilAsync(() => index.Copies.Where(c => c.Primary).All(c => c.IsActive),
            TimeSpan.FromTicks((long)(r.Time("timeout", TimeSpan.FromSeconds(30)).Ticks / r.Cluster.Clock.Scale)), r.Aborted);
        return Reply.Ok(new Dictionary<string, object?> { ["acknowledged"] = true, ["shards_acknowledged"] = started, ["index"] = name });
    }

    public static Task<Reply> Close(RestRequest r) => SetClosed(r, true, Expand.Open);

    public static Task<Reply> Open(RestRequest r) => SetClosed(r, false, Expand.Closed);

    static Task<Reply> SetClosed(RestRequest r, bool closed, Expand apiDefault)
    {
        var targets = new Dictionary<string, object?>();
        lock (r.Cluster.Sync)
            foreach (var index in IndexExpression.Resolve(r.Cluster, r.Param("index"), expand: r.Expand(apiDefault)))
            {
                r.Cluster.SetClosed(index, closed);
                targets[index.Name] = new Dictionary<string, object?> { ["closed"] = true };
            }
        var body = new Dictionary<string, object?> { ["acknowledged"] = true, ["shards_acknowledged"] = true };
        if (closed) body["indices"] = targets;
        return Task.FromResult(Reply.Ok(body));
    }

    public static Task<Reply> Delete(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            foreach (var index in IndexExpression.Resolve(r.Cluster, r.Param("index"), expand: r.Expand(Expand.OpenAndClosed))) r.Cluster.DeleteIndex(index);
        }
        return Task.FromResult(Reply.Acknowledged());
    }

    public static Task<Reply> Get(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            return Task.FromResult(Reply.Ok(IndexExpression.Resolve(r.Cluster, r.Param("index"), expand: r.Expand(Expand.Open)).ToDictionary(i => i.Name, i => (object?)new Dictionary<string, object?>
            {
                ["aliases"] = i.Aliases.OrderBy(a => a, StringComparer.Ordinal).ToDictionary(a => a, _ => (object?)new Dictionary<string, object?>()),
                ["mappings"] = new Dictionary<string, object?>(),
                ["settings"] = new Dictionary<string, object?> { ["index"] = SettingsJson.Nested(SettingsOf(i)) },
            })));
        }
    }

    public static Task<Reply> GetSettings(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var flat = r.Flag("flat_settings");
            var filter = r.Param("name")?.Split(',');
            // As _cat/indices: the spec's default "all" predates hidden indices and means open and closed.
            return Task.FromResult(Reply.Ok(IndexExpression.Resolve(r.Cluster, r.Param("index"), expand: r.Expand(Expand.OpenAndClosed)).ToDictionary(i => i.Name, i =>
            {
                var settings = SettingsOf(i).Where(s => filter is null || filter.Any(f => Wildcard.Matches(f, s.Key)))
                    .ToDictionary(s => s.Key, s => s.Value);
                return (object?)new Dictionary<string, object?> { ["settings"] = flat ? settings.ToDictionary(s => s.Key, s => (object?)s.Value) : SettingsJson.Nested(settings) };
            })));
        }
    }

    public static Task<Reply> PutSettings(RestRequest r)
    {
        var body = r.JsonBody() ?? throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: no settings to update;");
        var settings = SettingsJson.Flatten(body["settings"] as JsonObject ?? body);
        lock (r.Cluster.Sync)
            foreach (var index in IndexExpression.Resolve(r.Cluster, r.Param("index"), expand: r.Expand(Expand.Open)))
                r.Cluster.UpdateIndexSettings(index, settings);
        return Task.FromResult(Reply.Acknowledged());
    }

    /// <summary>The settings Elasticsearch reports for an index, by flat name.</summary>
    static Dictionary<string, string?> SettingsOf(EmulatedIndex i)
    {
        var s = new Dictionary<string, string?>
        {
            ["index.creation_date"] = i.CreatedAt.ToUnixTimeMilliseconds().ToString(),
            ["index.number_of_shards"] = i.NumberOfShards.ToString(),
            ["index.number_of_replicas"] = i.NumberOfReplicas.ToString(),
            ["index.uuid"] = i.Uuid,
            ["index.version.created"] = i.VersionCreatedId,
            ["index.provided_name"] = i.Name,
        };
        foreach (var (k, v) in i.Settings) if (v != null) s[k] = v;
        return s;
    }

    /// <summary>
    /// A document: POST /{index}/_doc, PUT|POST /{index}/_doc/{id} (op_type, if_seq_no, if_primary_term) and
    /// PUT|POST /{index}/_create/{id}. Creates the index if needed (action.auto_create_index).
    /// </summary>
    public static Task<Reply> IndexDocument(RestRequest r)
    {
        var create = r.Path.Contains("/_create/", StringComparison.Ordinal) || r.Q("op_type") == "create";
        if (r.Q("op_type") is { } opType && opType is not ("create" or "index"))
            throw EsError.IllegalArgument($"opType must be 'create' or 'index', found: [{opType}]");
        var index = IndexForWrite(r.Cluster, r.Param("index")!);
        var source = r.JsonBody()?.ToJsonString();
        var (created, id, stored) = r.Cluster.IndexDocument(index, r.Param("id"), source, WriteCondition.Of(create, r.Long("if_seq_no"), r.Long("if_primary_term")));
        return Task.FromResult(Reply.Of(created ? 201 : 200, WriteResult(r, index, id, stored, created ? "created" : "updated")));
    }

    /// <summary>DELETE /{index}/_doc/{id}: a document written through the API goes; another id is 404 with "result": "not_found".</summary>
    public static Task<Reply> DeleteDocument(RestRequest r)
    {
        EmulatedIndex index;
        lock (r.Cluster.Sync) index = IndexExpression.Resolve(r.Cluster, r.Param("index"), expand: Expand.Open).Single();
        var id = r.Param("id")!;
        var (found, operation) = r.Cluster.DeleteDocument(index, id, WriteCondition.Of(false, r.Long("if_seq_no"), r.Long("if_primary_term")));
        return Task.FromResult(Reply.Of(found ? 200 : 404, WriteResult(r, index, id, operation, found ? "deleted" : "not_found")));
    }

    /// <summary>GET /{index}/_doc/{id}: found with _source, _seq_no and _primary_term; 404 with found false when there is none.</summary>
    public static Task<Reply> GetDocument(RestRequest r)
    {
        EmulatedIndex index;
        lock (r.Cluster.Sync)
            index = r.Cluster.Index(r.Param("index")!) ?? r.Cluster.IndicesOfAlias(r.Param("index")!).FirstOrDefault() ?? throw EsError.IndexNotFound(r.Param("index")!);
        var id = r.Param("id")!;
        var stored = r.Cluster.GetDocument(index, id);
        var body = new Dictionary<string, object?> { ["_index"] = index.Name };
        if (r.Node.Profile.Major == 7) body["_type"] = "_doc";
        body["_id"] = id;
        if (stored is null)
        {
            body["found"] = false;
            return Task.FromResult(Reply.Of(404, body));
        }
        body["_version"] = stored.Version;
        body["_seq_no"] = stored.SeqNo;
        body["_primary_term"] = stored.PrimaryTerm;
        body["found"] = true;
        body["_source"] = stored.Source is null ? new JsonObject() : JsonNode.Parse(stored.Source);
        return Task.FromResult(Reply.Ok(body));
    }

    static EmulatedIndex IndexForWrite(EmulatedCluster cluster, string name)
    {
        lock (cluster.Sync)
        {
            if (cluster.Index(name) is { } index) return index;
            // An alias of one index writes to it (7.x; is_write_index is not modelled).
            var aliased = cluster.IndicesOfAlias(name);
            if (aliased.Count == 1) return aliased[0];
            if (aliased.Count > 1)
                throw EsError.IllegalArgument($"no write index is defined for alias [{name}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index");
            return cluster.CreateIndex(new IndexSpec { Name = name, Shards = 1, Replicas = 1 });
        }
    }

    /// <summary>A write's answer, as the node that took the request gives it (7.x adds "_type": "_doc").</summary>
    static Dictionary<string, object?> WriteResult(RestRequest r, EmulatedIndex index, string id, StoredDocument stored, string result)
    {
        var body = new Dictionary<string, object?> { ["_index"] = index.Name };
        if (r.Node.Profile.Major == 7) body["_type"] = "_doc";
        body["_id"] = id;
        body["_version"] = stored.Version;
        body["result"] = result;
        body["_shards"] = Shards(1 + index.NumberOfReplicas, 1 + index.Copies.Count(c => c.Shard == index.ShardOf(id) && !c.Primary && c.IsActive));
        body["_seq_no"] = stored.SeqNo;
        body["_primary_term"] = stored.PrimaryTerm;
        return body;
    }

    /// <summary>_bulk: NDJSON action/source pairs; index and create are applied, others are refused per item.</summary>
    public static Task<Reply> Bulk(RestRequest r)
    {
        var lines = (r.Body ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var items = new List<object?>();
        var errors = false;
        for (var n = 0; n < lines.Length; n++)
        {
            var action = JsonNode.Parse(lines[n]) as JsonObject ?? throw new EsError(400, "illegal_argument_exception", "Malformed action/metadata line [" + (n + 1) + "]");
            var (op, meta) = (action.First().Key, action.First().Value as JsonObject ?? new JsonObject());
            if (op is "index" or "create") n++;
            var indexName = meta["_index"]?.GetValue<string>() ?? r.Param("index")
                ?? throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: index is missing;");
            var id = meta["_id"]?.GetValue<string>();
            try
            {
                if (op is not ("index" or "create"))
                    throw EsError.IllegalArgument($"the emulator does not model bulk [{op}]");
                var index = IndexForWrite(r.Cluster, indexName);
                var source = n < lines.Length && op is "index" or "create" ? lines[n] : null;
                var (created, docId, stored) = r.Cluster.IndexDocument(index, id, source, WriteCondition.Of(op == "create", null, null));
                var result = WriteResult(r, index, docId, stored, created ? "created" : "updated");
                result["status"] = created ? 201 : 200;
                items.Add(new Dictionary<string, object?> { [op] = result });
            }
            catch (EsError e)
            {
                errors = true;
                items.Add(new Dictionary<string, object?>
                {
                    [op] = new Dictionary<string, object?>
                    {
                        ["_index"] = indexName, ["_id"] = id, ["status"] = e.Status,
                        ["error"] = new Dictionary<string, object?> { ["type"] = e.Type, ["reason"] = e.Reason },
                    },
                });
            }
        }
        return Task.FromResult(Reply.Ok(new Dictionary<string, object?> { ["took"] = 1, ["errors"] = errors, ["items"] = items }));
    }

    /// <summary>_count: every primary of the indices must be active (a search fails over to replicas, which are primaries by then).</summary>
    public static Task<Reply> Count(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var targets = IndexExpression.Resolve(r.Cluster, r.Param("index"), expand: r.Expand(Expand.Open));
            var shardCount = targets.Sum(i => i.NumberOfShards);
            // A shard with no active copy fails; the others answer (allow_partial_search_results defaults to true).
            var missing = targets.SelectMany(i => Enumerable.Range(0, i.NumberOfShards).Where(s => !i.Copies.Any(c => c.Shard == s && c.IsActive)).Select(s => (Index: i, Shard: s))).ToList();
            if (shardCount > 0 && missing.Count == shardCount)
                throw new EsError(503, "search_phase_execution_exception", "all shards failed");
            var shards = new Dictionary<string, object?> { ["total"] = shardCount, ["successful"] = shardCount - missing.Count, ["skipped"] = 0, ["failed"] = missing.Count };
            if (missing.Count > 0)
                shards["failures"] = missing.Select(m => (object?)new Dictionary<string, object?>
                {
                    ["shard"] = m.Shard,
                    ["index"] = m.Index.Name,
                    ["node"] = null,
                    ["reason"] = new Dictionary<string, object?> { ["type"] = "no_shard_available_action_exception", ["reason"] = null },
                }).ToList();
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?>
            {
                ["count"] = targets.Sum(i => Enumerable.Range(0, i.NumberOfShards).Where(s => !missing.Contains((i, s))).Sum(s => i.DocumentsInShard(s))),
                ["_shards"] = shards,
            }));
        }
    }

    public static Task<Reply> Flush(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var (total, ok) = r.Cluster.Flush(IndexExpression.Resolve(r.Cluster, r.Param("index"), expand: r.Expand(Expand.Open)));
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?> { ["_shards"] = Shards(total, ok) }));
        }
    }

    /// <summary>7.x synced flush: a flush plus the deprecation warning; 409 when a copy could not take part.</summary>
    public static Task<Reply> SyncedFlush(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var targets = IndexExpression.Resolve(r.Cluster, r.Param("index"), expand: r.Expand(Expand.Open));
            var (total, ok) = r.Cluster.Flush(targets);
            var body = new Dictionary<string, object?> { ["_shards"] = Shards(total, ok) };
            foreach (var i in targets) body[i.Name] = Shards(i.Copies.Count, i.Copies.Count(c => c.IsActive));
            return Task.FromResult(new Reply
            {
                Status = ok == total ? 200 : 409,
                Json = body,
                Warnings = new[] { "Synced flush is deprecated and will be removed in 8.0. Use flush at /_flush or /{index}/_flush instead." },
            });
        }
    }

    public static Task<Reply> Refresh(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var targets = IndexExpression.Resolve(r.Cluster, r.Param("index"), expand: r.Expand(Expand.Open));
            var total = targets.Sum(i => i.Copies.Count);
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?> { ["_shards"] = Shards(total, targets.Sum(i => i.Copies.Count(c => c.IsActive))) }));
        }
    }

    /// <summary>
    /// GET [/{index}]/_recovery: per index, each copy's recovery — type, stage, source (a node, or the repository and
    /// snapshot of a restore), target, and bytes recovered of the total; active_only=true leaves finished ones out.
    /// </summary>
    public static Task<Reply> IndexRecovery(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            r.Cluster.RequireMaster();
            Dictionary<string, object?> Node(EmulatedNode n) => new() { ["id"] = n.Id, ["host"] = n.Ip, ["transport_address"] = n.TransportAddress, ["ip"] = n.Ip, ["name"] = n.Name };
            var body = RecoveryProgress.Of(r.Cluster, r.Param("index"), r.Flag("active_only")).GroupBy(x => x.Index.Name).ToDictionary(g => g.Key, g => (object?)new Dictionary<string, object?>
            {
                ["shards"] = g.Select(x => new Dictionary<string, object?>
                {
                    ["id"] = x.Copy.Shard, ["type"] = x.Copy.RecoveryType.ToUpperInvariant(), ["stage"] = x.Stage.ToUpperInvariant(), ["primary"] = x.Copy.Primary,
                    ["start_time_in_millis"] = x.Copy.RecoveryStartedAt.ToUnixTimeMilliseconds(), ["total_time_in_millis"] = (long)x.Time.TotalMilliseconds,
                    ["source"] = x.Repository != null ? new Dictionary<string, object?> { ["repository"] = x.Repository, ["snapshot"] = x.Snapshot, ["index"] = x.Index.Name }
                        : x.Source is null ? new Dictionary<string, object?>() : Node(x.Source),
                    ["target"] = Node(x.Target),
                    ["index"] = new Dictionary<string, object?>
                    {
                        ["size"] = new Dictionary<string, object?>
                        {
                            ["total_in_bytes"] = x.Copy.RecoveryBytes, ["reused_in_bytes"] = 0, ["recovered_in_bytes"] = x.Recovered,
                            ["percent"] = (x.Fraction * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%",
                        },
                    },
                    ["translog"] = new Dictionary<string, object?> { ["recovered"] = 0, ["total"] = 0, ["percent"] = "100.0%" },
                }).ToList(),
            });
            return Task.FromResult(Reply.Ok(body));
        }
    }
}
