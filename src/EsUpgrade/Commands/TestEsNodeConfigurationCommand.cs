using System.Linq;
using System.Management.Automation;
using EsUpgrade.Assessment;
using EsUpgrade.NodeConfiguration;

namespace EsUpgrade.Commands;

/// <summary>
/// Offline checks of a node's elasticsearch.yml, jvm.options and jvm.options.d for 8.x: settings 8.0 removed or
/// renamed, changed defaults, JVM options the bundled JDK refuses. Each finding has its file and line.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "EsNodeConfiguration")]
[OutputType(typeof(NodeConfigFinding))]
public sealed class TestEsNodeConfigurationCommand : EsCmdlet
{
    /// <summary>
    /// An elasticsearch.yml, a jvm.options or *.options file, or a node's config folder; from the pipeline, a path, a
    /// file's FullName, a finding's File or a conversion's Destination (Convert-EsNodeConfiguration | Test-EsNodeConfiguration).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "File", "Destination")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <summary>Only findings of these levels.</summary>
    [Parameter]
    public DeprecationLevel[]? Level { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var path in Path)
        {
            var full = GetUnresolvedProviderPathFromPSPath(path);
            WriteErrorOnFailure(() =>
            {
                foreach (var finding in NodeConfigLinter.Check(full).Where(f => Level is null || Level.Contains(f.Level)))
                    WriteObject(finding);
            }, path);
        }
    }
}
