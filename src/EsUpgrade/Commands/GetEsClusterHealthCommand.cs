using System.Management.Automation;
using EsUpgrade.Health;

namespace EsUpgrade.Commands;

/// <summary>Cluster health now, for the cluster or some indices.</summary>
[Cmdlet(VerbsCommon.Get, "EsClusterHealth")]
[OutputType(typeof(EsClusterHealth))]
public sealed class GetEsClusterHealthCommand : EsClusterCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Index { get; set; }

    [Parameter]
    public HealthLevel Level { get; set; } = HealthLevel.Cluster;

    protected override void ProcessRecord()
    {
        var index = Index is null ? null : string.Join(",", Index);
        WriteErrorOnFailure(() => WriteObject(OffPipeline(call => HealthReader.GetAsync(call.Api, index, Level, call.Cancellation))), Connection);
    }
}
