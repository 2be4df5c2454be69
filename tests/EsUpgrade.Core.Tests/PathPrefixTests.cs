using System.Net;
using System.Net.Sockets;
using EsUpgrade.Connections;
using EsUpgrade.Wire;

namespace EsUpgrade.Core.Tests;

/// <summary>Elasticsearch behind a reverse proxy at a path: the node URI's path is a prefix for every request.</summary>
public class PathPrefixTests
{
    [Theory]
    [InlineData("/es/")]
    [InlineData("/es")]
    [InlineData("/proxy/es-prod/")]
    public async Task A_node_uri_path_prefixes_every_request(string prefix)
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var seen = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            var path = context.Request.RawUrl;
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync("{}"u8.ToArray());
            context.Response.Close();
            return path;
        });
        var settings = new ConnectionSettings(new[] { ConnectionSettings.ParseUri($"http://127.0.0.1:{port}{prefix}") });
        using var wire = new TransportWire(settings);
        await wire.SendAsync(EsRequest.Get("/_cluster/health?level=indices"), default);
        Assert.Equal("/" + prefix.Trim('/') + "/_cluster/health?level=indices", await seen);
    }

    static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
