using System.Management.Automation;
using EsUpgrade.Connections;
using EsUpgrade.Migration;

namespace EsUpgrade.Commands;

/// <summary>
/// Compares a cluster with a reference one — per index the document count, aliases and mappings; index, component and
/// legacy templates; ILM policies — and returns one object per difference, nothing when they match.
/// </summary>
[Cmdlet(VerbsData.Compare, "EsCluster")]
[OutputType(typeof(ClusterDifference))]
public sealed class CompareEsClusterCommand : EsCmdlet
{
    /// <summary>The cluster taken as the truth (the old one).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public EsConnection Reference { get; set; } = null!;

    /// <summary>The cluster compared with it (the new one).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public EsConnection Difference { get; set; } = null!;

    /// <summary>Only these indices (names, wildcards); every non-hidden index by default.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(IndexNameCompleter))]
    public string[]? Index { get; set; }

    /// <summary>Compare hidden and dot-indices too.</summary>
    [Parameter]
    public SwitchParameter IncludeHidden { get; set; }

    /// <summary>Leave mappings out (they may differ on purpose: a 6.x type lifted away, a field added).</summary>
    [Parameter]
    public SwitchParameter NoMapping { get; set; }

    protected override void ProcessRecord() =>
        StopOnFailure(() =>
        {
            var differences = OffPipeline(call => ClusterComparison.CompareAsync(new EsApi(Reference, call.Log), new EsApi(Difference, call.Log),
                new CompareOptions { Index = Index, IncludeHidden = IncludeHidden, Mappings = !NoMapping }, call.Cancellation));
            foreach (var d in differences) WriteObject(d);
        });
}
