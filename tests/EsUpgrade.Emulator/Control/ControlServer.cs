using System.Net;
using EsUpgrade.Emulator.Http;
using EsUpgrade.Emulator.Model;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
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
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, ProcessOwnedLifetime>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/nodes", () => Results.Json(Layout(host)));
        // The ideal schedule so far: emulated seconds in which a node was booting or a copy recovering.
        app.MapGet("/stats", () => Results.Json(new
        {
            imposedWaitSeconds = host.Cluster.ImposedWait.TotalSeconds,
            clockSeconds = (host.Cluster.Clock.UtcNow - DateTimeOffset.UnixEpoch).TotalSeconds,
            timeScale = host.Cluster.Clock.Scale,
            // How many times a shard that had a started copy had none (a safe upgrade keeps it at 0).
            momentsWithoutStartedCopy = host.Cluster.MomentsWithoutStartedCopy,
        }));
        app.MapPost("/stats/reset", () => { host.Cluster.ResetImposedWait(); return Results.Ok(); });
        // A clean stop leaves the cluster at once; a crash closes the port while the cluster lists the node until
        // the follower checks give up.
        foreach (var verb in new[] { "stop", "crash" })
            app.MapPost("/nodes/{name}/" + verb, async (string name) =>
            {
                if (host.Cluster.Nodes.All(n => n.Name != name)) return Results.NotFound(new { error = $"no node [{name}]" });
                if (verb == "crash") await host.CrashNodeAsync(name);
                else await host.StopNodeAsync(name);
                return Results.Json(Layout(host));
            });
        // The body, if any, is the node's new elasticsearch.yml. Like Start-Service, the start succeeds even when the
        // node then refuses to boot: the refusal is only in the node's log (GET /nodes/{name}/log), and the node never joins.
        app.MapPost("/nodes/{name}/start", async (string name, string? version, HttpRequest request) =>
        {
            if (host.Cluster.Nodes.All(n => n.Name != name)) return Results.NotFound(new { error = $"no node [{name}]" });
            using var reader = new StreamReader(request.Body);
            var yaml = await reader.ReadToEndAsync();
            await host.StartNodeAsync(name, version, yaml.Length == 0 ? null : yaml);
            return Results.Json(Layout(host));
        });
        // How full a node's disk is (percent): the disk watermarks decide from it; past the flood stage, indices with a copy there turn read-only.
        app.MapPost("/nodes/{name}/disk", (string name, double used) =>
        {
            if (host.Cluster.Nodes.All(n => n.Name != name)) return Results.NotFound(new { error = $"no node [{name}]" });
            host.Cluster.SetDiskUsage(name, used);
            return Results.Json(Layout(host));
        });
        // The next N recoveries into the node fail (a failed allocation each; five in a row hit the retry limit).
        app.MapPost("/nodes/{name}/fail-recoveries", (string name, int count) =>
        {
            if (host.Cluster.Nodes.All(n => n.Name != name)) return Results.NotFound(new { error = $"no node [{name}]" });
            host.Cluster.FailRecoveries(name, count);
            return Results.Json(Layout(host));
        });
        // Wire faults (FaultRule as JSON: kind, node, method, path, count, seconds, latencyMs, jitterMs, retryAfter, seed).
        var camel = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
        app.MapPost("/faults", async (HttpRequest request) =>
        {
            FaultRule? rule;
            try { rule = await JsonSerializer.DeserializeAsync<FaultRule>(request.Body, camel); }
            catch (JsonException ex) { return Results.BadRequest(new { error = ex.Message }); }
            if (rule is null) return Results.BadRequest(new { error = "no fault" });
            try { return Results.Json(host.Faults.Add(rule, host.Cluster.Clock.UtcNow), camel); }
            catch (ArgumentException ex) { return Results.BadRequest(new { error = ex.Message }); }
        });
        app.MapGet("/faults", () => Results.Json(host.Faults.List(), camel));
        app.MapDelete("/faults", () => { host.Faults.Clear(); return Results.Ok(); });
        app.MapDelete("/faults/{id}", (string id) => host.Faults.Remove(id) ? Results.Ok() : Results.NotFound());
        // Cluster faults: the master lost for N emulated seconds; a shard's every copy lost; recoveries N times slower.
        app.MapPost("/cluster/lose-master", (double seconds) => { host.Cluster.LoseMaster(TimeSpan.FromSeconds(seconds)); return Results.Ok(); });
        app.MapPost("/cluster/recovery-slowdown", (double factor) => Model(() => host.Cluster.RecoverySlowdown = factor));
        app.MapPost("/indices/{name}/lose-primary", (string name, int? shard) => Model(() => host.Cluster.LosePrimary(name, shard ?? 0)));
        // The node's next start goes wrong: refuse (a boot failure in its log), never-join (up, never finds the cluster), version (up at another version).
        app.MapPost("/nodes/{name}/next-start", (string name, string fault, string? version) =>
        {
            var kind = fault switch
            {
                "refuse" => EmulatedCluster.StartFault.Refuse,
                "never-join" => EmulatedCluster.StartFault.NeverJoin,
                "version" => EmulatedCluster.StartFault.OtherVersion,
                _ => EmulatedCluster.StartFault.None,
            };
            if (kind == EmulatedCluster.StartFault.None) return Results.BadRequest(new { error = "fault is refuse, never-join or version" });
            return Model(() => host.Cluster.FailNextStart(name, kind, version));
        });
        app.MapGet("/nodes/{name}/log", (string name) =>
        {
            lock (host.Cluster.Sync)
                return host.Cluster.Nodes.FirstOrDefault(n => n.Name == name) is { } node ? Results.Json(node.Log) : Results.NotFound();
        });
        await app.StartAsync();
        return app;
    }

    static IResult Model(Action change)
    {
        try
        {
            change();
            return Results.Ok();
        }
        catch (EsError error) { return Results.Json(new { error = error.Reason }, statusCode: error.Status); }
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
                    state = n.State.ToString(),
                    restarts = n.Restarts,
                    uri = host.NodeUri(n.Name).ToString().TrimEnd('/'),
                }).ToList(),
            };
    }
}
