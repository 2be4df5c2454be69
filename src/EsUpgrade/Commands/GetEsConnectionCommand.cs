using System.Linq;
using System.Management.Automation;
using EsUpgrade.Connections;

namespace EsUpgrade.Commands;

/// <summary>Lists the session's connections, or the current one.</summary>
[Cmdlet(VerbsCommon.Get, "EsConnection", DefaultParameterSetName = "Name")]
[OutputType(typeof(EsConnection))]
public sealed class GetEsConnectionCommand : EsCmdlet
{
    [Parameter(Position = 0, ParameterSetName = "Name")]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Current")]
    public SwitchParameter Current { get; set; }

    protected override void ProcessRecord()
    {
        var registry = ConnectionRegistry.Session;
        if (Current)
        {
            if (registry.Current != null) WriteObject(registry.Current);
            return;
        }
        var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        foreach (var connection in registry.All.Where(c => patterns.Any(p => p.IsMatch(c.Name))))
            WriteObject(connection);
    }
}
