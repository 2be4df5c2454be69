using System.Management.Automation;
using EsUpgrade.Assessment;

namespace EsUpgrade.Commands;

/// <summary>
/// Turns the logging and indexing of deprecations on or off (logger.deprecation and
/// cluster.deprecation_indexing.enabled, persistently), as Kibana's Upgrade Assistant does.
/// </summary>
[Cmdlet(VerbsCommon.Set, "EsDeprecationLogging", SupportsShouldProcess = true)]
[OutputType(typeof(DeprecationLoggingState))]
public sealed class SetEsDeprecationLoggingCommand : EsClusterCmdlet
{
    /// <summary>$true to log and index deprecations (WARN), $false to stop (ERROR).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public bool Enabled { get; set; }

    protected override void ProcessRecord()
    {
        WriteErrorOnFailure(() =>
        {
            if (!ShouldProcess(TargetConnection.Name, Enabled ? "Log and index deprecations (logger.deprecation=WARN, cluster.deprecation_indexing.enabled=true)"
                                                               : "Stop logging and indexing deprecations (logger.deprecation=ERROR, cluster.deprecation_indexing.enabled=false)"))
                return;
            WriteObject(OffPipeline(call => DeprecationLog.SetAsync(call.Api, Enabled, call.Cancellation)));
        }, Connection);
    }
}
