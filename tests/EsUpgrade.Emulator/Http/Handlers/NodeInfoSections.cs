using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

/// <summary>
/// The sections of GET _nodes that say what a node is (os, process, jvm, thread_pool, transport, modules, ingest,
/// aggregations, indices): static for a node, of the size a real node answers (tens of kilobytes with every metric:
/// the modules, thread pools and JVM arguments make most of it), so a client reading 200 nodes reads what it would read
/// from Elasticsearch. Field names as the nodes info API documents them (cluster-nodes-info, 7.17 and 8.x).
/// </summary>
static class NodeInfoSections
{
    /// <summary>The modules a default distribution loads (7.17 and 8.x share most; the emulator gives both the same list).</summary>
    static readonly string[] Modules =
    {
        "aggs-matrix-stats", "analysis-common", "constant-keyword", "frozen-indices", "ingest-common", "ingest-geoip", "ingest-user-agent",
        "kibana", "lang-expression", "lang-mustache", "lang-painless", "legacy-geo", "mapper-extras", "mapper-version", "parent-join",
        "percolator", "rank-eval", "reindex", "repositories-metering-api", "repository-azure", "repository-encrypted", "repository-gcs",
        "repository-s3", "repository-url", "runtime-fields-common", "search-business-rules", "searchable-snapshots",
        "snapshot-based-recoveries", "snapshot-repo-test-kit", "spatial", "transform", "transport-netty4", "unsigned-long", "vector-tile",
        "vectors", "wildcard", "x-pack-aggregate-metric", "x-pack-analytics", "x-pack-async", "x-pack-async-search", "x-pack-autoscaling",
        "x-pack-ccr", "x-pack-core", "x-pack-data-streams", "x-pack-deprecation", "x-pack-enrich", "x-pack-eql", "x-pack-fleet",
        "x-pack-graph", "x-pack-identity-provider", "x-pack-ilm", "x-pack-logstash", "x-pack-ml", "x-pack-monitoring", "x-pack-ql",
        "x-pack-rollup", "x-pack-security", "x-pack-shutdown", "x-pack-sql", "x-pack-stack", "x-pack-text-structure",
        "x-pack-voting-only-node", "x-pack-watcher",
    };

    static readonly string[] Processors =
    {
        "append", "bytes", "circle", "community_id", "convert", "csv", "date", "date_index_name", "dissect", "dot_expander", "drop",
        "enrich", "fail", "fingerprint", "foreach", "geo_grid", "geoip", "grok", "gsub", "html_strip", "inference", "join", "json", "kv",
        "lowercase", "network_direction", "pipeline", "registered_domain", "remove", "rename", "script", "set", "set_security_user",
        "sort", "split", "trim", "uppercase", "uri_parts", "urldecode", "user_agent",
    };

    /// <summary>Thread pools: name, type and size (fixed pools have a queue; scaling pools a core, a max and a keep-alive).</summary>
    static readonly (string Name, string Type, int Size, int Queue)[] ThreadPools =
    {
        ("analyze", "fixed", 1, 16), ("auto_complete", "fixed", 1, 100), ("ccr", "fixed", 32, 100), ("fetch_shard_started", "scaling", 8, -1),
        ("fetch_shard_store", "scaling", 8, -1), ("flush", "scaling", 2, -1), ("force_merge", "fixed", 1, -1), ("generic", "scaling", 128, -1),
        ("get", "fixed", 4, 1000), ("management", "scaling", 5, -1), ("ml_datafeed", "scaling", 512, -1), ("ml_job_comms", "scaling", 2048, -1),
        ("ml_utility", "scaling", 2048, -1), ("refresh", "scaling", 2, -1), ("rollup_indexing", "fixed", 1, -1), ("search", "fixed", 7, 1000),
        ("search_coordination", "fixed", 2, 1000), ("search_throttled", "fixed", 1, 100), ("searchable_snapshots_cache_fetch_async", "scaling", 28, -1),
        ("searchable_snapshots_cache_prewarming", "scaling", 16, -1), ("security-crypto", "fixed", 2, 1000), ("security-token-key", "fixed", 1, 1000),
        ("snapshot", "scaling", 2, -1), ("snapshot_meta", "scaling", 12, -1), ("system_critical_read", "fixed", 2, 2000),
        ("system_critical_write", "fixed", 2, 1500), ("system_read", "fixed", 2, 2000), ("system_write", "fixed", 2, 1000),
        ("warmer", "scaling", 2, -1), ("watcher", "fixed", 20, 1000), ("write", "fixed", 4, 10000),
    };

    static readonly string[] JvmArguments =
    {
        "-Des.networkaddress.cache.ttl=60", "-Des.networkaddress.cache.negative.ttl=10", "-XX:+AlwaysPreTouch", "-Xss1m",
        "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", "-Djna.nosys=true", "-XX:-OmitStackTraceInFastThrow",
        "-XX:+ShowCodeDetailsInExceptionMessages", "-Dio.netty.noUnsafe=true", "-Dio.netty.noKeySetOptimization=true",
        "-Dio.netty.recycler.maxCapacityPerThread=0", "-Dio.netty.allocator.numDirectArenas=0", "-Dlog4j.shutdownHookEnabled=false",
        "-Dlog4j2.disable.jmx=true", "-Dlog4j2.formatMsgNoLookups=true", "-Djava.locale.providers=SPI,COMPAT",
        "--add-opens=java.base/java.io=ALL-UNNAMED", "-XX:+UseG1GC", "-Djava.io.tmpdir=C:\\Windows\\TEMP\\elasticsearch",
        "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=data", "-XX:ErrorFile=logs/hs_err_pid%p.log",
        "-Xlog:gc*,gc+age=trace,safepoint:file=logs/gc.log:utctime,pid,tags:filecount=32,filesize=64m", "-Xms4g", "-Xmx4g",
        "-XX:MaxDirectMemorySize=2147483648", "-XX:G1HeapRegionSize=4m", "-XX:InitiatingHeapOccupancyPercent=30",
        "-XX:G1ReservePercent=15", "-Delasticsearch", "-Des.path.home=C:\\elasticsearch", "-Des.path.conf=C:\\elasticsearch\\config",
        "-Des.distribution.flavor=default", "-Des.distribution.type=zip", "-Des.bundled_jdk=true",
    };

    static readonly string[] Aggregations =
    {
        "adjacency_matrix", "auto_date_histogram", "avg", "boxplot", "cardinality", "children", "composite", "date_histogram", "date_range",
        "diversified_sampler", "extended_stats", "filter", "filters", "geo_bounds", "geo_centroid", "geo_distance", "geohash_grid",
        "geotile_grid", "global", "histogram", "ip_range", "matrix_stats", "max", "median_absolute_deviation", "min", "missing",
        "multi_terms", "nested", "parent", "percentile_ranks", "percentiles", "range", "rare_terms", "reverse_nested", "sampler",
        "scripted_metric", "significant_terms", "significant_text", "stats", "string_stats", "sum", "t_test", "terms", "top_hits",
        "top_metrics", "value_count", "variable_width_histogram", "weighted_avg",
    };

    const long HeapBytes = 4L * 1024 * 1024 * 1024;

    public static void Add(Dictionary<string, object?> info, EmulatedCluster cluster, EmulatedNode n, Func<string, bool> want)
    {
        var p = n.Profile;
        // The raw field; total_indexing_buffer is its ?human form (NodeInfo.toXContent).
        info["total_indexing_buffer_in_bytes"] = HeapBytes / 10;
        var pid = 4000 + (n.Id.Aggregate(17, (h, c) => unchecked(h * 31 + c)) & 0x7fffffff) % 60000;
        if (want("os"))
            info["os"] = new Dictionary<string, object?>
            {
                ["refresh_interval_in_millis"] = 1000, ["name"] = "Windows Server 2019", ["pretty_name"] = "Windows Server 2019",
                ["arch"] = "amd64", ["version"] = "10.0", ["available_processors"] = 8, ["allocated_processors"] = 8,
            };
        if (want("process"))
            info["process"] = new Dictionary<string, object?> { ["refresh_interval_in_millis"] = 1000, ["id"] = pid, ["mlockall"] = false };
        if (want("jvm"))
            info["jvm"] = new Dictionary<string, object?>
            {
                ["pid"] = pid,
                ["version"] = p.Major >= 8 ? "22.0.1" : "17.0.13", ["vm_name"] = "OpenJDK 64-Bit Server VM",
                ["vm_version"] = p.Major >= 8 ? "22.0.1+8-16" : "17.0.13+11", ["vm_vendor"] = "Oracle Corporation",
                ["bundled_jdk"] = true, ["using_bundled_jdk"] = true,
                ["start_time_in_millis"] = n.JoinAt.ToUnixTimeMilliseconds(),
                ["mem"] = new Dictionary<string, object?>
                {
                    ["heap_init_in_bytes"] = HeapBytes, ["heap_max_in_bytes"] = HeapBytes, ["non_heap_init_in_bytes"] = 7667712,
                    ["non_heap_max_in_bytes"] = 0, ["direct_max_in_bytes"] = HeapBytes / 2,
                },
                ["gc_collectors"] = new[] { "G1 Young Generation", "G1 Concurrent GC", "G1 Old Generation" },
                ["memory_pools"] = new[] { "CodeHeap 'non-nmethods'", "Metaspace", "CodeHeap 'profiled nmethods'", "Compressed Class Space", "G1 Eden Space", "G1 Old Gen", "G1 Survivor Space", "CodeHeap 'non-profiled nmethods'" },
                ["using_compressed_ordinary_object_pointers"] = "true",
                ["input_arguments"] = JvmArguments,
            };
        if (want("thread_pool"))
            info["thread_pool"] = ThreadPools.ToDictionary(t => t.Name, t => (object?)(t.Type == "fixed"
                ? new Dictionary<string, object?> { ["type"] = "fixed", ["size"] = t.Size, ["queue_size"] = t.Queue }
                : new Dictionary<string, object?> { ["type"] = "scaling", ["core"] = 1, ["max"] = t.Size, ["keep_alive"] = "5m", ["queue_size"] = -1 }));
        if (want("transport"))
            info["transport"] = new Dictionary<string, object?> { ["bound_address"] = new[] { n.TransportAddress }, ["publish_address"] = n.TransportAddress, ["profiles"] = new Dictionary<string, object?>() };
        if (want("plugins"))
            info["modules"] = Modules.Select(name => new Dictionary<string, object?>
            {
                ["name"] = name, ["version"] = p.Number, ["elasticsearch_version"] = p.Number, ["java_version"] = p.Major >= 8 ? "17" : "1.8",
                ["description"] = $"The {name} module of Elasticsearch", ["classname"] = "org.elasticsearch." + name.Replace("-", ".", StringComparison.Ordinal) + ".Plugin",
                ["extended_plugins"] = Array.Empty<string>(), ["has_native_controller"] = name == "x-pack-ml", ["licensed"] = false, ["type"] = "isolated",
            }).ToList();
        if (want("ingest"))
            info["ingest"] = new Dictionary<string, object?> { ["processors"] = Processors.Select(t => new Dictionary<string, object?> { ["type"] = t }).ToList() };
        if (want("aggregations") && p.Major >= 8)
            info["aggregations"] = Aggregations.ToDictionary(a => a, _ => (object?)new Dictionary<string, object?> { ["types"] = new[] { "boolean", "date", "double", "geopoint", "ip", "keyword", "long", "numeric" } });
        if (want("indices") && p.Major >= 8)
            info["indices"] = new Dictionary<string, object?> { ["total_indexing_buffer_in_bytes"] = HeapBytes / 10 };
    }
}
