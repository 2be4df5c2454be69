using System.Management.Automation;
using EsUpgrade.Health;

namespace EsUpgrade.Commands;

/// <summary>Cluster health now, for the cluster or some indices.</summary>
[Cmdlet(VerbsCommon.Get, "EsClusterHealth")]
[OutputType(typeof(EsClusterHealth))]
public sealed class GetEsClusterHealthCommand : EsClusterCmdlet
{
    /// <summary>Index names, aliases or wildcards; from the pipeline, an index's Name or an index health's Index.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(IndexNameCompleter))]
    public string[]? Index { get; set; }

    [Parameter]
    public HealthLevel Level { get; set; } = HealthLevel.Cluster;

    protected override void ProcessRecord()
    {
        if (!TryNarrow(Index, nameof(Index), "index", out var names)) return;
        WriteErrorOnFailure(() => WriteLookup(OffPipeline(call => HealthReader.FindAsync(call.Api, names, Level, call.Cancellation))), Connection);
    }
}
