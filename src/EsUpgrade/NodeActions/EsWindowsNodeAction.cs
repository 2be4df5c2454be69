using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using EsUpgrade.Upgrade;
using EsUpgrade.WindowsNodes;

namespace EsUpgrade.NodeActions;

/// <summary>
/// What New-EsWindowsNodeAction returns: the settings of the Windows upgrade of every node, and the script block
/// Invoke-EsRollingUpgrade -NodeAction runs (it takes this object as it is). The work is done by two scripts laid into
/// the module: WindowsNode/Invoke-EsWindowsNodeAction.ps1 here, WindowsNode/EsWindowsNode.ps1 on the node.
/// </summary>
public sealed class EsWindowsNodeAction
{
    internal EsWindowsNodeAction(string package, string packageFileName, string targetVersion, string? sha512, string moduleBase)
    {
        Package = package;
        PackageFileName = packageFileName;
        TargetVersion = targetVersion;
        Sha512 = sha512;
        NodeScript = Path.Combine(moduleBase, "WindowsNode", "EsWindowsNode.ps1");
        DriverScript = Path.Combine(moduleBase, "WindowsNode", "Invoke-EsWindowsNodeAction.ps1");
    }

    /// <summary>The package as given: a path here, or a URL it is downloaded from once.</summary>
    public string Package { get; }
    public string PackageFileName { get; }
    /// <summary>The version the package installs (from its name).</summary>
    public string TargetVersion { get; }
    /// <summary>The expected SHA-512 (from the .sha512 file); null when the package is not checked.</summary>
    public string? Sha512 { get; internal set; }
    public string InstallRoot { get; internal set; } = "";
    public string ServiceName { get; internal set; } = "";
    public PSCredential? Credential { get; internal set; }
    public PSCredential? ServiceCredential { get; internal set; }
    public bool UseSSL { get; internal set; }
    public IDictionary? ComputerName { get; internal set; }
    public PSSession[] Session { get; internal set; } = Array.Empty<PSSession>();
    public string? PluginFolder { get; internal set; }
    public bool ConvertConfiguration { get; internal set; }
    public TimeSpan StopTimeout { get; internal set; }
    public string NodeScript { get; }
    public string DriverScript { get; }
    /// <summary>What Invoke-EsRollingUpgrade -NodeAction runs: param($Node, $TargetVersion).</summary>
    public ScriptBlock ScriptBlock { get; internal set; } = null!;

    string? localPackage;

    /// <summary>The machine a node lives on: -ComputerName by node name, then by host, then '*'; else the node's host.</summary>
    public string ComputerFor(PlannedNode node)
    {
        if (ComputerName != null)
            foreach (var key in new[] { node.Name, node.Host, "*" })
                if (key != null && ComputerName.Keys.Cast<object>().FirstOrDefault(k => string.Equals(k?.ToString(), key, StringComparison.OrdinalIgnoreCase)) is { } found)
                    return ComputerName[found]?.ToString() ?? node.Name;
        return node.Host ?? node.Name;
    }

    /// <summary>'.', localhost or this machine's name: run here, without remoting.</summary>
    public bool IsLocal(string computer) =>
        computer == "." || computer.Equals("localhost", StringComparison.OrdinalIgnoreCase) || computer.Equals(Environment.MachineName, StringComparison.OrdinalIgnoreCase);

    /// <summary>The -Session to that computer (matched by its computer name); null when none was given for it.</summary>
    public PSSession? SessionFor(string computer) =>
        Session.FirstOrDefault(s => string.Equals(s.ComputerName, computer, StringComparison.OrdinalIgnoreCase));

    /// <summary>The package on this machine: downloaded once (with its .sha512) when a URL was given; checked against its hash once.</summary>
    public string LocalPackage()
    {
        // The nodes of a batch ask at once, each from its own runspace: one fetch for all.
        lock (fetching)
        {
            if (localPackage != null) return localPackage;
            var (path, sha) = WindowsPackage.Fetch(Package, PackageFileName, Sha512);
            Sha512 = sha;
            return localPackage = path;
        }
    }

    readonly object fetching = new();

    /// <summary>Plans the node's switch from what its Inspect step read; throws WindowsNodeUnsafe, before any change, when it cannot be done safely.</summary>
    public Hashtable PlanUpgrade(string node, object inspection, string targetVersion)
    {
        var seen = inspection is PSObject ps ? ps.BaseObject : inspection;
        var read = seen as IDictionary ?? throw new ArgumentException("The node's inspection is not a hashtable.");
        string Str(string key) => read[key]?.ToString() ?? "";
        IReadOnlyList<string> List(string key) => read[key] switch
        {
            null => Array.Empty<string>(),
            string s => new[] { s },
            IEnumerable e => e.Cast<object?>().Where(o => o != null).Select(o => o!.ToString()).ToList(),
            var o => new[] { o.ToString() },
        };
        var inspected = new WindowsNodeInspection
        {
            Computer = Str("Computer"), Home = Str("Home"), ExpandedVersion = Str("ExpandedVersion"), ServiceMissing = LanguagePrimitives.IsTrue(read["ServiceMissing"]), ConfigDir = Str("ConfigDir"), ConfigInHome = LanguagePrimitives.IsTrue(read["ConfigInHome"]),
            Yaml = Str("Yaml"), JvmOptions = Str("JvmOptions"), JvmOptionsD = List("JvmOptionsD"), ServiceHeap = List("ServiceHeap"), Plugins = List("Plugins"),
            Account = Str("Account"), StartMode = Str("StartMode"), JavaHome = read["JavaHome"]?.ToString(), EsJavaHome = read["EsJavaHome"]?.ToString(),
            Keystore = LanguagePrimitives.IsTrue(read["Keystore"]),
        };
        var options = new WindowsNodeOptions
        {
            PackageFileName = PackageFileName, InstallRoot = InstallRoot, ServiceName = ServiceName, Sha512 = Sha512, PluginFolder = PluginFolder,
            ConvertConfiguration = ConvertConfiguration, ServiceCredentialUser = ServiceCredential?.UserName, StopTimeoutSeconds = (int)StopTimeout.TotalSeconds,
        };
        var request = WindowsNodePlanner.Plan(node, inspected, options, targetVersion);
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in request.ToDictionary()) table[pair.Key] = pair.Value;
        table["ServiceCredential"] = request.NeedsServiceCredential ? ServiceCredential : null;
        table["Warnings"] = request.Warnings.ToArray();
        table["Notes"] = request.Notes.ToArray();
        return table;
    }

    public override string ToString() => $"Windows service {ServiceName}: {PackageFileName} into {InstallRoot}";
}
