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
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Current")]
    public SwitchParameter Current { get; set; }

    /// <summary>From the pipeline: a connection, or any EsUpgrade object, whose connection is returned.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Connection")]
    public EsConnection? Connection { get; set; }

    protected override void ProcessRecord()
    {
        var registry = ConnectionRegistry.Session;
        if (Current)
        {
            if (registry.Current != null) WriteObject(registry.Current);
            return;
        }
        if (Connection != null)
        {
            WriteObject(Connection);
            return;
        }
        WriteLookup(registry.Find(Name));
    }
}
