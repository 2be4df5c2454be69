using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EsUpgrade.Emulator.Control;

/// <summary>
/// The emulator's own control API, on a port of its own — not part of Elasticsearch, never on a node's port.
/// What a test or the demo does to machines: stop a node, start it (at another version), read the layout.
/// </summary>
public static class ControlServer
{
    public static async Task<WebApplication> StartAsync(EmulatorHost host, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/nodes", () => Results.Json(Layout(host)));
        app.MapPost("/nodes/{name}/stop", async (string name) =>
        {
            if (host.Cluster.Nodes.All(n => n.Name != name)) return Results.NotFound(new { error = $"no node [{name}]" });
            await host.StopNodeAsync(name);
            return Results.Json(Layout(host));
        });
        app.MapPost("/nodes/{name}/start", async (string name, string? version) =>
        {
            if (host.Cluster.Nodes.All(n => n.Name != name)) return Results.NotFound(new { error = $"no node [{name}]" });
            await host.StartNodeAsync(name, version);
            return Results.Json(Layout(host));
        });
        await app.StartAsync();
        return app;
    }

    public static object Layout(EmulatorHost host)
    {
        lock (host.Cluster.Sync)
            return new
            {
                clusterName = host.Cluster.Name,
                nodes = host.Cluster.Nodes.Select(n => new
                {
                    name = n.Name,
                    id = n.Id,
                    version = n.Profile.Number,
                    roles = n.Roles,
                    running = n.Running,
                    uri = host.NodeUri(n.Name).ToString().TrimEnd('/'),
                }).ToList(),
            };
    }
}
