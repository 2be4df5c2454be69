using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EsUpgrade.Emulator.Http;

/// <summary>
/// A CA and a node certificate for 127.0.0.1/localhost, made at start like Elasticsearch 8's security
/// auto-configuration, so fingerprint pinning, CA files and refusal of an untrusted certificate are testable.
/// </summary>
public sealed class EmulatorTls
{
    EmulatorTls(X509Certificate2 ca, X509Certificate2 leaf, string caPath)
    {
        Ca = ca;
        Leaf = leaf;
        CaCertificatePath = caPath;
    }

    public X509Certificate2 Ca { get; }
    public X509Certificate2 Leaf { get; }
    public string CaCertificatePath { get; }
    /// <summary>Hex SHA-256, lower case, as Elasticsearch prints "HTTP CA certificate SHA-256 fingerprint".</summary>
    public string CaFingerprint => Convert.ToHexString(SHA256.HashData(Ca.RawData)).ToLowerInvariant();
    public string LeafFingerprint => Convert.ToHexString(SHA256.HashData(Leaf.RawData)).ToLowerInvariant();

    public static EmulatorTls Create(string directory)
    {
        Directory.CreateDirectory(directory);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Elasticsearch security auto-configuration HTTP CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(3));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=emulated-node", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new("1.3.6.1.5.5.7.3.1") }, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        using var leafPublic = leafRequest.Create(ca, now.AddDays(-1), now.AddYears(2), serial);
        using var leafWithKey = leafPublic.CopyWithPrivateKey(leafKey);

        var caPath = Path.Combine(directory, "http_ca.crt");
        File.WriteAllText(caPath, ca.ExportCertificatePem());
        var publicCa = X509CertificateLoader.LoadCertificate(ca.RawData);
        var leaf = X509CertificateLoader.LoadPkcs12(leafWithKey.Export(X509ContentType.Pkcs12), null);
        return new EmulatorTls(publicCa, leaf, caPath);
    }
}
