using System.Management.Automation;
using EsUpgrade.Connections;

namespace EsUpgrade.Commands;

/// <summary>Closes a connection and forgets it; the current one when none is given.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "EsCluster", SupportsShouldProcess = true, DefaultParameterSetName = "Connection")]
[OutputType(typeof(void))]
public sealed class DisconnectEsClusterCommand : EsCmdlet
{
    [Parameter(Position = 0, Mandatory = true, ParameterSetName = "Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Connection")]
    public EsConnection? Connection { get; set; }

    protected override void ProcessRecord()
    {
        WriteErrorOnFailure(() =>
        {
            var registry = ConnectionRegistry.Session;
            var connection = ParameterSetName == "Name" ? registry.Find(Name) : registry.Resolve(Connection);
            if (ShouldProcess(connection.Name, "Disconnect"))
                registry.Remove(connection);
        }, Name);
    }
}
