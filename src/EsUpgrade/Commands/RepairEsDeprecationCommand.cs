using System.Management.Automation;
using EsUpgrade.Assessment;
using EsUpgrade.Connections;
using EsUpgrade.Fixes;

namespace EsUpgrade.Commands;

/// <summary>
/// Fixes the deprecation findings piped from Test-EsDeprecation that can be fixed safely, and says for the others
/// what a person must do: one result per finding (Fixed, NeedsManualAction, Failed, Skipped).
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "EsDeprecation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(RepairResult))]
public sealed class RepairEsDeprecationCommand : EsCmdlet
{
    EsConnection? current;

    /// <summary>The findings to fix, from Test-EsDeprecation.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public EsDeprecation[] Finding { get; set; } = null!;

    /// <summary>Delete ML model snapshots instead of upgrading them.</summary>
    [Parameter]
    public SwitchParameter AllowDelete { get; set; }

    /// <summary>Delete without asking: a model snapshot with -AllowDelete, an old index once its reindexed copy is verified. A deletion is otherwise asked about even without -Confirm.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override EsConnection? CallConnection => current;

    /// <summary>A deletion is asked about even without -Confirm; a session that cannot ask (a runbook) needs -Force.</summary>
    bool AskToDelete(RepairPlan plan, out string? why)
    {
        why = null;
        try
        {
            return ShouldContinue($"{plan.Action}: {plan.Target}? It cannot be undone.", "Delete");
        }
        catch (System.Exception ex) when (ex is not PipelineStoppedException)
        {
            why = "This session cannot ask before deleting (a runbook, -NonInteractive): add -Force to let Repair-EsDeprecation delete.";
            return false;
        }
    }

    protected override void ProcessRecord()
    {
        foreach (var finding in Finding)
        {
            var plan = DeprecationRepair.Plan(finding, AllowDelete);
            WriteErrorOnFailure(() =>
            {
                current = finding.Connection ?? ConnectionRegistry.Session.Resolve(null);
                var target = $"{current.Name}: {plan.Target}";
                if (plan.Kind != RepairKind.None && !ShouldProcess(target, plan.Action))
                {
                    WriteObject(DeprecationRepair.Skipped(plan, current));
                    return;
                }
                if (plan.Deletes && !Force && !AskToDelete(plan, out var why))
                {
                    WriteObject(DeprecationRepair.Skipped(plan, current, why));
                    return;
                }
                WriteObject(OffPipeline(call => DeprecationRepair.ApplyAsync(call.Api, plan, call.Cancellation)));
            }, finding.Resource ?? finding.Message);
        }
    }
}
