using System;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EsUpgrade.Errors;

namespace EsUpgrade.Wire;

/// <summary>
/// How the server's TLS certificate is trusted: the machine's trust store (default), a pinned SHA-256
/// fingerprint of the CA or the leaf (as Elasticsearch 8 prints it at first start), a CA file, or not at all.
/// </summary>
public sealed class CertificateTrust
{
    readonly string? fingerprint;
    readonly X509Certificate2? ca;

    CertificateTrust(CertificateTrustMode mode, string? fingerprint, X509Certificate2? ca)
    {
        Mode = mode;
        this.fingerprint = fingerprint;
        this.ca = ca;
    }

    public CertificateTrustMode Mode { get; }

    public static CertificateTrust SystemStore { get; } = new CertificateTrust(CertificateTrustMode.SystemStore, null, null);
    public static CertificateTrust SkipCheck { get; } = new CertificateTrust(CertificateTrustMode.Skip, null, null);

    /// <summary>Accepts <c>AB:CD:...</c>, <c>abcd...</c> and spaces; 64 hex digits.</summary>
    public static CertificateTrust Fingerprint(string fingerprint)
    {
        var hex = new string((fingerprint ?? "").Where(c => c != ':' && !char.IsWhiteSpace(c)).ToArray()).ToLowerInvariant();
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidCertificateFingerprint,
                "A certificate fingerprint must be the SHA-256 of the certificate: 64 hexadecimal digits, with or without colons.", fingerprint);
        return new CertificateTrust(CertificateTrustMode.Fingerprint, hex, null);
    }

    public static CertificateTrust CaFile(string path)
    {
        X509Certificate2 cert;
        try
        {
            cert = new X509Certificate2(path);
        }
        catch (Exception ex) when (ex is CryptographicException || ex is System.IO.IOException || ex is UnauthorizedAccessException)
        {
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidCaCertificate,
                $"The CA certificate file '{path}' could not be read as an X.509 certificate (PEM or DER).", path, ex);
        }
        return new CertificateTrust(CertificateTrustMode.CaFile, null, cert);
    }

    /// <summary>The callback for the HTTP handler; null means the platform's default validation.</summary>
    public Func<object, X509Certificate, X509Chain, SslPolicyErrors, bool>? Callback => Mode switch
    {
        CertificateTrustMode.SystemStore => null,
        CertificateTrustMode.Skip => (_, _, _, _) => true,
        CertificateTrustMode.Fingerprint => (_, cert, chain, errors) => MatchesFingerprint(cert, chain, errors),
        CertificateTrustMode.CaFile => (_, cert, _, errors) => ChainsToCa(cert, errors),
        _ => null,
    };

    bool MatchesFingerprint(X509Certificate cert, X509Chain? chain, SslPolicyErrors errors)
    {
        if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) return false;
        if (Sha256(cert.GetRawCertData()) == fingerprint) return true;
        return chain != null && chain.ChainElements.Cast<X509ChainElement>().Any(e => Sha256(e.Certificate.RawData) == fingerprint);
    }

    bool ChainsToCa(X509Certificate cert, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false; // name mismatch or no certificate
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        chain.ChainPolicy.ExtraStore.Add(ca!);
        using var leaf = new X509Certificate2(cert);
        if (!chain.Build(leaf)) return false;
        foreach (X509ChainElement element in chain.ChainElements)
            foreach (var status in element.ChainElementStatus)
                if (status.Status != X509ChainStatusFlags.NoError && status.Status != X509ChainStatusFlags.UntrustedRoot)
                    return false;
        var root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
        return root.RawData.SequenceEqual(ca!.RawData);
    }

    internal static string Sha256(byte[] data)
    {
        using var sha = SHA256.Create();
        return string.Concat(sha.ComputeHash(data).Select(b => b.ToString("x2")));
    }

    public override string ToString() => Mode.ToString();
}

public enum CertificateTrustMode { SystemStore, Fingerprint, CaFile, Skip }
