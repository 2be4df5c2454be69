using System;
using System.Management.Automation;
using EsUpgrade.Inventory;

namespace EsUpgrade.Commands;

/// <summary>Waits until a node has joined the cluster, at a given version.</summary>
[Cmdlet(VerbsLifecycle.Wait, "EsNode")]
[OutputType(typeof(EsNode))]
public sealed class WaitEsNodeCommand : EsClusterCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The version the node must run, e.g. 8.19.0; any version when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(15);

    protected override void ProcessRecord() =>
        StopOnFailure(() => WriteObject(OffPipeline(call => NodeWaiter.WaitAsync(call.Api, Name, Version, Timeout, call.Cancellation))), Name);
}
