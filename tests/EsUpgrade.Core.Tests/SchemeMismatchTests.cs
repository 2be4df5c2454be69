using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;
using EsUpgrade.Errors;
using EsUpgrade.Wire;

namespace EsUpgrade.Core.Tests;

/// <summary>The wrong scheme for a node says so, instead of blaming certificates or the network.</summary>
public class SchemeMismatchTests
{
    static Task<EsException> ConnectFails(Uri uri, CertificateTrust trust) =>
        Assert.ThrowsAsync<EsException>(() => Connector.ConnectAsync(null, new ConnectionSettings(new[] { uri }) { Trust = trust }, NullLog.Instance, default));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Https_to_a_plain_http_node_says_it_speaks_no_tls(bool skipCheck)
    {
        await using var plain = await Emulated.StartAsync(nodes: 1);
        var https = new UriBuilder(plain.Uris[0]) { Scheme = "https" }.Uri;
        var ex = await ConnectFails(https, skipCheck ? CertificateTrust.SkipCheck : CertificateTrust.SystemStore);
        Assert.Equal(ErrorIds.ClusterUnreachable, ex.ErrorId);
        Assert.Contains("does not speak TLS", ex.Message);
        Assert.Contains("use http://127.0.0.1:" + plain.Uris[0].Port, ex.Message);
        Assert.DoesNotContain("SkipCertificateCheck", ex.Message);
    }

    [Fact]
    public async Task Http_to_a_tls_node_says_it_may_need_https()
    {
        await using var tls = await Emulated.StartAsync(nodes: 1, tls: true);
        var http = new UriBuilder(tls.Uris[0]) { Scheme = "http" }.Uri;
        var ex = await ConnectFails(http, CertificateTrust.SystemStore);
        Assert.Equal(ErrorIds.ClusterUnreachable, ex.ErrorId);
        Assert.Contains("use https://127.0.0.1:" + tls.Uris[0].Port, ex.Message);
    }

    [Fact]
    public async Task An_untrusted_certificate_is_still_called_untrusted()
    {
        await using var tls = await Emulated.StartAsync(nodes: 1, tls: true);
        var ex = await ConnectFails(tls.Uris[0], CertificateTrust.SystemStore);
        Assert.Equal(ErrorIds.UntrustedCertificate, ex.ErrorId);
        Assert.Contains("-CertificateFingerprint", ex.Message);
    }

    [Fact]
    public async Task A_port_nobody_listens_on_gives_no_scheme_hint()
    {
        await using var plain = await Emulated.StartAsync(nodes: 1);
        var port = plain.Uris[0].Port;
        await plain.Host.StopNodeAsync("es-01");
        var ex = await ConnectFails(new Uri($"http://127.0.0.1:{port}"), CertificateTrust.SystemStore);
        Assert.Equal(ErrorIds.ClusterUnreachable, ex.ErrorId);
        Assert.DoesNotContain("https://", ex.Message);
    }

    [Theory]
    [InlineData("http://es01:9200/?pretty")]
    [InlineData("http://es01:9200/es/#top")]
    public void A_query_string_or_fragment_is_refused(string uri) =>
        Assert.Equal(ErrorIds.InvalidUri, Assert.Throws<EsException>(() => ConnectionSettings.ParseUri(uri)).ErrorId);

    [Theory]
    [InlineData("elastic:s3cret@es01:9200")]
    [InlineData("ftp://elastic:s3cret@es01:21")]
    [InlineData("http://elastic:s3cret@es01:9200/?pretty")]
    public void A_password_in_a_uri_is_never_echoed(string uri)
    {
        var ex = Assert.Throws<EsException>(() => ConnectionSettings.ParseUri(uri));
        Assert.DoesNotContain("s3cret", ex.Message);
        Assert.DoesNotContain("s3cret", ex.Target?.ToString() ?? "");
    }
}
