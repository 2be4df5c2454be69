using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using EsUpgrade.Errors;
using EsUpgrade.Wire;

namespace EsUpgrade.Core.Tests;

/// <summary>TLS is verified by default; fingerprint, CA file and skip are the ways to trust a cluster's own CA.</summary>
public class CertificateTrustTests : IAsyncLifetime
{
    Emulated es = null!;

    public async Task InitializeAsync() => es = await Emulated.StartAsync(nodes: 1, version: "8.19.0", tls: true);
    public async Task DisposeAsync() => await es.DisposeAsync();

    async Task<string> ConnectWith(CertificateTrust trust)
    {
        var s = es.Settings();
        s.Trust = trust;
        using var c = await es.ConnectAsync(s);
        return c.Version;
    }

    [Fact]
    public async Task An_untrusted_certificate_is_refused_by_default()
    {
        var ex = await Assert.ThrowsAsync<EsException>(() => ConnectWith(CertificateTrust.SystemStore));
        Assert.Equal("UntrustedCertificate", ex.ErrorId);
        Assert.Equal(EsErrorKind.Certificate, ex.Kind);
    }

    [Fact]
    public void The_ca_fingerprint_as_elasticsearch_prints_it()
    {
        // A real node sends [node certificate, CA]; the client's chain then holds the CA. The emulator cannot
        // send a self-signed root through .NET's TLS, so the chain is built here as the client would see it.
        var tls = es.Host.Tls!;
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        chain.ChainPolicy.ExtraStore.Add(tls.Ca);
        chain.Build(tls.Leaf);
        Assert.Equal(2, chain.ChainElements.Count);

        var pinned = CertificateTrust.Fingerprint(tls.CaFingerprint).Callback!;
        Assert.True(pinned(this, tls.Leaf, chain, SslPolicyErrors.RemoteCertificateChainErrors));
        var other = CertificateTrust.Fingerprint(new string('0', 64)).Callback!;
        Assert.False(other(this, tls.Leaf, chain, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public async Task The_leaf_fingerprint_in_openssl_form()
    {
        var colons = string.Join(":", Enumerable.Range(0, 32).Select(i => es.Host.Tls!.LeafFingerprint.Substring(i * 2, 2).ToUpperInvariant()));
        Assert.Equal("8.19.0", await ConnectWith(CertificateTrust.Fingerprint(colons)));
    }

    [Fact]
    public async Task A_wrong_fingerprint_is_refused()
    {
        var ex = await Assert.ThrowsAsync<EsException>(() => ConnectWith(CertificateTrust.Fingerprint(new string('a', 64))));
        Assert.Equal("UntrustedCertificate", ex.ErrorId);
    }

    [Fact]
    public async Task The_ca_file() =>
        Assert.Equal("8.19.0", await ConnectWith(CertificateTrust.CaFile(es.Host.Tls!.CaCertificatePath)));

    [Fact]
    public async Task Another_ca_file_is_refused()
    {
        await using var other = await Emulated.StartAsync(nodes: 1, version: "8.19.0", tls: true);
        var ex = await Assert.ThrowsAsync<EsException>(() => ConnectWith(CertificateTrust.CaFile(other.Host.Tls!.CaCertificatePath)));
        Assert.Equal("UntrustedCertificate", ex.ErrorId);
    }

    [Fact]
    public async Task Skip() => Assert.Equal("8.19.0", await ConnectWith(CertificateTrust.SkipCheck));

    [Theory]
    [InlineData("abc")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    public void A_malformed_fingerprint_is_refused(string text) =>
        Assert.Equal("InvalidCertificateFingerprint", Assert.Throws<EsException>(() => CertificateTrust.Fingerprint(text)).ErrorId);

    [Fact]
    public void An_unreadable_ca_file_is_refused() =>
        Assert.Equal("InvalidCaCertificate", Assert.Throws<EsException>(() => CertificateTrust.CaFile("/nonexistent/ca.crt")).ErrorId);
}
