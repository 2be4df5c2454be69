using System.Management.Automation;
using EsUpgrade.Indices;

namespace EsUpgrade.Commands;

/// <summary>Indices with health, shard counts, documents, size and the version that created them.</summary>
[Cmdlet(VerbsCommon.Get, "EsIndex")]
[OutputType(typeof(EsIndex))]
public sealed class GetEsIndexCommand : EsClusterCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var expression = Name is null ? null : string.Join(",", Name);
        WriteErrorOnFailure(() =>
        {
            foreach (var index in OffPipeline(call => IndexReader.GetIndicesAsync(call.Api, expression, call.Cancellation))) WriteObject(index);
        }, Connection);
    }
}
