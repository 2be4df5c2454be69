using EsUpgrade.Assessment;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;
using EsUpgrade.NodeConfiguration;

namespace EsUpgrade.Core.Tests;

/// <summary>Offline lint and rewrite of node configuration, over a corpus of real-world shapes (NodeConfigCorpus/).</summary>
public class NodeConfigurationTests : IDisposable
{
    static string Corpus(string name) => Path.Combine(AppContext.BaseDirectory, "NodeConfigCorpus", name);
    readonly string temp = Directory.CreateTempSubdirectory("esupgrade-config-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    static NodeConfigFinding One(IEnumerable<NodeConfigFinding> findings, string setting) => Assert.Single(findings, f => f.Setting == setting);

    [Fact]
    public void Flat_settings_are_found_with_their_lines_and_placeholders_and_windows_paths_read_as_written()
    {
        var findings = NodeConfigLinter.Check(Corpus("flat-7x.yml"));
        var master = One(findings, "node.master");
        Assert.Equal((5, DeprecationLevel.Critical, "LegacyRoleSetting", ConfigFix.Roles), (master.Line, master.Level, master.Rule, master.Fix));
        // 7.x: node.transform follows node.data, so this dedicated master has no transform role.
        Assert.Equal("node.roles: [ master, ml, remote_cluster_client ]", master.Replacement);
        Assert.Equal(12, One(findings, "http.tcp_no_delay").Line);
        Assert.Equal("http.tcp.no_delay", One(findings, "http.tcp_no_delay").Replacement);
        Assert.Equal(14, One(findings, "discovery.zen.minimum_master_nodes").Line);
        Assert.DoesNotContain(findings, f => f.Setting == "node.name" || f.Setting == "path.data" || f.Setting == "xpack.security.enabled");
        // A secret is named, never shown.
        var password = One(findings, "xpack.monitoring.exporters.legacy.auth.password");
        Assert.Equal("(secret)", password.Value);
        Assert.DoesNotContain(findings, f => (f.Value ?? "").Contains("hunter2") || f.Message.Contains("hunter2"));
    }

    [Fact]
    public void Nested_settings_read_as_their_flat_names_on_the_lines_of_their_keys()
    {
        var findings = NodeConfigLinter.Check(Corpus("nested-7x.yml"));
        Assert.Equal(7, One(findings, "node.master").Line);
        Assert.Equal("node.roles: [ master, data, ingest, ml, remote_cluster_client, transform ]", One(findings, "node.master").Replacement);
        Assert.Equal(("transport.port", 11), (One(findings, "transport.tcp.port").Replacement, One(findings, "transport.tcp.port").Line));
        Assert.Equal(DeprecationLevel.Warning, One(findings, "path.data").Level);
        Assert.Equal(3, One(findings, "cluster.initial_master_nodes").Line);
        // http.ssl settings without http.ssl.enabled; transport has it.
        var ssl = Assert.Single(findings, f => f.Rule == "SslNotExplicit");
        Assert.Contains("xpack.security.http.ssl.enabled", ssl.Message);
    }

    [Fact]
    public void An_8x_ready_file_has_no_critical_finding()
    {
        Assert.DoesNotContain(NodeConfigLinter.Check(Corpus("ready-8x.yml")), f => f.Level >= DeprecationLevel.Warning);
    }

    [Fact]
    public void Security_left_unset_is_critical_and_left_to_the_admin()
    {
        var file = Path.Combine(temp, "elasticsearch.yml");
        File.WriteAllText(file, "cluster.name: c\n");
        var finding = One(NodeConfigLinter.Check(file), "xpack.security.enabled");
        Assert.Equal((DeprecationLevel.Critical, ConfigFix.None), (finding.Level, finding.Fix));
    }

    [Fact]
    public void Bad_input_is_a_clear_error_each()
    {
        var invalid = Assert.Throws<EsException>(() => NodeConfigLinter.Check(Corpus("invalid.yml")));
        Assert.Equal(ErrorIds.InvalidNodeConfiguration, invalid.ErrorId);
        Assert.Contains("line 4, column ", invalid.Message);
        Assert.Equal(ErrorIds.EmptyNodeConfiguration, Assert.Throws<EsException>(() => NodeConfigLinter.Check(Corpus("empty.yml"))).ErrorId);
        var missing = Assert.Throws<EsException>(() => NodeConfigLinter.Check(Path.Combine(temp, "nope.yml")));
        Assert.Equal((ErrorIds.NodeConfigurationNotFound, EsErrorKind.NotFound), (missing.ErrorId, missing.Kind));
        var folder = Assert.Throws<EsException>(() => NodeConfigLinter.Check(temp));
        Assert.Equal(ErrorIds.NodeConfigurationNotFound, folder.ErrorId);
        Assert.Contains("no elasticsearch.yml", folder.Message);
        File.WriteAllText(Path.Combine(temp, "twice.yml"), "node.name: a\nnode.name: b\n");
        Assert.Equal(ErrorIds.InvalidNodeConfiguration, Assert.Throws<EsException>(() => NodeConfigLinter.Check(Path.Combine(temp, "twice.yml"))).ErrorId);
    }

    [Fact]
    public void A_config_folder_brings_jvm_options_and_its_folder_with_version_prefixes_understood()
    {
        var findings = NodeConfigLinter.Check(Corpus("config-7x"));
        var jvm = findings.Where(f => Path.GetFileName(f.File) == "jvm.options").ToList();
        // The stock 8-13: lines are skipped on JDK 17; the unprefixed copy on line 8 is what stops the node.
        var cms = Assert.Single(jvm, f => f.Rule == "JvmOptionRejected");
        Assert.Equal((8, ConfigFix.PrefixOldJdk, "8-13:-XX:+UseConcMarkSweepGC"), (cms.Line, cms.Fix, cms.Replacement));
        Assert.Equal(new[] { 2, 3 }, jvm.Where(f => f.Rule == "HeapInRootJvmOptions").Select(f => f.Line));
        var gc = findings.Where(f => Path.GetFileName(f.File) == "gc.options").ToList();
        Assert.Equal(new[] { ("JvmOptionRejected", 1), ("JvmOptionDeprecated", 2), ("SystemPropertyRemoved", 3) }, gc.Select(f => (f.Rule, f.Line)));
        Assert.Single(findings, f => f.Rule == "JvmOptionsFileIgnored" && f.File.EndsWith("README.txt"));
    }

    [Fact]
    public void Converting_keeps_every_other_line_and_comment()
    {
        var target = Path.Combine(temp, "out.yml");
        var result = Assert.Single(NodeConfigConverter.Convert(Corpus("flat-7x.yml"), target, force: false, _ => true));
        var input = File.ReadAllLines(Corpus("flat-7x.yml"));
        var output = File.ReadAllLines(target);
        foreach (var line in input.Where(l => !l.StartsWith("node.master") && !l.StartsWith("node.data") && !l.StartsWith("node.ingest")
            && !l.StartsWith("http.tcp_no_delay") && !l.StartsWith("discovery.zen") && !l.StartsWith("xpack.monitoring.exporters")))
            Assert.Contains(line, output);
        Assert.Contains("http.tcp.no_delay: true    # keep latency low", output);
        Assert.Contains("# node.master: true", output);
        Assert.Contains("node.roles: [ master, ml, remote_cluster_client ]", output);
        Assert.DoesNotContain(output, l => l.Contains("hunter2"));
        Assert.True(result.Changed);
        // What it wrote has nothing critical left that a rewrite could settle.
        Assert.DoesNotContain(NodeConfigLinter.Check(target), f => f.Level == DeprecationLevel.Critical && f.Fix != ConfigFix.None);
    }

    [Fact]
    public void Converting_nested_settings_removes_emptied_maps_and_appends_the_8x_names()
    {
        var target = Path.Combine(temp, "nested.yml");
        NodeConfigConverter.Convert(Corpus("nested-7x.yml"), target, force: false, _ => true);
        var output = File.ReadAllLines(target);
        Assert.Contains("# node:", output);
        Assert.Contains("#   master: true", output);
        Assert.Contains("transport.port: 9300-9400", output);
        var after = NodeConfigLinter.Check(target);
        Assert.Equal(new[] { "node.roles", "path.data", "transport.port", "xpack.security.enabled" }.Where(k => after.Any(f => f.Setting == k)).ToList(),
            new[] { "path.data" }.ToList());
        var settings = NodeConfigLinter.ReadYaml(target).ToDictionary(s => s.Key, s => s.DisplayValue);
        Assert.Equal("[master, data, ingest, ml, remote_cluster_client, transform]", settings["node.roles"]);
        Assert.Equal("true", settings["xpack.security.enabled"]);
    }

    [Fact]
    public void Converting_never_overwrites_without_force_and_writes_nothing_under_whatif()
    {
        var input = Path.Combine(temp, "elasticsearch.yml");
        File.Copy(Corpus("flat-7x.yml"), input);
        var self = Assert.Throws<EsException>(() => NodeConfigConverter.Convert(input, input, force: false, _ => true));
        Assert.Equal(ErrorIds.DestinationExists, self.ErrorId);
        Assert.Contains("the input itself", self.Message);
        var target = Path.Combine(temp, "whatif.yml");
        var planned = Assert.Single(NodeConfigConverter.Convert(input, target, force: false, _ => false));
        Assert.False(File.Exists(target));
        Assert.False(planned.Written);
        NodeConfigConverter.Convert(input, input, force: true, _ => true);
        Assert.Contains("# node.master: true", File.ReadAllLines(input));
    }

    [Fact]
    public void A_converted_config_folder_limits_rejected_jvm_options_to_old_jdks()
    {
        var target = Path.Combine(temp, "config-8x");
        var results = NodeConfigConverter.Convert(Corpus("config-7x"), target, force: false, _ => true);
        Assert.Equal(new[] { "elasticsearch.yml", "jvm.options", "gc.options" }, results.Select(r => Path.GetFileName(r.Destination)));
        Assert.Contains("8-13:-XX:+UseConcMarkSweepGC", File.ReadAllLines(Path.Combine(target, "jvm.options")));
        Assert.DoesNotContain("-XX:+UseConcMarkSweepGC", File.ReadAllLines(Path.Combine(target, "jvm.options")));
        Assert.Contains("# -Des.disk.auto_release_flood_stage_block=false", File.ReadAllLines(Path.Combine(target, "jvm.options.d", "gc.options")));
        Assert.DoesNotContain(NodeConfigLinter.Check(target), f => f.Level == DeprecationLevel.Critical);
    }

    [Fact]
    public async Task A_converted_file_starts_an_emulated_8x_node_where_the_input_did_not()
    {
        var input = File.ReadAllText(Corpus("flat-7x.yml"));
        var spec = ClusterSpec.Uniform(3, "7.17.27");
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        await using var es = await Emulated.StartAsync(spec);
        es.Host.Cluster.StopNode("es-03");
        var refused = await es.Host.StartNodeAsync("es-03", "8.19.0", input);
        Assert.Contains("unknown setting [node.master]", refused);

        var (converted, _, _) = NodeConfigConverter.ConvertYaml(input, "elasticsearch.yml");
        es.Host.Cluster.StopNode("es-03");
        Assert.Null(await es.Host.StartNodeAsync("es-03", "8.19.0", converted));
    }

    static (string Text, IReadOnlyList<NodeConfigFinding> Fixed, IReadOnlyList<NodeConfigFinding> Unresolved) Convert(string yaml) =>
        NodeConfigConverter.ConvertYaml(yaml, "elasticsearch.yml");

    [Fact]
    public void Roles_that_cannot_be_told_offline_are_left_to_the_admin_not_dropped()
    {
        var (text, _, unresolved) = Convert("node.master: true\nnode.data: ${ES_DATA}\nxpack.security.enabled: false\n");
        Assert.Contains("node.master: true", text.Split('\n'));
        Assert.DoesNotContain("node.roles", text);
        Assert.Contains(unresolved, f => f.Setting == "node.data");
    }

    [Fact]
    public void Zen_seed_hosts_are_renamed_and_search_remote_connect_is_a_role()
    {
        var (text, _, _) = Convert("discovery.zen.ping.unicast.hosts: [ es-01, es-02 ]\nsearch.remote.connect: false\nxpack.security.enabled: false\n");
        Assert.Contains("discovery.seed_hosts: [ es-01, es-02 ]", text);
        Assert.Contains("node.roles: [ master, data, ingest, ml, transform ]", text);
        Assert.DoesNotContain("\ncluster.remote.connect", text);
    }

    [Fact]
    public void A_rename_never_sets_a_name_twice()
    {
        var (nested, _, _) = Convert("transport:\n  tcp:\n    port: 9300\n  port: 9301\nxpack.security.enabled: false\n");
        Assert.Single(YamlSettings.Parse(nested, "x"), x => x.Key == "transport.port");
        Assert.Contains("  port: 9301", nested.Split('\n'));
        var (two, _, _) = Convert("network.tcp.connect_timeout: 10s\ntransport.tcp.connect_timeout: 20s\nxpack.security.enabled: false\n");
        Assert.Equal("10s", Assert.Single(YamlSettings.Parse(two, "x"), x => x.Key == "transport.connect_timeout").Value);
    }

    [Fact]
    public void A_flow_map_line_shared_with_other_settings_is_not_rewritten()
    {
        var (text, _, unresolved) = Convert("node: { master: true, name: n1 }\nxpack.security.enabled: false\n");
        Assert.Contains("node: { master: true, name: n1 }", text.Split('\n'));
        Assert.Contains(unresolved, f => f.Setting == "node.master");
    }

    [Fact]
    public void A_secret_in_a_block_scalar_is_not_copied_and_odd_values_are_quoted()
    {
        var (text, _, _) = Convert("xpack.monitoring.exporters.legacy.auth.password: >-\n  s3cret-value\nhttp.tcp_no_delay: true\nnode:\n  attr:\n    x: 1\npidfile: \"{x}\"\nxpack.security.enabled: false\n");
        Assert.DoesNotContain("s3cret-value", text);
        Assert.Equal("{x}", Assert.Single(YamlSettings.Parse(text, "x"), x => x.Key == "node.pidfile").Value);
    }

    [Fact]
    public void Jvm_lines_are_read_as_the_launcher_reads_them()
    {
        var findings = JvmOptionRules.Check("  -Xmx1g\n99999999999:-Xms1g\n-XX:+UseParNewGC\n-XX:+PrintGCDateStamps\n-Djavax.net.ssl.keyStorePassword=hunter2\nbad line\n", "jvm.options", isRootFile: false).ToList();
        Assert.Equal(new[] { 1, 2, 6 }, findings.Where(f => f.Rule == "JvmOptionUnreadable").Select(f => f.Line));
        Assert.Equal("8-9:-XX:+UseParNewGC", findings.Single(f => f.Line == 3).Replacement);
        Assert.Equal("8:-XX:+PrintGCDateStamps", findings.Single(f => f.Line == 4).Replacement);
        Assert.DoesNotContain(findings, f => (f.Value ?? "").Contains("hunter2") || f.Setting.Contains("hunter2"));
    }
}
