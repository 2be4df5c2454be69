using EsUpgrade.Errors;
using EsUpgrade.WindowsNodes;

namespace EsUpgrade.Core.Tests;

/// <summary>How one Windows node's switch to 8.x is planned from what was read on it (the node side's Inspect step).</summary>
public class WindowsNodePlannerTests
{
    const string Old = @"C:\Program Files (x86)\Elastic\elasticsearch-7.17.27";

    static WindowsNodeInspection Zip(string yaml = "cluster.name: prod\nnode.name: es-01\nxpack.security.enabled: false\n") => new()
    {
        Computer = "WIN-ES01", Home = Old, ConfigDir = Old + @"\config", ConfigInHome = true, Yaml = yaml,
        JvmOptions = "## JVM configuration\n-Xms4g\n-Xmx4g\n8-13:-XX:+UseConcMarkSweepGC\n", JvmOptionsD = new[] { "gc.options" },
        Plugins = new[] { "analysis-icu=7.17.27", "repository-s3=7.17.27" }, Account = "LocalSystem", StartMode = "Auto", Keystore = true,
    };

    static WindowsNodeOptions Options(string? pluginFolder = null, string? credentialUser = null, bool convert = false) => new()
    {
        PackageFileName = "elasticsearch-8.19.0-windows-x86_64.zip", InstallRoot = @"C:\Program Files (x86)\Elastic", ServiceName = "elasticsearch-service-x64",
        PluginFolder = pluginFolder, ServiceCredentialUser = credentialUser, ConvertConfiguration = convert,
    };

    [Fact]
    public void A_zip_install_gets_a_new_home_beside_the_old_its_config_carried_and_data_and_logs_pinned_where_they_were()
    {
        var r = WindowsNodePlanner.Plan("es-01", Zip(), Options(), "8.19.0");
        Assert.Equal(@"C:\Program Files (x86)\Elastic\elasticsearch-8.19.0", r.NewHome);
        Assert.Equal((true, r.NewHome + @"\config", Old + @"\config"), (r.CarryConfig, r.ConfigDir, r.OldConfigDir));
        Assert.EndsWith($"path.data: '{Old}\\data'\npath.logs: '{Old}\\logs'\n", r.Yaml);
        Assert.StartsWith("cluster.name: prod\n", r.Yaml);
        Assert.Equal("-Xms4g\r\n-Xmx4g\r\n", r.HeapOptions);
        Assert.Equal(new[] { "analysis-icu|analysis-icu" }, r.Plugins);     // repository-s3 is a module in 8.x
        Assert.Contains(r.Notes, n => n.Contains("repository-s3 is a module"));
        Assert.Equal(("auto", (string?)null, true), (r.StartType, r.ServiceAccount, r.Keystore));
        Assert.Equal(@"C:\Program Files (x86)\Elastic\esupgrade-staging\elasticsearch-8.19.0-windows-x86_64.zip", r.Package);
    }

    [Fact]
    public void An_msi_install_keeps_its_configuration_in_ProgramData_and_plugins_come_from_the_offline_folder()
    {
        var seen = Zip("cluster.name: prod\npath.data: C:\\ProgramData\\Elastic\\Elasticsearch\\data\npath.logs: C:\\ProgramData\\Elastic\\Elasticsearch\\logs\nxpack.security.enabled: false\n");
        seen.Home = @"C:\Program Files\Elastic\Elasticsearch\7.16.2";
        seen.ConfigDir = @"C:\ProgramData\Elastic\Elasticsearch\config";
        seen.ConfigInHome = false;
        seen.JvmOptions = "";
        seen.ServiceHeap = new[] { "2048", "2048" };
        var r = WindowsNodePlanner.Plan("es-01", seen, Options(pluginFolder: @"D:\offline plugins"), "8.19.0");
        Assert.Equal((false, @"C:\ProgramData\Elastic\Elasticsearch\config"), (r.CarryConfig, r.ConfigDir));
        Assert.Equal(seen.Yaml, r.Yaml);     // both paths are set and absolute: nothing pinned
        Assert.Equal("-Xms2048m\r\n-Xmx2048m\r\n", r.HeapOptions);
        Assert.Equal(new[] { "analysis-icu|file:///D:/offline plugins/analysis-icu-8.19.0.zip" }, r.Plugins);
    }

    [Theory]
    [InlineData("cluster.name: prod\n", "SecurityNotExplicit")]
    [InlineData("xpack.security.enabled: false\npath.data: data\n", "path.data in elasticsearch.yml is relative")]
    [InlineData("xpack.security.enabled: false\ndiscovery.zen.minimum_master_nodes: 2\n", "discovery.zen.minimum_master_nodes")]
    public void What_would_stop_the_node_or_lose_its_data_is_refused_before_anything_changes(string yaml, string expected)
    {
        var ex = Assert.Throws<EsException>(() => WindowsNodePlanner.Plan("es-01", Zip(yaml), Options(), "8.19.0"));
        Assert.Equal((ErrorIds.WindowsNodeUnsafe, EsErrorKind.InvalidState), (ex.ErrorId, ex.Kind));
        Assert.StartsWith("Node es-01 was not touched: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Converting_the_configuration_turns_removed_settings_into_their_8x_form()
    {
        var r = WindowsNodePlanner.Plan("es-01", Zip("xpack.security.enabled: false\nnode.master: true\nnode.data: true\n"), Options(convert: true), "8.19.0");
        Assert.Contains("node.roles", r.Yaml);
        Assert.Contains(r.Notes, n => n.Contains("converted"));
    }

    [Theory]
    [InlineData("LocalSystem", null, null, false)]
    [InlineData(@"NT AUTHORITY\NetworkService", null, @"NT AUTHORITY\NetworkService", false)]
    [InlineData(@"NT SERVICE\elasticsearch", null, @"NT SERVICE\elasticsearch", false)]
    [InlineData(@"CORP\es-gmsa$", null, @"CORP\es-gmsa$", false)]
    [InlineData(@"CORP\svc-es", @"CORP\svc-es", null, true)]
    public void The_service_keeps_its_account(string account, string? credentialUser, string? passed, bool needsPassword)
    {
        var seen = Zip();
        seen.Account = account;
        var r = WindowsNodePlanner.Plan("es-01", seen, Options(credentialUser: credentialUser), "8.19.0");
        Assert.Equal((passed, needsPassword), (r.ServiceAccount, r.NeedsServiceCredential));
    }

    [Fact]
    public void An_account_with_a_password_needs_ServiceCredential_and_the_package_must_be_the_target()
    {
        var seen = Zip();
        seen.Account = @"CORP\svc-es";
        Assert.Contains(@"give -ServiceCredential for CORP\svc-es", Assert.Throws<EsException>(() => WindowsNodePlanner.Plan("es-01", seen, Options(), "8.19.0")).Message);
        Assert.Contains("the package is 8.19.0 but the upgrade goes to 8.18.2", Assert.Throws<EsException>(() => WindowsNodePlanner.Plan("es-01", Zip(), Options(), "8.18.2")).Message);
    }

    [Fact]
    public void A_node_whose_service_runs_the_new_home_already_is_only_started()
    {
        var seen = Zip();
        seen.Home = @"C:\Program Files (x86)\Elastic\elasticsearch-8.19.0";
        Assert.True(WindowsNodePlanner.Plan("es-01", seen, Options(), "8.19.0").StartOnly);
        // The service was installed through the home's 8.3 short path: its marker file tells it.
        seen.Home = @"C:\PROGRA~2\Elastic\ELASTI~1.0";
        seen.ExpandedVersion = "8.19.0";
        Assert.True(WindowsNodePlanner.Plan("es-01", seen, Options(), "8.19.0").StartOnly);
    }

    [Fact]
    public void JAVA_HOME_is_not_relied_on_and_an_ES_JAVA_HOME_is_said()
    {
        var seen = Zip();
        seen.JavaHome = @"C:\Java\jdk1.8";
        seen.EsJavaHome = @"C:\Java\jdk-21";
        var r = WindowsNodePlanner.Plan("es-01", seen, Options(), "8.19.0");
        Assert.Contains(r.Warnings, w => w.StartsWith(@"JAVA_HOME (C:\Java\jdk1.8) is ignored from 8.0 on"));
        Assert.Equal(@"C:\Java\jdk-21", r.EsJavaHome);
    }

    [Theory]
    [InlineData("elasticsearch-8.19.0-windows-x86_64.zip", "8.19.0")]
    [InlineData("ELASTICSEARCH-8.5.3-WINDOWS-X86_64.ZIP", "8.5.3")]
    public void The_version_comes_from_the_package_name(string name, string version) => Assert.Equal(version, WindowsPackage.VersionOf(name));

    [Fact]
    public void Other_packages_and_sha512_files_for_other_names_are_refused()
    {
        Assert.Equal(ErrorIds.InvalidPackage, Assert.Throws<EsException>(() => WindowsPackage.VersionOf("elasticsearch-7.16.2.msi")).ErrorId);
        var hash = new string('a', 128);
        Assert.Equal(hash.ToUpperInvariant(), WindowsPackage.Sha512Of($"{hash}  elasticsearch-8.19.0-windows-x86_64.zip\n", "elasticsearch-8.19.0-windows-x86_64.zip"));
        Assert.Contains("is for 'elasticsearch-8.18.0-windows-x86_64.zip'", Assert.Throws<EsException>(() => WindowsPackage.Sha512Of($"{hash}  elasticsearch-8.18.0-windows-x86_64.zip", "elasticsearch-8.19.0-windows-x86_64.zip")).Message);
        Assert.True(PluginModules.IsModuleIn("ingest-attachment", "8.4.0"));
        Assert.False(PluginModules.IsModuleIn("ingest-attachment", "8.3.3"));
    }
}
