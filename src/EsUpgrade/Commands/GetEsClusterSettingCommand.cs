using System.Linq;
using System.Management.Automation;
using EsUpgrade.Settings;

namespace EsUpgrade.Commands;

/// <summary>Cluster settings by flat name: persistent, transient and, with -IncludeDefaults, defaults.</summary>
[Cmdlet(VerbsCommon.Get, "EsClusterSetting")]
[OutputType(typeof(EsClusterSetting))]
public sealed class GetEsClusterSettingCommand : EsClusterCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter]
    public SettingScope[]? Scope { get; set; }

    [Parameter]
    public SwitchParameter IncludeDefaults { get; set; }

    protected override void ProcessRecord()
    {
        var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        WriteErrorOnFailure(() =>
        {
            var settings = OffPipeline(call => ClusterSettings.GetAsync(call.Api, IncludeDefaults, call.Cancellation));
            foreach (var s in settings.Where(s => patterns.Any(p => p.IsMatch(s.Name)) && (Scope is null || Scope.Contains(s.Scope))))
                WriteObject(s);
        }, Connection);
    }
}
