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

    /// <summary>Delete without asking (with -AllowDelete); a deletion is otherwise confirmed even without -Confirm.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override EsConnection? CallConnection => current;

    protected override void ProcessRecord()
    {
        foreach (var finding in Finding)
        {
            var plan = DeprecationRepair.Plan(finding, AllowDelete);
            WriteErrorOnFailure(() =>
            {
                current = finding.Connection ?? ConnectionRegistry.Session.Resolve(null);
                var target = $"{current.Name}: {plan.Target}";
                if (plan.Kind != RepairKind.None &&
                    (!ShouldProcess(target, plan.Action) || (plan.Deletes && !Force && !ShouldContinue($"{plan.Action}: {plan.Target}? It cannot be undone.", "Delete"))))
                {
                    WriteObject(DeprecationRepair.Skipped(plan, current));
                    return;
                }
                WriteObject(OffPipeline(call => DeprecationRepair.ApplyAsync(call.Api, plan, call.Cancellation)));
            }, finding.Resource ?? finding.Message);
        }
    }
}
