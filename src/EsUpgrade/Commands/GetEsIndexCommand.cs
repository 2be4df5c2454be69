using System.Management.Automation;
using EsUpgrade.Indices;

namespace EsUpgrade.Commands;

/// <summary>Indices with health, shard counts, documents, size and the version that created them.</summary>
[Cmdlet(VerbsCommon.Get, "EsIndex")]
[OutputType(typeof(EsIndex))]
public sealed class GetEsIndexCommand : EsClusterCmdlet
{
    /// <summary>Index names, aliases or wildcards; from the pipeline, an index's Name or a shard's Index.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Index")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(IndexNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Also hidden indices (7.x system indices such as .security-7 and .tasks are hidden).</summary>
    [Parameter]
    public SwitchParameter IncludeHidden { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryNarrow(Name, nameof(Name), "index", out var names)) return;
        WriteErrorOnFailure(() => WriteLookup(OffPipeline(call => IndexReader.FindIndicesAsync(call.Api, names, IncludeHidden, call.Cancellation))), Connection);
    }
}
