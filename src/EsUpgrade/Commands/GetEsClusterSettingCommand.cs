using System.Linq;
using System.Management.Automation;
using EsUpgrade.Settings;

namespace EsUpgrade.Commands;

/// <summary>Cluster settings by flat name: persistent, transient and, with -IncludeDefaults, defaults.</summary>
[Cmdlet(VerbsCommon.Get, "EsClusterSetting")]
[OutputType(typeof(EsClusterSetting))]
public sealed class GetEsClusterSettingCommand : EsClusterCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SettingNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    public SettingScope[]? Scope { get; set; }

    [Parameter]
    public SwitchParameter IncludeDefaults { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryNarrow(Name, nameof(Name), "setting", out var names)) return;
        WriteErrorOnFailure(() => WriteLookup(OffPipeline(call => ClusterSettings.FindAsync(call.Api, names, Scope, IncludeDefaults, call.Cancellation))), Connection);
    }
}
