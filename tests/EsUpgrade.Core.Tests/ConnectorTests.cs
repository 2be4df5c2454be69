using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;
using EsUpgrade.Errors;
using EsUpgrade.Wire;

namespace EsUpgrade.Core.Tests;

public class ConnectorTests
{
    [Theory]
    [InlineData("7.17.27")]
    [InlineData("8.19.0")]
    public async Task Connects_and_reads_the_version(string version)
    {
        await using var es = await Emulated.StartAsync(version: version);
        using var connection = await es.ConnectAsync();
        Assert.Equal(version, connection.Version);
        Assert.Equal("emulated", connection.Name);
        Assert.Equal("emulated", connection.ClusterName);
        Assert.Equal(22, connection.ClusterUuid.Length);
    }

    [Fact]
    public async Task Fails_over_to_a_node_that_answers()
    {
        await using var es = await Emulated.StartAsync();
        var dead = es.Uris[0];
        await es.Host.StopNodeAsync("es-01");
        var settings = new ConnectionSettings(new[] { dead, es.Uris[1] });
        using var connection = await es.ConnectAsync(settings);
        Assert.Equal("7.17.27", connection.Version);
    }

    [Fact]
    public async Task Unreachable_cluster_is_a_connection_error()
    {
        await using var es = await Emulated.StartAsync(nodes: 1);
        var uri = es.Uris[0];
        await es.Host.StopNodeAsync("es-01");
        var ex = await Assert.ThrowsAsync<EsException>(() => es.ConnectAsync(new ConnectionSettings(new[] { uri })));
        Assert.Equal(EsErrorKind.Connection, ex.Kind);
        Assert.Equal("ClusterUnreachable", ex.ErrorId);
    }

    [Fact]
    public async Task Wrong_password_fails_without_showing_it()
    {
        await using var es = await Emulated.StartAsync(security: true);
        var settings = es.Settings();
        settings.Credential = new System.Net.NetworkCredential("elastic", "Wr0ng-Guess-42");
        var log = new RecordingLog();
        var ex = await Assert.ThrowsAsync<EsException>(() => es.ConnectAsync(settings, log));
        Assert.Equal("AuthenticationFailed", ex.ErrorId);
        Assert.Equal(EsErrorKind.Authentication, ex.Kind);
        Assert.DoesNotContain("Wr0ng-Guess-42", ex.ToString());
        Assert.DoesNotContain(log.Lines, l => l.Contains("Wr0ng-Guess-42"));
    }

    [Fact]
    public async Task Missing_credentials_say_what_to_give()
    {
        await using var es = await Emulated.StartAsync(security: true);
        var ex = await Assert.ThrowsAsync<EsException>(() => es.ConnectAsync());
        Assert.Equal("AuthenticationFailed", ex.ErrorId);
        Assert.Contains("-Credential or -ApiKey", ex.Message);
    }

    [Fact]
    public async Task Api_key_in_both_forms()
    {
        await using var es = await Emulated.StartAsync(security: true, version: "8.19.0");
        using var admin = await es.ConnectAsync(es.Settings(credentials: true));
        var created = await new EsApi(admin).GetJsonAsync(new EsRequest("POST", "/_security/api_key", "{\"name\":\"t\"}"), default);
        var encoded = created.GetProperty("encoded").GetString()!;
        var raw = created.GetProperty("id").GetString() + ":" + created.GetProperty("api_key").GetString();
        foreach (var key in new[] { encoded, raw })
        {
            var s = es.Settings();
            s.ApiKey = Emulated.Secure(key);
            using var c = await es.ConnectAsync(s);
            var who = await new EsApi(c).GetJsonAsync(EsRequest.Get("/_security/_authenticate"), default);
            Assert.Equal("api_key", who.GetProperty("authentication_type").GetString());
        }
    }

    const string Root8 = "{\"name\":\"n\",\"cluster_name\":\"c\",\"cluster_uuid\":\"u\",\"version\":{\"number\":\"8.19.0\"},\"tagline\":\"You Know, for Search\"}";
    const string Root711 = "{\"name\":\"n\",\"cluster_name\":\"c\",\"cluster_uuid\":\"u\",\"version\":{\"number\":\"7.10.2\"},\"tagline\":\"You Know, for Search\"}";

    [Theory]
    [InlineData(200, Root8, null)]                                  // 7.14+ without the product header
    [InlineData(200, "<html>hello</html>", null)]                   // a web server
    [InlineData(200, "{\"status\":\"ok\"}", "Elasticsearch")]       // JSON, but no version
    [InlineData(404, "{}", null)]                                   // something else on the port
    [InlineData(200, "{\"version\":{\"number\":\"2.11.0\",\"distribution\":\"opensearch\"},\"tagline\":\"The OpenSearch Project\"}", null)]
    public async Task Refuses_what_is_not_elasticsearch(int status, string body, string? product)
    {
        var wire = FakeWire.Fixed(status, body, product);
        var ex = await Assert.ThrowsAsync<EsException>(() =>
            Connector.ConnectAsync(null, new ConnectionSettings(new[] { new Uri("http://fake:9200") }), wire, NullLog.Instance, default));
        Assert.Equal("NotElasticsearch", ex.ErrorId);
        Assert.True(wire.Disposed);
    }

    [Fact]
    public async Task Before_7_14_the_tagline_is_the_check()
    {
        var wire = FakeWire.Fixed(200, Root711);
        using var c = await Connector.ConnectAsync(null, new ConnectionSettings(new[] { new Uri("http://fake:9200") }), wire, NullLog.Instance, default);
        Assert.Equal("7.10.2", c.Version);
    }

    [Theory]
    [InlineData("not a uri", "InvalidUri")]
    [InlineData("ftp://host:21", "InvalidUri")]
    [InlineData("http://elastic:pw@host:9200", "CredentialInUri")]
    public void Bad_uris_are_refused(string text, string errorId)
    {
        var ex = Assert.Throws<EsException>(() => ConnectionSettings.ParseUri(text));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(EsErrorKind.InvalidArgument, ex.Kind);
        Assert.DoesNotContain("pw@", ex.Target?.ToString() ?? "");
    }

    [Fact]
    public void Cloud_id_becomes_the_elasticsearch_endpoint()
    {
        // name:base64("us-east-1.aws.found.io:443$abc123$kib456")
        var id = "prod:" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("us-east-1.aws.found.io:443$abc123$kib456"));
        var s = ConnectionSettings.ForCloud(id);
        Assert.Equal(new Uri("https://abc123.us-east-1.aws.found.io:443"), s.Nodes.Single());
        var ex = Assert.Throws<EsException>(() => ConnectionSettings.ForCloud("prod:!!notbase64"));
        Assert.Equal("InvalidCloudId", ex.ErrorId);
    }

    [Fact]
    public async Task Registry_keeps_named_connections_side_by_side()
    {
        await using var old = await Emulated.StartAsync(nodes: 1, version: "7.17.27");
        await using var @new = await Emulated.StartAsync(nodes: 1, version: "8.19.0");
        var registry = new ConnectionRegistry();
        var a = await old.ConnectAsync(name: "old");
        var b = await @new.ConnectAsync(name: "new");
        registry.Add(a);
        registry.Add(b);
        Assert.Same(b, registry.Current);
        Assert.Same(a, registry.Find("OLD"));
        Assert.Same(a, registry.Resolve(a));
        var replaced = await @new.ConnectAsync(name: "NEW");
        registry.Add(replaced);
        Assert.False(b.IsOpen);
        var closed = await Assert.ThrowsAsync<EsException>(() => new EsApi(b).SendAsync(EsRequest.Get("/"), default));
        Assert.Equal("ConnectionClosed", closed.ErrorId);
        b = replaced;
        Assert.True(registry.Remove(b));
        Assert.Null(registry.Current);
        Assert.Equal("NoConnection", Assert.Throws<EsException>(() => registry.Resolve(null)).ErrorId);
        Assert.Equal("ConnectionNotFound", Assert.Throws<EsException>(() => registry.Find("new")).ErrorId);
    }
}
