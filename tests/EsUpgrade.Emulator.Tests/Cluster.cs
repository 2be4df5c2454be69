using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Tests;

/// <summary>An emulated cluster over real HTTP for one test, with a plain HttpClient to talk to it.</summary>
public sealed class Cluster : IAsyncDisposable
{
    Cluster(EmulatorHost host, HttpClient http)
    {
        Host = host;
        Http = http;
    }

    public EmulatorHost Host { get; }
    public HttpClient Http { get; }
    public EmulatedCluster Model => Host.Cluster;
    public Uri Uri(int node = 0) => Host.NodeUris[node];

    public static async Task<Cluster> StartAsync(ClusterSpec spec)
    {
        var host = await EmulatorHost.StartAsync(spec);
        var handler = new HttpClientHandler();
        if (host.Tls != null)
            handler.ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert != null && cert.Issuer == host.Tls.Ca.Subject;
        return new Cluster(host, new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) });
    }

    public static Task<Cluster> StartAsync(int nodes, string version, params IndexSpec[] indices)
    {
        var spec = ClusterSpec.Uniform(nodes, version);
        spec.Indices.AddRange(indices);
        return StartAsync(spec);
    }

    public async Task<(HttpResponseMessage Response, string Body)> SendAsync(string method, string path, string? body = null,
        string? accept = null, string? contentType = "application/json", string? authorization = null, int node = 0)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(Uri(node), path));
        if (accept != null) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (authorization != null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (body != null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.Remove("Content-Type");
            if (contentType != null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        var response = await Http.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement> GetJsonAsync(string path, int node = 0)
    {
        var (response, body) = await SendAsync("GET", path, node: node);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    public static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
