using System.Text.Json.Nodes;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

public static class ClusterHandlers
{
    /// <summary>
    /// GET _cluster/health[/{index}] with the wait_for_* long poll: answers the moment the conditions
    /// hold, or 408 with timed_out=true when the timeout passes (BEHAVIOUR.md §1).
    /// </summary>
    public static async Task<Reply> Health(RestRequest r)
    {
        if (r.Q("wait_for_relocating_shards") != null)
            throw EsError.IllegalArgument("wait_for_relocating_shards has been removed, use wait_for_no_relocating_shards [true/false] instead");
        var level = r.Q("level") ?? "cluster";
        if (level is not ("cluster" or "indices" or "shards"))
            throw EsError.IllegalArgument($"No enum constant org.elasticsearch.action.admin.cluster.health.ClusterHealthRequest.Level.{level.ToUpperInvariant()}");
        var waitStatus = r.Q("wait_for_status")?.ToLowerInvariant();
        if (waitStatus != null && !ClusterHealth.StatusOrder.Contains(waitStatus))
            throw EsError.IllegalArgument($"No enum constant org.elasticsearch.cluster.health.ClusterHealthStatus.{waitStatus.ToUpperInvariant()}");
        var waitNodes = r.Q("wait_for_nodes");
        var nodeCheck = waitNodes is null ? null : NodeCountCheck(waitNodes);
        var noInit = r.Flag("wait_for_no_initializing_shards");
        var noReloc = r.Flag("wait_for_no_relocating_shards");
        var timeout = r.Time("timeout", TimeSpan.FromSeconds(30));
        var index = r.Param("index");
        var waits = waitStatus != null || nodeCheck != null || noInit || noReloc || index != null;

        lock (r.Cluster.Sync) r.Cluster.RequireMaster();

        bool Ready()
        {
            if (r.Cluster.Master is null) return false;
            var s = ClusterHealth.Compute(r.Cluster, index);
            if (index != null && !s.IndexFound) return false;
            if (waitStatus != null && !ClusterHealth.AtLeast(s.Status, waitStatus)) return false;
            if (nodeCheck != null && !nodeCheck(s.Nodes)) return false;
            if (noInit && s.Initializing > 0) return false;
            if (noReloc && s.Relocating > 0) return false;
            return true;
        }

        var met = !waits || await r.Cluster.WaitUntilAsync(Ready, timeout, r.Aborted);
        lock (r.Cluster.Sync)
        {
            r.Cluster.RequireMaster();
            var s = ClusterHealth.Compute(r.Cluster, index);
            return Reply.Of(met ? 200 : 408, HealthJson(s, r.Cluster, r.Node.Profile, level, timedOut: !met));
        }
    }

    /// <summary>wait_for_nodes forms, tested in TransportClusterHealthAction's order.</summary>
    static Func<int, bool> NodeCountCheck(string v)
    {
        foreach (var (prefix, suffix, op) in new (string, string, Func<int, int, bool>)[]
        {
            (">=", "", (a, b) => a >= b), ("ge(", ")", (a, b) => a >= b), ("<=", "", (a, b) => a <= b), ("le(", ")", (a, b) => a <= b),
            (">", "", (a, b) => a > b), ("gt(", ")", (a, b) => a > b), ("<", "", (a, b) => a < b), ("lt(", ")", (a, b) => a < b),
        })
        {
            if (v.StartsWith(prefix, StringComparison.Ordinal) && v.EndsWith(suffix, StringComparison.Ordinal))
            {
                var n = ParseCount(v[prefix.Length..^suffix.Length], v);
                return count => op(count, n);
            }
        }
        var exact = ParseCount(v, v);
        return count => count == exact;
    }

    static int ParseCount(string number, string whole) =>
        int.TryParse(number, out var n) ? n : throw EsError.IllegalArgument($"For input string: \"{number}\"");

    /// <summary>The _cluster/health body: cluster fields by version, then indices (and shards) when the level asks.</summary>
    static Dictionary<string, object?> HealthJson(ClusterHealth h, EmulatedCluster cluster, VersionProfile profile, string level, bool timedOut)
    {
        var d = new Dictionary<string, object?>
        {
            ["cluster_name"] = cluster.Name,
            ["status"] = h.Status,
            ["timed_out"] = timedOut,
            ["number_of_nodes"] = h.Nodes,
            ["number_of_data_nodes"] = h.DataNodes,
            ["active_primary_shards"] = h.ActivePrimaries,
            ["active_shards"] = h.Active,
            ["relocating_shards"] = h.Relocating,
            ["initializing_shards"] = h.Initializing,
            ["unassigned_shards"] = h.Unassigned,
        };
        if (profile.HealthHasUnassignedPrimaries) d["unassigned_primary_shards"] = h.UnassignedPrimaries;
        d["delayed_unassigned_shards"] = h.Delayed;
        d["number_of_pending_tasks"] = 0;
        d["number_of_in_flight_fetch"] = h.InFlightFetch;
        d["task_max_waiting_in_queue_millis"] = 0;
        d["active_shards_percent_as_number"] = h.ActivePercent;
        if (level is "indices" or "shards")
            d["indices"] = h.Indices.ToDictionary(i => i.Name, i => (object?)IndexHealthJson(i, level == "shards"));
        return d;
    }

    static Dictionary<string, object?> IndexHealthJson(EmulatedIndex i, bool shards)
    {
        var d = new Dictionary<string, object?>
        {
            ["status"] = i.Health,
            ["number_of_shards"] = i.NumberOfShards,
            ["number_of_replicas"] = i.NumberOfReplicas,
            ["active_primary_shards"] = i.Copies.Count(c => c.Primary && c.IsActive),
            ["active_shards"] = i.Copies.Count(c => c.IsActive),
            ["relocating_shards"] = i.Copies.Count(c => c.State == ShardState.Relocating),
            ["initializing_shards"] = i.Copies.Count(c => c.State == ShardState.Initializing),
            ["unassigned_shards"] = i.Copies.Count(c => c.State == ShardState.Unassigned),
        };
        if (shards)
            d["shards"] = i.Copies.GroupBy(c => c.Shard).ToDictionary(g => g.Key.ToString(), g => (object?)new Dictionary<string, object?>
            {
                ["status"] = g.Any(c => c.Primary && !c.IsActive) ? "red" : g.All(c => c.IsActive) ? "green" : "yellow",
                ["primary_active"] = g.Any(c => c.Primary && c.IsActive),
                ["active_shards"] = g.Count(c => c.IsActive),
                ["relocating_shards"] = g.Count(c => c.State == ShardState.Relocating),
                ["initializing_shards"] = g.Count(c => c.State == ShardState.Initializing),
                ["unassigned_shards"] = g.Count(c => c.State == ShardState.Unassigned),
            });
        return d;
    }

    /// <summary>GET _cluster/settings: nested by default, flat with flat_settings, defaults with include_defaults.</summary>
    public static Task<Reply> GetSettings(RestRequest r)
    {
        var flat = r.Flag("flat_settings");
        lock (r.Cluster.Sync)
        {
            r.Cluster.RequireMaster();
            var result = new Dictionary<string, object?>
            {
                ["persistent"] = Shape(r.Cluster.Persistent, flat),
                ["transient"] = Shape(r.Cluster.Transient, flat),
            };
            if (r.Flag("include_defaults"))
            {
                var defaults = SettingsRegistry.DefaultValues(r.Cluster.SettingsMajor)
                    .Where(d => !r.Cluster.Persistent.ContainsKey(d.Key) && !r.Cluster.Transient.ContainsKey(d.Key))
                    .ToDictionary(d => d.Key, d => d.Value);
                defaults["cluster.name"] = r.Cluster.Name;
                result["defaults"] = Shape(defaults, flat);
            }
            return Task.FromResult(Reply.Ok(result));
        }
    }

    /// <summary>PUT _cluster/settings: nested or flat keys, null resets; echoes what was applied.</summary>
    public static Task<Reply> PutSettings(RestRequest r)
    {
        var body = r.JsonBody() ?? throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: no settings to update;");
        var persistent = SettingsJson.Flatten(body["persistent"] as JsonObject);
        var transient = SettingsJson.Flatten(body["transient"] as JsonObject);
        foreach (var key in body.Select(p => p.Key).Where(k => k is not ("persistent" or "transient")))
            throw new EsError(400, "x_content_parse_exception", $"[1:2] [cluster_update_settings_request] unknown field [{key}]");
        if (persistent.Count == 0 && transient.Count == 0)
            throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: no settings to update;");
        r.Cluster.UpdateSettings(persistent, transient);
        var flat = r.Flag("flat_settings");
        return Task.FromResult(Reply.Ok(new Dictionary<string, object?>
        {
            ["acknowledged"] = true,
            ["persistent"] = Shape(persistent.Where(p => p.Value != null).ToDictionary(p => p.Key, p => p.Value!), flat),
            ["transient"] = Shape(transient.Where(p => p.Value != null).ToDictionary(p => p.Key, p => p.Value!), flat),
        }));
    }

    static Dictionary<string, object?> Shape(IReadOnlyDictionary<string, string> settings, bool flat) =>
        flat ? settings.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => (object?)s.Value)
             : SettingsJson.Nested(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)), strip: null);

    /// <summary>
    /// GET|POST _cluster/allocation/explain: the given copy (index, shard, primary), or the first unassigned one,
    /// with each node's decision in the deciders' words (BEHAVIOUR.md §2).
    /// </summary>
    public static Task<Reply> AllocationExplain(RestRequest r)
    {
        var body = r.JsonBody();
        lock (r.Cluster.Sync)
        {
            r.Cluster.RequireMaster();
            ShardCopy? copy;
            if (body?["index"] is JsonNode indexNode)
            {
                var index = r.Cluster.Index(indexNode.GetValue<string>()) ?? throw EsError.IndexNotFound(indexNode.GetValue<string>());
                var shard = body["shard"]?.GetValue<int>() ?? 0;
                var primary = body["primary"]?.GetValue<bool>() ?? false;
                copy = index.Copies.Where(c => c.Shard == shard && c.Primary == primary).OrderBy(c => c.IsActive).FirstOrDefault()
                    ?? throw EsError.IllegalArgument($"unable to find any unassigned shards to explain [ShardId [[{index.Name}][{shard}]], primary={primary}]");
            }
            else
            {
                copy = r.Cluster.AllCopies.FirstOrDefault(c => c.State == ShardState.Unassigned)
                    ?? throw EsError.IllegalArgument("No shard was specified in the explain API request, so this request explains a randomly chosen unassigned shard. There are no unassigned shards in this cluster, so this API cannot explain anything. Specify a shard in the request body to explain a specific shard.");
            }
            var now = r.Cluster.Clock.UtcNow;
            var result = new Dictionary<string, object?>
            {
                ["index"] = copy.Index.Name,
                ["shard"] = copy.Shard,
                ["primary"] = copy.Primary,
                ["current_state"] = copy.State.ToString().ToLowerInvariant(),
            };
            if (copy.State == ShardState.Unassigned)
            {
                var decisions = r.Cluster.RunningNodes.Where(n => n.IsDataNode).Select(n => (Node: n, Why: r.Cluster.Decide(copy, n))).ToList();
                static bool Throttled(string? why) => why?.StartsWith("[throttling]", StringComparison.Ordinal) == true;
                var canAllocate = copy.IsFetching ? "awaiting_info"
                    : copy.IsDelayed(now) ? "allocation_delayed"
                    : decisions.Any(d => d.Why is null) ? "yes"
                    : decisions.Any(d => Throttled(d.Why)) ? "throttled"
                    : "no";
                var delay = copy.Index.DelayedTimeout;
                var info = new Dictionary<string, object?>
                {
                    ["reason"] = copy.UnassignedReason,
                    ["at"] = copy.UnassignedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
                };
                if (copy.FailedAttempts > 0) info["failed_allocation_attempts"] = copy.FailedAttempts;
                info["last_allocation_status"] = canAllocate is "yes" ? "no_attempt" : canAllocate;
                result["unassigned_info"] = info;
                result["can_allocate"] = canAllocate;
                result["allocate_explanation"] = r.Node.Profile.AllocateExplanation(canAllocate, (long)delay.TotalSeconds + "s");
                if (canAllocate == "allocation_delayed")
                {
                    result["configured_delay"] = (long)delay.TotalSeconds + "s";
                    result["configured_delay_in_millis"] = (long)delay.TotalMilliseconds;
                    result["remaining_delay"] = ((copy.DelayedUntil!.Value - now).TotalSeconds).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "s";
                    result["remaining_delay_in_millis"] = (long)(copy.DelayedUntil!.Value - now).TotalMilliseconds;
                }
                // While shard data is being fetched there is no decision per node yet (AllocateUnassignedDecision without node results).
                if (canAllocate != "awaiting_info")
                    result["node_allocation_decisions"] = decisions.Select((d, rank) => (object?)new Dictionary<string, object?>
                    {
                        ["node_id"] = d.Node.Id,
                        ["node_name"] = d.Node.Name,
                        ["transport_address"] = d.Node.TransportAddress,
                        ["roles"] = d.Node.Roles,
                        ["node_attributes"] = d.Node.Attributes,
                        ["node_decision"] = d.Why is null ? "yes" : Throttled(d.Why) ? "throttled" : "no",
                        ["weight_ranking"] = rank + 1,
                        ["deciders"] = d.Why is null ? Array.Empty<object>() : new object[]
                        {
                            new Dictionary<string, object?>
                            {
                                ["decider"] = d.Why[1..d.Why.IndexOf(']')],
                                ["decision"] = Throttled(d.Why) ? "THROTTLE" : "NO",
                                ["explanation"] = d.Why[(d.Why.IndexOf(']') + 2)..],
                            },
                        },
                    }).ToList();
            }
            else
            {
                var node = r.Cluster.NodeById(copy.NodeId)!;
                result["current_node"] = new Dictionary<string, object?>
                {
                    ["id"] = node.Id, ["name"] = node.Name, ["transport_address"] = node.TransportAddress, ["roles"] = node.Roles,
                };
                result["can_remain_on_current_node"] = "yes";
                result["can_rebalance_cluster"] = "yes";
            }
            return Task.FromResult(Reply.Ok(result));
        }
    }

    /// <summary>POST _cluster/reroute: with retry_failed, copies past the retry limit are tried again. Commands in the body are not modelled.</summary>
    public static Task<Reply> Reroute(RestRequest r)
    {
        if (r.JsonBody()?["commands"] is JsonArray { Count: > 0 })
            throw EsError.IllegalArgument("the emulator does not model reroute commands");
        if (r.Flag("retry_failed")) r.Cluster.RetryFailed();
        return Task.FromResult(Reply.Ok(new Dictionary<string, object?> { ["acknowledged"] = true, ["state"] = new Dictionary<string, object?> { ["cluster_uuid"] = r.Cluster.Uuid } }));
    }
}
