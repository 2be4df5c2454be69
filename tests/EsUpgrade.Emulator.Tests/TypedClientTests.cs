using Elastic.Clients.Elasticsearch;
using Elastic.Transport;

namespace EsUpgrade.Emulator.Tests;

/// <summary>
/// Elastic's own typed client as a shape oracle: the emulator's 8.x answers deserialize into the client's
/// response types with the values the model holds. (The module itself talks through Elastic.Transport.)
/// </summary>
public class TypedClientTests
{
    /// <summary>Asks for compatible-with=8: the 9.x client's default, compatible-with=9, is refused by 8.x servers.</summary>
    sealed class Compatible8 : DelegatingHandler
    {
        public Compatible8(HttpMessageHandler inner) : base(inner) { }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            const string media = "application/vnd.elasticsearch+json;compatible-with=8";
            request.Headers.Remove("Accept");
            request.Headers.TryAddWithoutValidation("Accept", media);
            if (request.Content != null)
            {
                request.Content.Headers.Remove("Content-Type");
                request.Content.Headers.TryAddWithoutValidation("Content-Type", media);
            }
            return base.SendAsync(request, ct);
        }
    }

    static ElasticsearchClient Client(Cluster c, bool rewrite = true)
    {
        var settings = rewrite
            ? new ElasticsearchClientSettings(new SingleNodePool(c.Uri()), new HttpRequestInvoker((inner, _) => new Compatible8(inner)))
            : new ElasticsearchClientSettings(c.Uri());
        return new ElasticsearchClient(settings.EnableHttpCompression(false));
    }

    [Fact]
    public async Task Health_and_nodes_read_into_the_clients_types()
    {
        await using var c = await Cluster.StartAsync(3, "8.19.0", new Model.IndexSpec { Name = "logs", Shards = 2, Replicas = 1 });
        var client = Client(c);

        var health = await client.Cluster.HealthAsync();
        Assert.True(health.IsValidResponse, health.DebugInformation);
        Assert.Equal(Elastic.Clients.Elasticsearch.HealthStatus.Green, health.Status);
        Assert.Equal(3, health.NumberOfNodes);
        Assert.Equal(4, health.ActiveShards);

        var nodes = await client.Nodes.InfoAsync();
        Assert.True(nodes.IsValidResponse, nodes.DebugInformation);
        Assert.Equal(c.Model.Nodes.Select(n => n.Name).Order(), nodes.Nodes.Values.Select(n => n.Name).Order());
        Assert.All(nodes.Nodes.Values, n => Assert.Equal("8.19.0", n.Version));
    }

    [Fact]
    public async Task The_clients_default_media_type_is_refused_as_a_real_8x_refuses_it()
    {
        await using var c = await Cluster.StartAsync(1, "8.19.0");
        var health = await Client(c, rewrite: false).Cluster.HealthAsync();
        Assert.False(health.IsValidResponse);
        Assert.Equal(400, health.ApiCallDetails!.HttpStatusCode);
        Assert.Equal("media_type_header_exception", health.ElasticsearchServerError?.Error?.Type);
    }
}
