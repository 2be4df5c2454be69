using System;
using System.Collections;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using EsUpgrade.Errors;
using EsUpgrade.NodeActions;
using EsUpgrade.WindowsNodes;

namespace EsUpgrade.Commands;

/// <summary>
/// The node action for Elasticsearch running as a Windows service: pass it to Invoke-EsRollingUpgrade -NodeAction.
/// For each node, over PowerShell remoting: verify the package, expand it beside the old home, carry the configuration,
/// keystore and certificates, reinstall the plugins, swap the service (same account and start type) and start it.
/// </summary>
[Cmdlet(VerbsCommon.New, "EsWindowsNodeAction")]
[OutputType(typeof(EsWindowsNodeAction))]
public sealed class NewEsWindowsNodeActionCommand : EsCmdlet
{
    static readonly Regex Hex = new Regex("^[0-9a-fA-F]{128}$", RegexOptions.CultureInvariant);

    /// <summary>elasticsearch-&lt;version&gt;-windows-x86_64.zip: a path here, or the URL to download it from once.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Package { get; set; } = "";

    /// <summary>The folder on each node the new version is expanded into (beside the old one), as the node sees it.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string InstallRoot { get; set; } = "";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ServiceName { get; set; } = "elasticsearch-service-x64";

    /// <summary>The package's SHA-512: the hash, or the path of Elastic's .sha512 file. By default the .sha512 beside the package.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Sha512 { get; set; }

    /// <summary>The credential for PowerShell remoting to the nodes.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>The password of the service's account, when it is an account with one.</summary>
    [Parameter]
    [Credential]
    public PSCredential? ServiceCredential { get; set; }

    /// <summary>Node name (or host) to computer name; '*' for the rest; '.' runs here. By default each node's host.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? ComputerName { get; set; }

    /// <summary>Sessions to the nodes' machines, matched by computer name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public PSSession[]? Session { get; set; }

    /// <summary>A folder on the nodes with plugin zips named &lt;plugin&gt;-&lt;version&gt;.zip, for sites without internet.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PluginFolder { get; set; }

    [Parameter]
    public SwitchParameter ConvertConfiguration { get; set; }

    [Parameter]
    public SwitchParameter UseSSL { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromMinutes(5);

    protected override void ProcessRecord() =>
        StopOnFailure(() =>
        {
            var isUrl = Uri.TryCreate(Package, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
            var package = isUrl ? Package : GetUnresolvedProviderPathFromPSPath(Package);
            var fileName = isUrl ? System.IO.Path.GetFileName(uri!.AbsolutePath) : System.IO.Path.GetFileName(package);
            var version = WindowsPackage.VersionOf(fileName);
            if (!Regex.IsMatch(InstallRoot, @"^([A-Za-z]:[\\/]|\\\\|/)", RegexOptions.CultureInvariant))
                throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidInstallRoot,
                    $"-InstallRoot '{InstallRoot}' is not a full path on the nodes, such as C:\\Elastic.", InstallRoot);
            var sha = Sha512 switch
            {
                null when !isUrl && File.Exists(package + ".sha512") => WindowsPackage.Sha512Of(File.ReadAllText(package + ".sha512"), fileName),
                null => null,
                _ when Hex.IsMatch(Sha512) => Sha512.ToUpperInvariant(),
                _ => WindowsPackage.Sha512Of(Errors.Files.Guard(Sha512, () => File.ReadAllText(GetUnresolvedProviderPathFromPSPath(Sha512))), fileName),
            };
            var moduleBase = MyInvocation.MyCommand.Module?.ModuleBase ?? System.IO.Path.GetDirectoryName(typeof(EsWindowsNodeAction).Assembly.Location)!;
            var action = new EsWindowsNodeAction(Package, fileName, version, sha, moduleBase)
            {
                InstallRoot = InstallRoot, ServiceName = ServiceName, Credential = Credential, ServiceCredential = ServiceCredential,
                ComputerName = ComputerName, Session = Session ?? Array.Empty<PSSession>(), PluginFolder = PluginFolder,
                ConvertConfiguration = ConvertConfiguration, UseSSL = UseSSL, StopTimeout = StopTimeout,
            };
            // A local package is checked now, before any node is touched; a URL when the first node needs it.
            if (!isUrl) action.LocalPackage();
            if (action.Sha512 is null && !isUrl)
                WriteWarning($"There is no {fileName}.sha512 beside the package and no -Sha512: the package is not checked. Elastic publishes one beside each download.");
            // The script block -NodeAction runs: the local side, with this action, for each node.
            var factory = ScriptBlock.Create("param($__action) { param($Node, $TargetVersion) & $__action.DriverScript -Node $Node -TargetVersion $TargetVersion -Action $__action }.GetNewClosure()");
            action.ScriptBlock = (ScriptBlock)factory.Invoke(action)[0].BaseObject;
            WriteObject(action);
        }, Package);
}
