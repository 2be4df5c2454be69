using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Wire;

namespace EsUpgrade.Commands;

/// <summary>Connects to a cluster, checks it is Elasticsearch and makes it the session's current connection.</summary>
[Cmdlet(VerbsCommunications.Connect, "EsCluster", DefaultParameterSetName = UriSet)]
[OutputType(typeof(EsConnection))]
public sealed class ConnectEsClusterCommand : EsCmdlet
{
    const string UriSet = "Uri";
    const string CloudSet = "CloudId";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = UriSet)]
    [ValidateNotNullOrEmpty]
    public string[] Uri { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = CloudSet)]
    [ValidateNotNullOrEmpty]
    public string CloudId { get; set; } = "";

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>The API key as Elasticsearch returns it in "encoded" (base64 of id:key), or id:key.</summary>
    [Parameter]
    public SecureString? ApiKey { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificateFingerprint { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CaCertificatePath { get; set; }

    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    [Parameter]
    public TimeSpan RetryTimeout { get; set; } = TimeSpan.FromMinutes(2);

    protected override void ProcessRecord()
    {
        StopOnFailure(() =>
        {
            var settings = Settings();
            if (SkipCertificateCheck)
                WriteWarning("Certificate checks are off for this connection: anyone between you and the cluster can read the credentials. Use -CertificateFingerprint or -CaCertificatePath instead.");
            var connection = OffPipeline(call => Connector.ConnectAsync(Name, settings, call.Log, call.Cancellation));
            ConnectionRegistry.Session.Add(connection);
            WriteVerbose($"Connected to {connection.ClusterName} (Elasticsearch {connection.Version}) as '{connection.Name}'.");
            if (PassThru) WriteObject(connection);
        }, Uri.FirstOrDefault() is string first ? Wire.Redact.Text(first) : CloudId);
    }

    ConnectionSettings Settings()
    {
        var trustOptions = new[] { CertificateFingerprint != null, CaCertificatePath != null, SkipCertificateCheck.IsPresent }.Count(x => x);
        if (trustOptions > 1)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.ConflictingCertificateOptions,
                "Give only one of -CertificateFingerprint, -CaCertificatePath and -SkipCertificateCheck.");
        if (Credential != null && ApiKey != null)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.ConflictingCredentials, "Give -Credential or -ApiKey, not both.");

        var settings = ParameterSetName == CloudSet
            ? ConnectionSettings.ForCloud(CloudId)
            : new ConnectionSettings(Uri.Select(ConnectionSettings.ParseUri));
        settings.Credential = Credential?.GetNetworkCredential();
        settings.ApiKey = ApiKey;
        if (RetryTimeout < TimeSpan.Zero)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidTimeout, "-RetryTimeout cannot be negative.", RetryTimeout);
        settings.RetryTimeout = RetryTimeout;
        settings.Trust = CertificateFingerprint != null ? CertificateTrust.Fingerprint(CertificateFingerprint)
            : CaCertificatePath != null ? CertificateTrust.CaFile(GetUnresolvedProviderPathFromPSPath(CaCertificatePath))
            : SkipCertificateCheck ? CertificateTrust.SkipCheck
            : CertificateTrust.SystemStore;
        return settings;
    }
}
