using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using EsUpgrade.Assessment;
using EsUpgrade.Errors;
using EsUpgrade.NodeConfiguration;

namespace EsUpgrade.WindowsNodes;

/// <summary>What the node side read on a node (EsWindowsNode.ps1, step Inspect).</summary>
public sealed class WindowsNodeInspection
{
    public string Computer { get; set; } = "";
    /// <summary>The home folder the service runs from (the folder above bin\elasticsearch-service-x64.exe).</summary>
    public string Home { get; set; } = "";
    /// <summary>The version of a home this action expanded (its marker file); empty for any other home.</summary>
    public string ExpandedVersion { get; set; } = "";
    /// <summary>The service was removed by a run that stopped before installing the new one; what it was comes from the note kept on the node.</summary>
    public bool ServiceMissing { get; set; }
    public string ConfigDir { get; set; } = "";
    /// <summary>config\ of the home (the zip layout); false for an MSI install or ES_PATH_CONF elsewhere.</summary>
    public bool ConfigInHome { get; set; }
    public string Yaml { get; set; } = "";
    public string JvmOptions { get; set; } = "";
    public IReadOnlyList<string> JvmOptionsD { get; set; } = Array.Empty<string>();
    /// <summary>The heap procrun keeps for the service (JvmMs, JvmMx, in MB), when it keeps one.</summary>
    public IReadOnlyList<string> ServiceHeap { get; set; } = Array.Empty<string>();
    /// <summary>Installed plugins as <c>name=version</c>.</summary>
    public IReadOnlyList<string> Plugins { get; set; } = Array.Empty<string>();
    public string Account { get; set; } = "";
    public string StartMode { get; set; } = "";
    public string? JavaHome { get; set; }
    public string? EsJavaHome { get; set; }
    public bool Keystore { get; set; }
}

/// <summary>What the action was given for every node.</summary>
public sealed class WindowsNodeOptions
{
    public string PackageFileName { get; set; } = "";
    public string InstallRoot { get; set; } = "";
    public string ServiceName { get; set; } = "";
    public string? Sha512 { get; set; }
    /// <summary>A folder on the nodes with plugin zips named <c>&lt;plugin&gt;-&lt;version&gt;.zip</c>, for sites without internet.</summary>
    public string? PluginFolder { get; set; }
    public bool ConvertConfiguration { get; set; }
    /// <summary>The user of -ServiceCredential, when given: the password of a service account that has one.</summary>
    public string? ServiceCredentialUser { get; set; }
    public int StopTimeoutSeconds { get; set; } = 300;
}

/// <summary>What the node side is asked to do (step Upgrade); <see cref="ToDictionary"/> is what crosses to the node.</summary>
public sealed class WindowsNodeUpgradeRequest
{
    public string TargetVersion { get; set; } = "";
    public string ServiceName { get; set; } = "";
    public bool StartOnly { get; set; }
    /// <summary>Nothing to stop or remove: a run that stopped half-way removed the old service already.</summary>
    public bool ServiceMissing { get; set; }
    public string Package { get; set; } = "";
    public string? Sha512 { get; set; }
    public string OldHome { get; set; } = "";
    public string NewHome { get; set; } = "";
    public string OldConfigDir { get; set; } = "";
    public string ConfigDir { get; set; } = "";
    public bool CarryConfig { get; set; }
    public string Yaml { get; set; } = "";
    public string? HeapOptions { get; set; }
    public bool Keystore { get; set; }
    /// <summary><c>name|source</c>: the plugin and where to install it from (an offline zip, or its name for Elastic's download site).</summary>
    public List<string> Plugins { get; set; } = new List<string>();
    public string StartType { get; set; } = "auto";
    /// <summary>A built-in, virtual or managed account, which needs no password; null for LocalSystem.</summary>
    public string? ServiceAccount { get; set; }
    public bool NeedsServiceCredential { get; set; }
    public string? EsJavaHome { get; set; }
    public int StopTimeoutSeconds { get; set; }
    public string LogPath { get; set; } = "";
    /// <summary>What the plan changed or chose, for the log and the verbose stream.</summary>
    public List<string> Notes { get; set; } = new List<string>();
    public List<string> Warnings { get; set; } = new List<string>();

    public Dictionary<string, object?> ToDictionary() => new Dictionary<string, object?>
    {
        ["Step"] = "Upgrade", ["TargetVersion"] = TargetVersion, ["ServiceName"] = ServiceName, ["StartOnly"] = StartOnly, ["ServiceMissing"] = ServiceMissing,
        ["Package"] = Package, ["Sha512"] = Sha512, ["OldHome"] = OldHome, ["NewHome"] = NewHome, ["OldConfigDir"] = OldConfigDir,
        ["ConfigDir"] = ConfigDir, ["CarryConfig"] = CarryConfig, ["Yaml"] = Yaml, ["HeapOptions"] = HeapOptions, ["Keystore"] = Keystore,
        ["Plugins"] = Plugins.ToArray(), ["StartType"] = StartType, ["ServiceAccount"] = ServiceAccount, ["EsJavaHome"] = EsJavaHome,
        ["StopTimeoutSeconds"] = StopTimeoutSeconds, ["LogPath"] = LogPath,
    };
}

/// <summary>
/// Plans one Windows node's switch to the new version from what was read on it: where the new home goes, what of the
/// configuration is carried and how, the heap, the plugins, the service's account and start type. Everything that would
/// leave the node unable to start or lose data is refused here, before the node side changes anything
/// (UPGRADE-PAIN-POINTS §7–14).
/// </summary>
public static class WindowsNodePlanner
{
    static readonly Regex Heap = new Regex(@"^\s*(\d+(-\d*)?:)?(?<flag>-Xm[sx]\S+)\s*$", RegexOptions.CultureInvariant);

    public static WindowsNodeUpgradeRequest Plan(string node, WindowsNodeInspection seen, WindowsNodeOptions options, string targetVersion)
    {
        var packageVersion = WindowsPackage.VersionOf(options.PackageFileName);
        if (packageVersion != targetVersion)
            throw Unsafe(node, $"the package is {packageVersion} but the upgrade goes to {targetVersion}: give the {targetVersion} package (-Package).");
        var request = new WindowsNodeUpgradeRequest
        {
            TargetVersion = targetVersion,
            ServiceName = options.ServiceName,
            NewHome = Join(options.InstallRoot, "elasticsearch-" + targetVersion),
            OldHome = seen.Home,
            OldConfigDir = seen.ConfigDir,
            Package = Join(Join(options.InstallRoot, "esupgrade-staging"), options.PackageFileName),
            Sha512 = options.Sha512,
            StopTimeoutSeconds = options.StopTimeoutSeconds,
            LogPath = Join(options.InstallRoot, $"esupgrade-{options.ServiceName}.log"),
        };
        if (seen.ExpandedVersion == targetVersion || SamePath(seen.Home, request.NewHome))
        {
            // A run that stopped after the switch (and is resumed): the service is the new one already.
            request.StartOnly = true;
            request.Notes.Add($"the service already runs {request.NewHome}");
            return request;
        }
        request.ServiceMissing = seen.ServiceMissing;
        request.CarryConfig = seen.ConfigInHome;
        request.ConfigDir = seen.ConfigInHome ? Join(request.NewHome, "config") : seen.ConfigDir;
        if (!seen.ConfigInHome) request.Notes.Add($"the configuration stays in {seen.ConfigDir} (an MSI install or ES_PATH_CONF): the service is installed with ES_PATH_CONF there");
        request.Yaml = PlanYaml(node, seen, options, request);
        request.HeapOptions = PlanHeap(seen, request);
        request.Keystore = seen.Keystore;
        PlanPlugins(seen, options, targetVersion, request);
        PlanAccount(node, seen, options, request);
        request.StartType = seen.StartMode.Equals("Manual", StringComparison.OrdinalIgnoreCase) ? "manual" : "auto";
        if (seen.StartMode.Equals("Disabled", StringComparison.OrdinalIgnoreCase))
            request.Warnings.Add("the service was disabled; the new one is installed to start automatically, as it must start now");
        if (!string.IsNullOrEmpty(seen.JavaHome))
            request.Warnings.Add($"JAVA_HOME ({seen.JavaHome}) is ignored from 8.0 on: the node runs on its bundled JDK" + (string.IsNullOrEmpty(seen.EsJavaHome) ? "" : " unless ES_JAVA_HOME is set"));
        if (!string.IsNullOrEmpty(seen.EsJavaHome))
        {
            request.EsJavaHome = seen.EsJavaHome;
            request.Warnings.Add($"ES_JAVA_HOME ({seen.EsJavaHome}) is set on the machine: {targetVersion} runs on that JDK, which must be 17 or later; remove it to use the bundled one");
        }
        return request;
    }

    static string PlanYaml(string node, WindowsNodeInspection seen, WindowsNodeOptions options, WindowsNodeUpgradeRequest request)
    {
        var text = seen.Yaml;
        if (options.ConvertConfiguration)
        {
            var (converted, fixedOnes, _) = NodeConfigConverter.ConvertYaml(text, "elasticsearch.yml");
            text = converted;
            foreach (var f in fixedOnes) request.Notes.Add($"elasticsearch.yml: {f.Setting} ({f.Rule}) converted");
        }
        var settings = YamlSettings.Parse(text, "elasticsearch.yml");
        var blocking = SettingRules.Check(settings, "elasticsearch.yml").Where(f => f.Level == DeprecationLevel.Critical).ToList();
        if (blocking.Count > 0)
            throw Unsafe(node, "elasticsearch.yml has what stops an 8.x node from starting: " +
                string.Join("; ", blocking.Select(b => $"{b.Setting} ({b.Rule}): {b.Message}")) +
                (options.ConvertConfiguration ? "" : " -ConvertConfiguration converts what can be converted; set the rest by hand."));
        // Nothing may stay in the old home by default: pinned where it is now, it is kept when the new home is used.
        var pins = new List<string>();
        foreach (var (key, folder) in new[] { ("path.data", "data"), ("path.logs", "logs") })
        {
            var setting = settings.FirstOrDefault(s => s.Key == key);
            if (setting is null)
            {
                var where = Join(seen.Home, folder);
                pins.Add($"{key}: '{where.Replace("'", "''")}'");
                request.Notes.Add($"{key} pinned to {where}, where the old version kept it");
            }
            else if ((setting.Items ?? new[] { setting.Value ?? "" }).Any(v => !IsRooted(v)))
                throw Unsafe(node, $"{key} in elasticsearch.yml is relative, so it would move with the home folder: make it an absolute path first.");
        }
        if (pins.Count == 0) return text;
        var newline = text.Contains("\r\n") ? "\r\n" : "\n";
        return text.TrimEnd('\r', '\n') + newline + "# EsUpgrade: pinned where the old version kept them, outside the new home" + newline + string.Join(newline, pins) + newline;
    }

    static string? PlanHeap(WindowsNodeInspection seen, WindowsNodeUpgradeRequest request)
    {
        var flags = seen.JvmOptions.Replace("\r\n", "\n").Split('\n').Select(l => Heap.Match(l)).Where(m => m.Success).Select(m => m.Groups["flag"].Value).ToList();
        if (flags.Count == 0 && seen.ServiceHeap.Count == 2 && seen.ServiceHeap.All(h => int.TryParse(h, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) && mb > 0))
            flags = new List<string> { $"-Xms{seen.ServiceHeap[0]}m", $"-Xmx{seen.ServiceHeap[1]}m" };
        if (flags.Count == 0)
        {
            request.Notes.Add("no heap was set: the new version sizes it from the machine's memory");
            return null;
        }
        if (seen.JvmOptionsD.Any(f => f.Equals("heap.options", StringComparison.OrdinalIgnoreCase)))
            request.Warnings.Add("jvm.options.d\\heap.options is replaced by the heap of the old jvm.options");
        return string.Join("\r\n", flags) + "\r\n";
    }

    static void PlanPlugins(WindowsNodeInspection seen, WindowsNodeOptions options, string targetVersion, WindowsNodeUpgradeRequest request)
    {
        foreach (var entry in seen.Plugins)
        {
            var name = entry.Split('=')[0].Trim();
            if (name.Length == 0) continue;
            if (PluginModules.IsModuleIn(name, targetVersion))
            {
                request.Notes.Add($"plugin {name} is a module in {targetVersion}: not reinstalled");
                continue;
            }
            var source = options.PluginFolder is null ? name : "file:///" + Join(options.PluginFolder, $"{name}-{targetVersion}.zip").Replace('\\', '/').TrimStart('/');
            request.Plugins.Add($"{name}|{source}");
        }
    }

    static readonly string[] NoPassword = { "LocalSystem", @"NT AUTHORITY\SYSTEM", @"NT AUTHORITY\LocalService", @"NT AUTHORITY\NetworkService" };

    static void PlanAccount(string node, WindowsNodeInspection seen, WindowsNodeOptions options, WindowsNodeUpgradeRequest request)
    {
        var account = seen.Account.Trim();
        if (account.Length == 0 || account.Equals("LocalSystem", StringComparison.OrdinalIgnoreCase) || account.Equals(@"NT AUTHORITY\SYSTEM", StringComparison.OrdinalIgnoreCase))
            return;
        if (NoPassword.Contains(account, StringComparer.OrdinalIgnoreCase) || account.StartsWith(@"NT SERVICE\", StringComparison.OrdinalIgnoreCase) || account.EndsWith("$", StringComparison.Ordinal))
        {
            request.ServiceAccount = account;
            return;
        }
        if (options.ServiceCredentialUser is null || !SameAccount(options.ServiceCredentialUser, account))
            throw Unsafe(node, $"its service runs as {account}, and a service is installed again with its account's password: give -ServiceCredential for {account}.");
        request.NeedsServiceCredential = true;
    }

    static bool SameAccount(string a, string b) =>
        string.Equals(a.TrimStart('.', '\\'), b.TrimStart('.', '\\'), StringComparison.OrdinalIgnoreCase)
        || string.Equals(a.Split('\\').Last(), b.Split('\\').Last(), StringComparison.OrdinalIgnoreCase) && (a.StartsWith(@".\", StringComparison.Ordinal) || b.StartsWith(@".\", StringComparison.Ordinal));

    /// <summary>Joins with the separator the root uses: the node is Windows, the tests' fake layout may not be.</summary>
    public static string Join(string root, string name)
    {
        var separator = root.Contains('\\') ? '\\' : '/';
        return root.TrimEnd('\\', '/') + separator + name;
    }

    static bool SamePath(string a, string b) => string.Equals(a.TrimEnd('\\', '/'), b.TrimEnd('\\', '/'), StringComparison.OrdinalIgnoreCase);

    static bool IsRooted(string path) => Regex.IsMatch(path, @"^([A-Za-z]:[\\/]|\\\\|/)", RegexOptions.CultureInvariant);

    static EsException Unsafe(string node, string why) =>
        new EsException(EsErrorKind.InvalidState, ErrorIds.WindowsNodeUnsafe, $"Node {node} was not touched: {why}", node);
}
