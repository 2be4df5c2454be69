using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using EsUpgrade.Wire;

namespace EsUpgrade.Commands;

/// <summary>Any Elasticsearch API call: the escape hatch. Returns the parsed JSON answer.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "EsRequest", SupportsShouldProcess = true)]
[OutputType(typeof(PSObject), typeof(string))]
public sealed class InvokeEsRequestCommand : EsClusterCmdlet
{
    [Parameter(Position = 0, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    [ValidateSet("GET", "POST", "PUT", "DELETE", "HEAD", IgnoreCase = true)]
    public string Method { get; set; } = "GET";

    /// <summary>A JSON string, or a hashtable / object converted to JSON.</summary>
    [Parameter]
    public object? Body { get; set; }

    /// <summary>Return the body as text instead of objects.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    protected override void ProcessRecord()
    {
        var method = Method.ToUpperInvariant();
        var body = BodyText();
        // Reading changes nothing; anything else goes through -WhatIf/-Confirm.
        if (method != "GET" && method != "HEAD" && !ShouldProcess(Path, method)) return;
        WriteErrorOnFailure(() =>
        {
            var response = OffPipeline(call => call.Api.SendAsync(new EsRequest(method, Path, body), call.Cancellation));
            if (Raw || response.Body.Length == 0 || !LooksLikeJson(response)) WriteObject(response.Body);
            else WriteObject(JsonToPowerShell.Convert(response.Body), enumerateCollection: false);
        }, Path);
    }

    static bool LooksLikeJson(EsResponse response) =>
        (response.Header("Content-Type") ?? "application/json").IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0;

    string? BodyText()
    {
        var value = Body is PSObject ps ? ps.BaseObject : Body;
        if (value is null) return null;
        if (value is string s) return s;
        var json = InvokeCommand.InvokeScript("param($o) ConvertTo-Json -InputObject $o -Depth 32 -Compress", true,
            PipelineResultTypes.None, null, value);
        return json.Count > 0 ? json[0].ToString() : null;
    }
}
