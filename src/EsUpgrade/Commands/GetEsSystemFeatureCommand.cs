using System.Linq;
using System.Management.Automation;
using EsUpgrade.Errors;
using EsUpgrade.Fixes;

namespace EsUpgrade.Commands;

/// <summary>The system features (Kibana, security, tasks, ...) and whether their system indices must be migrated before 8.x (7.16+).</summary>
[Cmdlet(VerbsCommon.Get, "EsSystemFeature")]
[OutputType(typeof(EsSystemFeature))]
public sealed class GetEsSystemFeatureCommand : EsClusterCmdlet
{
    /// <summary>Only features with these names (wildcards).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord() =>
        WriteErrorOnFailure(() =>
        {
            foreach (var f in OffPipeline(call => SystemFeatures.GetAsync(call.Api, call.Cancellation)).Where(f => Name is null || Name.Any(n => Names.Like(n, f.Name))))
                WriteObject(f);
        }, Connection);
}
