using YamlDotNet.RepresentationModel;

namespace EsUpgrade.Emulator.Model;

/// <summary>
/// What a node checks when it starts, with the messages Elasticsearch logs (BEHAVIOUR.md §4):
/// settings 8.x removed, node metadata from a version it cannot upgrade from, indices created before 7.0.
/// </summary>
public static class NodeBoot
{
    /// <summary>Node settings that 7.x accepted and 8.0 removed (the breaking-changes list, in part).</summary>
    static readonly string[] RemovedIn8 =
    {
        "node.master", "node.data", "node.ingest", "node.ml", "node.voting_only", "node.transform", "node.remote_cluster_client",
        "node.max_local_storage_nodes", "gateway.recover_after_nodes", "gateway.expected_nodes", "bootstrap.system_call_filter",
        "http.content_type.required", "xpack.security.authz.store.roles.index.cache.max_size", "cluster.routing.allocation.disk.include_relocations",
    };

    /// <summary>Why the node cannot start, or null when it can.</summary>
    public static string? Refusal(EmulatedNode node, VersionProfile version, IEnumerable<EmulatedIndex> indices)
    {
        if (version.Is8)
        {
            foreach (var key in FlatKeys(node.ConfigYaml))
                if (key.StartsWith("discovery.zen.", StringComparison.Ordinal) || RemovedIn8.Contains(key))
                    return $"java.lang.IllegalArgumentException: unknown setting [{key}] please check that any required plugins are installed, or check the breaking changes documentation for removed settings";
        }
        if (version.Is8 && SecurityBootstrapFailure(node.ConfigYaml) is string bootstrap)
            return bootstrap;
        if (version.Version < node.DataVersion.Version)
            return $"java.lang.IllegalStateException: cannot downgrade a node from version [{node.DataVersion}] to version [{version}]";
        if (version.Is8 && node.DataVersion.Version < new Version(7, 17, 0))
            return $"java.lang.IllegalStateException: cannot upgrade a node from version [{node.DataVersion}] directly to version [{version}], upgrade to version [7.17.0] first.";
        var ancient = indices.Where(i => !i.Archive && i.CreatedVersion.Major < version.OldestReadableIndexMajor).OrderBy(i => i.CreatedVersion.Version).FirstOrDefault();
        if (ancient != null)
        {
            var min = $"{version.OldestReadableIndexMajor}.0.0";
            return version.Version >= new Version(8, 6)
                ? $"java.lang.IllegalStateException: Cannot start this node because it holds metadata for indices with version [{ancient.CreatedVersion}] with which this node of version [{version}] is incompatible. Revert this node to version [{node.DataVersion}] and delete any indices with versions earlier than [{min}] before upgrading to version [{version}]. If all such indices have already been deleted, revert this node to version [{node.DataVersion}] and wait for it to join the cluster to clean up any older indices from its metadata."
                : $"java.lang.IllegalStateException: cannot upgrade node because incompatible indices created with version [{ancient.CreatedVersion}] exist, while the minimum compatible index version is [{min}]. Upgrade your older indices by reindexing them in version [{node.DataVersion}] first.";
        }
        return null;
    }

    /// <summary>
    /// 8.x turns security on unless elasticsearch.yml says <c>xpack.security.enabled: false</c>; a node with data from
    /// 7.x is not auto-configured, so without transport TLS the bootstrap check stops it (TransportTLSBootstrapCheck;
    /// the 8.x wording, not captured in BEHAVIOUR.md). Upgrades from 7.x with security never set meet exactly this.
    /// </summary>
    static string? SecurityBootstrapFailure(string yaml)
    {
        var settings = FlatSettings(yaml);
        if (settings.GetValueOrDefault("xpack.security.enabled") == "false") return null;
        if (settings.GetValueOrDefault("xpack.security.transport.ssl.enabled") == "true") return null;
        return "ERROR: [1] bootstrap checks failed. You must address the points described in the following [1] lines before starting Elasticsearch. " +
            "bootstrap check failure [1] of [1]: Transport SSL must be enabled if security is enabled. Please set [xpack.security.transport.ssl.enabled] to [true] or disable security by setting [xpack.security.enabled] to [false]";
    }

    /// <summary>elasticsearch.yml's keys in flat form (nested maps joined with dots).</summary>
    public static IEnumerable<string> FlatKeys(string yaml) => FlatSettings(yaml).Keys;

    /// <summary>elasticsearch.yml's settings in flat form, scalar values as written.</summary>
    public static Dictionary<string, string> FlatSettings(string yaml)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(yaml)) return settings;
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return settings;
        void Walk(YamlMappingNode map, string prefix)
        {
            foreach (var (k, v) in map.Children)
            {
                var key = prefix + ((YamlScalarNode)k).Value;
                if (v is YamlMappingNode child) Walk(child, key + ".");
                else settings[key] = v is YamlScalarNode scalar ? scalar.Value ?? "" : v.ToString();
            }
        }
        Walk(root, "");
        return settings;
    }
}
