using System.Net;
using EsUpgrade.Emulator.Http;
using EsUpgrade.Emulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EsUpgrade.Emulator;

/// <summary>
/// Runs an <see cref="EmulatedCluster"/> over HTTP: one Kestrel server per running node on 127.0.0.1
/// (a stopped node's port is closed), and a clock ticker that moves recoveries forward.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    readonly Dictionary<string, WebApplication> servers = new();
    readonly CancellationTokenSource stopping = new();
    readonly SemaphoreSlim lifecycle = new(1, 1);
    Task ticker = Task.CompletedTask;

    EmulatorHost(EmulatedCluster cluster, EmulatorTls? tls)
    {
        Cluster = cluster;
        Tls = tls;
    }

    public EmulatedCluster Cluster { get; }
    /// <summary>The wire faults switched on (control port POST /faults).</summary>
    public FaultTable Faults { get; } = new();
    public EmulatorTls? Tls { get; }
    public string Scheme => Tls is null ? "http" : "https";

    public static async Task<EmulatorHost> StartAsync(ClusterSpec spec, string? certificateDirectory = null)
    {
        var tls = spec.Tls ? EmulatorTls.Create(certificateDirectory ?? Path.Combine(Path.GetTempPath(), "esupgrade-emulator-" + Guid.NewGuid().ToString("N"))) : null;
        var host = new EmulatorHost(new EmulatedCluster(spec), tls);
        foreach (var node in host.Cluster.Nodes)
            await host.ListenAsync(node);
        host.ticker = host.TickAsync(host.stopping.Token);
        return host;
    }

    public Uri NodeUri(string name) => new($"{Scheme}://127.0.0.1:{Cluster.Node(name).Port}");
    public IReadOnlyList<Uri> NodeUris => Cluster.Nodes.Select(n => NodeUri(n.Name)).ToList();

    public async Task StopNodeAsync(string name)
    {
        Cluster.StopNode(name);
        await ReconcileAsync();
    }

    /// <summary>Kills a node's process: the port closes; the cluster lists the node until the follower checks give up.</summary>
    public async Task CrashNodeAsync(string name)
    {
        Cluster.CrashNode(name);
        await ReconcileAsync();
    }

    /// <summary>Starts a node (optionally at another version, with another elasticsearch.yml); returns its start-up failure, if any.</summary>
    public async Task<string?> StartNodeAsync(string name, string? version = null, string? configYaml = null)
    {
        var refusal = Cluster.StartNode(name, version, configYaml);
        await ReconcileAsync();
        return refusal;
    }

    /// <summary>Opens the port of every node whose process is up and closes the others'.</summary>
    async Task ReconcileAsync()
    {
        await lifecycle.WaitAsync();
        try
        {
            List<EmulatedNode> up, down;
            lock (Cluster.Sync)
            {
                up = Cluster.Nodes.Where(n => n.ProcessUp && !servers.ContainsKey(n.Name)).ToList();
                down = Cluster.Nodes.Where(n => !n.ProcessUp && servers.ContainsKey(n.Name)).ToList();
            }
            foreach (var node in down)
            {
                servers.Remove(node.Name, out var app);
                await app!.StopAsync();
                await app.DisposeAsync();
            }
            foreach (var node in up) await ListenAsync(node);
        }
        finally { lifecycle.Release(); }
    }

    async Task ListenAsync(EmulatedNode node)
    {
        // The empty builder: no configuration files, so no file watchers (a 200-node cluster would exhaust inotify),
        // no logging; Kestrel alone.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        // Signals belong to the process (Program.cs), not to each node's server.
        builder.Services.AddSingleton<IHostLifetime, ProcessOwnedLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, node.Port, listen =>
            {
                // Elasticsearch sends its CA after the node certificate; .NET's server TLS drops a
                // self-signed root from the handshake, so clients of the emulator can pin only the leaf.
                if (Tls != null)
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificate = Tls.Leaf,
                        ServerCertificateChain = new() { Tls.Ca },
                    });
            });
        });
        var app = builder.Build();
        app.Run(http => RestDispatcher.HandleAsync(http, Cluster, node, Faults));
        await app.StartAsync();
        if (node.Port == 0)
            node.Port = new Uri(app.Urls.First()).Port;
        servers[node.Name] = app;
    }

    /// <summary>Sleeps until the next recovery is due on the cluster's clock, or until the model changes.</summary>
    async Task TickAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var (due, changed) = Cluster.Schedule();
                var wait = due is DateTimeOffset d
                    ? TimeSpan.FromTicks(Math.Max(0, (long)((d - Cluster.Clock.UtcNow).Ticks / Cluster.Clock.Scale)))
                    : TimeSpan.FromSeconds(1);
                await Task.WhenAny(changed, Task.Delay(wait + TimeSpan.FromMilliseconds(1), ct));
                Cluster.Tick();
                await ReconcileAsync();
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        await ticker;
        foreach (var app in servers.Values)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        servers.Clear();
    }
}

/// <summary>A host lifetime that leaves SIGTERM and Ctrl+C to the process.</summary>
public sealed class ProcessOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
