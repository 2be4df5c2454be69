using System;
using System.Management.Automation;
using EsUpgrade.Errors;
using EsUpgrade.Inventory;

namespace EsUpgrade.Commands;

/// <summary>Waits until a node has joined the cluster, at a given version.</summary>
[Cmdlet(VerbsLifecycle.Wait, "EsNode")]
[OutputType(typeof(EsNode))]
public sealed class WaitEsNodeCommand : EsClusterCmdlet
{
    /// <summary>The node's name; from the pipeline, a node's or planned node's Name, or an upgrade result's Node.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Node")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>The version the node must run, e.g. 8.19.0; any version when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(15);

    protected override void ProcessRecord()
    {
        if (!TryNarrow(Name, nameof(Name), "node", out var narrowed)) return;
        StopOnFailure(() =>
        {
            var name = narrowed ?? throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.PipedObjectNamesNothing,
                "The piped object stands for the whole cluster, not a node: give -Name.", Name);
            WriteObject(OffPipeline(call => NodeWaiter.WaitAsync(call.Api, name, Version, Timeout, call.Cancellation)));
        }, Name);
    }
}
