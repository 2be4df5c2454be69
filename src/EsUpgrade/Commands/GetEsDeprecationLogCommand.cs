using System;
using System.Management.Automation;
using EsUpgrade.Assessment;

namespace EsUpgrade.Commands;

/// <summary>
/// The deprecation log (the .logs-deprecation.elasticsearch-default data stream) grouped by message and client:
/// which applications still call what 8.x removes, how often, and when last.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EsDeprecationLog")]
[OutputType(typeof(DeprecationLogGroup))]
public sealed class GetEsDeprecationLogCommand : EsClusterCmdlet
{
    /// <summary>Only entries from then on; the last 7 days by default.</summary>
    [Parameter(Position = 0)]
    public DateTimeOffset Since { get; set; } = DateTimeOffset.UtcNow.AddDays(-7);

    protected override void ProcessRecord()
    {
        WriteErrorOnFailure(() =>
        {
            var (groups, total, read) = OffPipeline(call => DeprecationLog.ReadAsync(call.Api, Since, call.Cancellation));
            if (total > read)
                WriteWarning($"The log holds {total}{(total >= DeprecationLog.MaxEntries ? "+" : "")} entries since {Since:u}; the newest {read} are grouped here. Give a later -Since to see the rest.");
            foreach (var g in groups) WriteObject(g);
        }, Connection);
    }
}
