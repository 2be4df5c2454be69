using System.Linq;
using System.Management.Automation;
using EsUpgrade.NodeConfiguration;

namespace EsUpgrade.Commands;

/// <summary>
/// Writes an 8.x-ready copy of a node's configuration: removed settings commented out with the reason, renamed ones
/// renamed, legacy role flags turned into node.roles, JVM options the bundled JDK refuses limited to old JDKs;
/// every other line and comment kept. Never overwrites its input or an existing file without -Force.
/// </summary>
[Cmdlet(VerbsData.Convert, "EsNodeConfiguration", SupportsShouldProcess = true)]
[OutputType(typeof(NodeConfigConversion))]
public sealed class ConvertEsNodeConfigurationCommand : EsCmdlet
{
    /// <summary>An elasticsearch.yml, a jvm.options or *.options file, or a node's config folder.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <summary>Where to write: a file for a file (or a folder to put it in), a folder for a config folder.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = null!;

    /// <summary>Overwrite existing files, the input itself included.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var source = GetUnresolvedProviderPathFromPSPath(Path);
        var target = GetUnresolvedProviderPathFromPSPath(Destination);
        WriteErrorOnFailure(() =>
        {
            var results = NodeConfigConverter.Convert(source, target, Force,
                file => ShouldProcess(file, "Write the 8.x form of " + System.IO.Path.GetFileName(source)));
            foreach (var r in results.Where(r => r.Written))
            {
                foreach (var u in r.Unresolved.Where(u => u.Level == Assessment.DeprecationLevel.Critical))
                    WriteWarning($"{System.IO.Path.GetFileName(u.File)}{(u.Line > 0 ? ":" + u.Line : "")}: {u.Message}");
                WriteObject(r);
            }
        }, Path);
    }
}
