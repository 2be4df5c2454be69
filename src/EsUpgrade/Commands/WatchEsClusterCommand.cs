using System;
using System.Management.Automation;
using System.Management.Automation.Host;
using EsUpgrade.Health;
using EsUpgrade.Monitoring;

namespace EsUpgrade.Commands;

/// <summary>
/// Watches the cluster: in a console, a view redrawn in place (health, nodes and versions, recoveries with bytes and
/// percent, a rolling upgrade's progress); anywhere else (a runbook, a scheduled task, redirected output) one status
/// object per interval. Stops at -Until, at -Timeout (an error), or on Ctrl+C.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "EsCluster")]
[OutputType(typeof(EsClusterStatus))]
public sealed class WatchEsClusterCommand : EsClusterCmdlet
{
    /// <summary>Stop once health is at least this good.</summary>
    [Parameter(Position = 0)]
    public HealthStatus? Until { get; set; }

    /// <summary>How often to look (a TimeSpan, or seconds); 5 seconds by default.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to watch (a TimeSpan, or seconds): with -Until, 1 hour by default (then an error); without, until Ctrl+C.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A rolling upgrade's state file (Invoke-EsRollingUpgrade -StatePath): its progress is shown too.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>Emit a status object per interval even in a console.</summary>
    [Parameter]
    public SwitchParameter AsObject { get; set; }

    protected override void ProcessRecord() =>
        StopOnFailure(() =>
        {
            var options = new WatchOptions
            {
                Until = Until, Interval = Interval, StatePath = StatePath is null ? null : GetUnresolvedProviderPathFromPSPath(StatePath),
                Timeout = Until != null || MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)) ? Timeout : (TimeSpan?)null,
            };
            var redraw = !AsObject && IsInteractiveConsole() ? new ConsoleRedraw(new HostSurface(Host.UI)) : null;
            var last = OffPipeline(call => ClusterWatch.RunAsync(call.Api, options, status => call.OnPipelineThread(() =>
            {
                if (redraw != null) redraw.Draw(status);
                else WriteObject(status);
                return true;
            }), call.Cancellation));
            if (redraw != null && last != null) WriteObject(last);
        }, Connection);

    /// <summary>A console a person looks at: the console host, output not redirected, a cursor that can move.</summary>
    bool IsInteractiveConsole()
    {
        try
        {
            return Host.Name == "ConsoleHost" && !Console.IsOutputRedirected && Host.UI.RawUI != null && Host.UI.RawUI.WindowSize.Width > 0;
        }
        catch (Exception ex) when (ex is NotImplementedException || ex is HostException || ex is System.IO.IOException || ex is PlatformNotSupportedException)
        {
            return false;
        }
    }

    /// <summary>The host's window as a surface the redraw moves over.</summary>
    sealed class HostSurface : IConsoleSurface
    {
        readonly PSHostUserInterface ui;
        public HostSurface(PSHostUserInterface ui) => this.ui = ui;
        public int Width => ui.RawUI.WindowSize.Width;
        public int Row => ui.RawUI.CursorPosition.Y;
        public void MoveTo(int row) => ui.RawUI.CursorPosition = new Coordinates(0, row);
        public void WriteLine(string text) => ui.WriteLine(text);
    }
}
