using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using EsUpgrade.Assessment;
using EsUpgrade.Errors;

namespace EsUpgrade.NodeConfiguration;

/// <summary>
/// elasticsearch.yml against 8.x: the settings 8.0 removed or renamed and the defaults it changed
/// (BEHAVIOUR-ASSESS.md §1b, §7; "Breaking changes in 8.0", cluster and node setting changes).
/// </summary>
public static class SettingRules
{
    const string Breaking = "https://www.elastic.co/guide/en/elasticsearch/reference/8.0/migrating-8.0.html#breaking_80_cluster_node_setting_changes";
    const string Transport = "https://ela.st/es-deprecation-7-transport-settings";

    /// <summary>Legacy role flags and the role each stands for, in node.roles order.</summary>
    public static readonly (string Setting, string Role, bool Default)[] LegacyRoles =
    {
        ("node.master", "master", true), ("node.data", "data", true), ("node.ingest", "ingest", true), ("node.ml", "ml", true),
        ("node.remote_cluster_client", "remote_cluster_client", true), ("node.transform", "transform", true), ("node.voting_only", "voting_only", false),
    };

    /// <summary>Removed settings with no replacement: the exact names, then the prefixes (ending in a dot) and patterns.</summary>
    static readonly (string Pattern, string Why, string Url)[] Removed =
    {
        ("discovery.zen.*", "Zen discovery settings existed only for upgrades from 6.x and do nothing since 7.0.", "https://ela.st/es-deprecation-7-unused_zen_settings"),
        ("node.max_local_storage_nodes", "Several nodes can no longer share a data path.", Breaking),
        ("node.local_storage", "Every node uses local storage.", Breaking),
        ("bootstrap.system_call_filter", "System call filters are always on.", Breaking),
        ("http.content_type.required", "A content type is always required.", Breaking),
        ("cluster.join.timeout", "Cluster join attempts never time out in 8.0.", Breaking),
        ("gateway.auto_import_dangling_indices", "Use the dangling indices APIs.", Breaking),
        ("xpack.security.authc.accept_default_password", "There is no default password.", Breaking),
        ("xpack.security.authz.store.roles.index.cache.*", "The roles index cache settings were removed.", Breaking),
        ("cluster.routing.allocation.disk.include_relocations", "Relocating shards are always taken into account in 8.0.", "https://ela.st/es-deprecation-7-cluster-routing-allocation-disk-include-relocations-setting"),
        ("xpack.enrich.enabled", "Basic features are always enabled in 8.0.", "https://ela.st/es-deprecation-7-xpack-basic-feature-settings"),
        ("xpack.flattened.enabled", "Basic features are always enabled in 8.0.", "https://ela.st/es-deprecation-7-xpack-basic-feature-settings"),
        ("xpack.ilm.enabled", "Basic features are always enabled in 8.0.", "https://ela.st/es-deprecation-7-xpack-basic-feature-settings"),
        ("xpack.monitoring.enabled", "Basic features are always enabled in 8.0.", "https://ela.st/es-deprecation-7-xpack-basic-feature-settings"),
        ("xpack.rollup.enabled", "Basic features are always enabled in 8.0.", "https://ela.st/es-deprecation-7-xpack-basic-feature-settings"),
        ("xpack.slm.enabled", "Basic features are always enabled in 8.0.", "https://ela.st/es-deprecation-7-xpack-basic-feature-settings"),
        ("xpack.sql.enabled", "Basic features are always enabled in 8.0.", "https://ela.st/es-deprecation-7-xpack-basic-feature-settings"),
        ("xpack.transform.enabled", "Basic features are always enabled in 8.0.", "https://ela.st/es-deprecation-7-xpack-basic-feature-settings"),
        ("xpack.vectors.enabled", "Basic features are always enabled in 8.0.", "https://ela.st/es-deprecation-7-xpack-basic-feature-settings"),
        ("xpack.data_frame.enabled", "Basic license features are always enabled.", "https://ela.st/es-deprecation-7-xpack-dataframe-setting"),
        ("thread_pool.listener.*", "The listener thread pool was removed.", Breaking),
        ("transport.profiles.*.xpack.security.type", "Transport profiles have no security type in 8.0.", Breaking),
        ("cluster.routing.allocation.include._tier", "Use index.routing.allocation.include._tier_preference.", "https://ela.st/es-deprecation-7-tier-filtering-settings"),
        ("cluster.routing.allocation.exclude._tier", "Use index.routing.allocation.include._tier_preference.", "https://ela.st/es-deprecation-7-tier-filtering-settings"),
        ("cluster.routing.allocation.require._tier", "Use index.routing.allocation.include._tier_preference.", "https://ela.st/es-deprecation-7-tier-filtering-settings"),
        ("repositories.fs.compress", "Set compress on each repository instead (PUT _snapshot/<name> with settings.compress).", "https://ela.st/es-deprecation-7-filesystem-repository-compression-setting"),
    };

    /// <summary>Settings 8.0 knows under another name; the value carries over.</summary>
    static readonly (string Old, string New, string Url)[] Renamed =
    {
        ("http.tcp_no_delay", "http.tcp.no_delay", Transport),
        ("network.tcp.connect_timeout", "transport.connect_timeout", Transport),
        ("transport.tcp.connect_timeout", "transport.connect_timeout", Transport),
        ("transport.tcp.port", "transport.port", Transport),
        ("transport.tcp_no_delay", "transport.tcp.no_delay", Transport),
        ("transport.tcp.compress", "transport.compress", Transport),
        ("pidfile", "node.pidfile", "https://ela.st/es-deprecation-7-pidfile-setting"),
        ("processors", "node.processors", "https://ela.st/es-deprecation-7-processors-setting"),
        // 7.x still reads the zen names as the seed hosts' fallback: renamed, not dropped, or the node loses its seed hosts.
        ("discovery.zen.ping.unicast.hosts", "discovery.seed_hosts", "https://ela.st/es-deprecation-7-unused_zen_settings"),
        ("discovery.zen.hosts_provider", "discovery.seed_providers", "https://ela.st/es-deprecation-7-unused_zen_settings"),
    };

    static readonly string[] RemoteConnect = { "cluster.remote.connect", "search.remote.connect" };
    static readonly Regex ThreadPoolQueue = new Regex(@"^thread_pool\.[^.]+\.(type|min_queue_size|max_queue_size|auto_queue_frame_size|target_response_time)$", RegexOptions.Compiled);

    static readonly Regex ProfileSocket = new Regex(@"^transport\.profiles\.(?<p>[^.]+)\.(?<s>tcp_no_delay|tcp_keep_alive|reuse_address|send_buffer_size|receive_buffer_size)$", RegexOptions.Compiled);
    static readonly string[] GatewayByNodes = { "gateway.expected_nodes", "gateway.expected_master_nodes", "gateway.recover_after_nodes", "gateway.recover_after_master_nodes" };
    static readonly Regex Secret = new Regex("password|secret|passphrase|token", RegexOptions.IgnoreCase | RegexOptions.Compiled);

    public static bool IsSecret(string key) => Secret.IsMatch(key);

    /// <summary>Every finding for one elasticsearch.yml.</summary>
    public static IEnumerable<NodeConfigFinding> Check(IReadOnlyList<YamlSetting> settings, string file)
    {
        var byKey = settings.GroupBy(s => s.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        NodeConfigFinding Finding(YamlSetting s, DeprecationLevel level, string rule, string message, string url, ConfigFix fix, string? replacement = null) => new NodeConfigFinding
        {
            File = file, Line = s.Line, Setting = s.Key, Value = IsSecret(s.Key) ? "(secret)" : s.DisplayValue,
            Level = level, Rule = rule, Message = message, Url = url, Fix = fix, Replacement = replacement,
        };

        var roles = RolesFor(byKey);
        // Without a node.roles that can be told offline (a placeholder, a value not a boolean), commenting the flags out
        // would give the node every role: left to the admin. With node.roles already set, the flags only go.
        var rolesFix = roles != null ? ConfigFix.Roles : byKey.ContainsKey("node.roles") ? ConfigFix.CommentOut : ConfigFix.None;
        foreach (var s in settings)
        {
            var legacy = LegacyRoles.FirstOrDefault(r => r.Setting == s.Key);
            if (legacy.Setting != null)
            {
                yield return Finding(s, DeprecationLevel.Critical, "LegacyRoleSetting",
                    $"[{s.Key}] was removed in 8.0: an 8.x node with it does not start. Set node.roles instead{(legacy.Default ? $" and include the [{legacy.Role}] role" : "")}." +
                    (rolesFix == ConfigFix.None ? " The roles cannot be told from the file (a placeholder or a value that is not true or false): write node.roles yourself." : ""),
                    "https://ela.st/es-deprecation-7-node-roles", rolesFix, roles is null ? null : RolesLine(roles));
                continue;
            }
            if (RemoteConnect.Contains(s.Key))
            {
                yield return Finding(s, DeprecationLevel.Critical, "LegacyRoleSetting",
                    $"[{s.Key}] was removed in 8.0: use the [remote_cluster_client] role in node.roles.",
                    "https://ela.st/es-deprecation-7-cluster-remote-connect-setting", rolesFix, roles is null ? null : RolesLine(roles));
                continue;
            }
            var renamed = Renamed.FirstOrDefault(r => r.Old == s.Key);
            if (renamed.Old != null)
            {
                // Both names set: the new one wins, the old one only goes.
                if (byKey.ContainsKey(renamed.New))
                    yield return Finding(s, DeprecationLevel.Critical, "RenamedSetting", $"[{s.Key}] is [{renamed.New}] in 8.0, which this file already sets: the old name stops the node at start.", renamed.Url, ConfigFix.CommentOut);
                else
                    yield return Finding(s, DeprecationLevel.Critical, "RenamedSetting", $"[{s.Key}] is [{renamed.New}] in 8.0; the old name stops the node at start.", renamed.Url, ConfigFix.Rename, renamed.New);
                continue;
            }
            if (ThreadPoolQueue.Match(s.Key) is { Success: true } && (!s.Key.EndsWith(".type", StringComparison.Ordinal) || s.Value == "fixed_auto_queue_size"))
            {
                yield return Finding(s, DeprecationLevel.Critical, "RemovedSetting", $"[{s.Key}]: the fixed_auto_queue_size thread pool type and its settings were removed in 8.0; an 8.x node with them does not start.", Breaking, ConfigFix.CommentOut);
                continue;
            }
            if (ProfileSocket.Match(s.Key) is { Success: true } socket)
            {
                var to = $"transport.profiles.{socket.Groups["p"].Value}.tcp.{socket.Groups["s"].Value.Replace("tcp_", "")}";
                yield return Finding(s, DeprecationLevel.Critical, "RenamedSetting", $"[{s.Key}] is [{to}] in 8.0.", Breaking, ConfigFix.Rename, to);
                continue;
            }
            if (s.Key.StartsWith("search.remote.", StringComparison.Ordinal))
            {
                var to = "cluster.remote." + s.Key.Substring("search.remote.".Length);
                yield return Finding(s, DeprecationLevel.Critical, "RenamedSetting", $"[{s.Key}] is [{to}] since 7.0; 8.0 refuses the old name.", Breaking, ConfigFix.Rename, to);
                continue;
            }
            if (GatewayByNodes.Contains(s.Key))
            {
                yield return Finding(s, DeprecationLevel.Critical, "RemovedSetting",
                    $"[{s.Key}] was removed in 8.0 (recovery no longer waits for master nodes). Use gateway.expected_data_nodes or gateway.recover_after_data_nodes, counting data nodes.",
                    "https://ela.st/es-deprecation-7-deferred-cluster-state-recovery", ConfigFix.CommentOut);
                continue;
            }
            var removed = Removed.FirstOrDefault(r => Names.Like(r.Pattern, s.Key));
            if (removed.Pattern != null)
            {
                yield return Finding(s, DeprecationLevel.Critical, "RemovedSetting", $"[{s.Key}] was removed in 8.0: an 8.x node with it does not start. {removed.Why}", removed.Url, ConfigFix.CommentOut);
                continue;
            }
            if (s.Key.StartsWith("xpack.monitoring.exporters.", StringComparison.Ordinal) && s.Key.EndsWith(".auth.password", StringComparison.Ordinal))
            {
                yield return Finding(s, DeprecationLevel.Critical, "SecretInConfiguration",
                    $"[{s.Key}] was removed in 8.0: put the password in the keystore as [{s.Key.Replace(".auth.password", ".auth.secure_password")}].", Breaking, ConfigFix.CommentOut);
                continue;
            }
            if (s.Key == "cluster.routing.allocation.disk.watermark.enable_for_single_data_node" && s.Value != "true")
            {
                yield return Finding(s, DeprecationLevel.Critical, "RemovedSetting",
                    "8.x applies disk watermarks to single-node clusters and accepts only [true] here; remove the setting.",
                    "https://ela.st/es-deprecation-7-disk-watermark-enable-for-single-node-setting", ConfigFix.CommentOut);
                continue;
            }
            if (s.Key == "path.data" && (s.Items?.Count > 1 || (s.Value ?? "").Contains(",")))
                yield return Finding(s, DeprecationLevel.Warning, "MultipleDataPaths",
                    "Several data paths are deprecated: use one path (RAID or a volume manager for several disks). Moving data between paths is not something a rewrite can do.",
                    "https://ela.st/es-deprecation-7-multiple-paths", ConfigFix.None);
            if (s.Key == "cluster.initial_master_nodes")
                yield return Finding(s, DeprecationLevel.Warning, "InitialMasterNodesOnExistingCluster",
                    "cluster.initial_master_nodes is for the very first start of a new cluster only; on an existing cluster remove it, or a node that lost its data may bootstrap a second cluster.",
                    "https://www.elastic.co/guide/en/elasticsearch/reference/8.19/important-settings.html#initial_master_nodes", ConfigFix.CommentOut);
            if (s.Key == "indices.lifecycle.poll_interval" && IsUnderOneSecond(s.Value))
                yield return Finding(s, DeprecationLevel.Critical, "RemovedSetting", $"8.x refuses an ILM poll interval under 1s (here [{s.Value}]).",
                    "https://ela.st/es-deprecation-7-indices-lifecycle-poll-interval-setting", ConfigFix.CommentOut);
        }

        foreach (var prefix in new[] { "xpack.security.transport.ssl", "xpack.security.http.ssl" })
        {
            var ssl = settings.Where(s => s.Key.StartsWith(prefix + ".", StringComparison.Ordinal) && s.Key != prefix + ".enabled").ToList();
            if (ssl.Count > 0 && !byKey.ContainsKey(prefix + ".enabled"))
                yield return Finding(ssl[0], DeprecationLevel.Critical, "SslNotExplicit",
                    $"[{prefix}.enabled] is not set, but other {prefix} settings are ({string.Join(", ", ssl.Select(x => x.Key))}): an 8.x node fails to start. Set [{prefix}.enabled].",
                    "https://ela.st/es-deprecation-7-explicit-ssl-required", ConfigFix.None);
        }
        if (!byKey.ContainsKey("xpack.security.enabled"))
            yield return new NodeConfigFinding
            {
                File = file, Line = 0, Setting = "xpack.security.enabled", Level = DeprecationLevel.Critical, Rule = "SecurityNotExplicit",
                Message = "xpack.security.enabled is not set: 8.x turns security on for every license, and a node upgraded from 7.x without TLS on the transport layer fails its bootstrap check. " +
                    "Set it: true with TLS configured, or false to keep a cluster without security as it is.",
                Url = "https://ela.st/es-deprecation-7-implicitly-disabled-security", Fix = ConfigFix.None,
            };
        if (!byKey.ContainsKey("action.destructive_requires_name"))
            yield return new NodeConfigFinding
            {
                File = file, Line = 0, Setting = "action.destructive_requires_name", Level = DeprecationLevel.Info, Rule = "ChangedDefault",
                Message = "8.x defaults action.destructive_requires_name to true: deleting indices by wildcard or _all is refused. Scripts that do so must name the indices.",
                Url = Breaking, Fix = ConfigFix.None,
            };
    }

    static readonly Regex TimeValue = new Regex(@"^(?<n>\d+(\.\d+)?)(?<u>nanos|micros|ms|s|m|h|d)$", RegexOptions.Compiled);

    static bool IsUnderOneSecond(string? value)
    {
        if (value is null || TimeValue.Match(value.Trim()) is not { Success: true } m) return false;
        var n = double.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var ms = m.Groups["u"].Value switch { "nanos" => n / 1e6, "micros" => n / 1e3, "ms" => n, "s" => n * 1e3, "m" => n * 6e4, "h" => n * 3.6e6, _ => n * 8.64e7 };
        return ms < 1000;
    }

    /// <summary>
    /// The node.roles a node with legacy role settings (and cluster.remote.connect) has, or null when it cannot be
    /// told offline (a placeholder, a value that is not a boolean) or node.roles is already set.
    /// </summary>
    public static IReadOnlyList<string>? RolesFor(IReadOnlyDictionary<string, YamlSetting> byKey)
    {
        var legacy = LegacyRoles.Where(r => byKey.ContainsKey(r.Setting)).ToList();
        var remote = RemoteConnect.Select(k => byKey.TryGetValue(k, out var v) ? v : null).FirstOrDefault(v => v != null);
        if ((legacy.Count == 0 && remote is null) || byKey.ContainsKey("node.roles")) return null;
        var roles = new List<string>();
        var data = true;
        foreach (var (setting, role, byDefault) in LegacyRoles)
        {
            bool on;
            if (byKey.TryGetValue(setting, out var s))
            {
                if (!bool.TryParse(s.Value, out on)) return null;
            }
            // 7.x: node.transform defaults to the value of node.data.
            else on = role == "transform" ? data : byDefault;
            if (role == "data") data = on;
            if (role == "remote_cluster_client" && remote != null)
            {
                if (!bool.TryParse(remote.Value, out var connects)) return null;
                on = on && connects;
            }
            if (on) roles.Add(role);
        }
        return roles;
    }

    public static string RolesLine(IReadOnlyList<string> roles) => "node.roles: [ " + string.Join(", ", roles) + " ]";
}
