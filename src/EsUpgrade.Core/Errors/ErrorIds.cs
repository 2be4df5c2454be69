namespace EsUpgrade.Errors;

/// <summary>
/// Every ErrorId the module reports: the first part of an ErrorRecord's FullyQualifiedErrorId, stable for
/// scripts to test. The README's error table lists the same names (a test checks both ways).
/// </summary>
public static class ErrorIds
{
    // Connections
    public const string InvalidUri = nameof(InvalidUri);
    public const string CredentialInUri = nameof(CredentialInUri);
    public const string NoNodeUri = nameof(NoNodeUri);
    public const string InvalidCloudId = nameof(InvalidCloudId);
    public const string ConflictingCredentials = nameof(ConflictingCredentials);
    public const string ConflictingCertificateOptions = nameof(ConflictingCertificateOptions);
    public const string InvalidCertificateFingerprint = nameof(InvalidCertificateFingerprint);
    public const string InvalidCaCertificate = nameof(InvalidCaCertificate);
    public const string ClusterUnreachable = nameof(ClusterUnreachable);
    public const string UntrustedCertificate = nameof(UntrustedCertificate);
    public const string AuthenticationFailed = nameof(AuthenticationFailed);
    public const string PermissionDenied = nameof(PermissionDenied);
    public const string NotElasticsearch = nameof(NotElasticsearch);
    public const string NoConnection = nameof(NoConnection);
    public const string ConnectionNotFound = nameof(ConnectionNotFound);
    public const string ConnectionClosed = nameof(ConnectionClosed);

    // Answers
    public const string EsServerError = nameof(EsServerError);
    public const string InvalidResponse = nameof(InvalidResponse);
    /// <summary>What no code path expected: still an ErrorRecord, never a stack trace.</summary>
    public const string UnexpectedError = nameof(UnexpectedError);

    // Lookups by name: a full name that matches nothing (a wildcard that matches nothing is no error)
    public const string IndexNotFound = nameof(IndexNotFound);
    public const string NodeNotFound = nameof(NodeNotFound);
    public const string SettingNotFound = nameof(SettingNotFound);
    public const string PipedObjectNamesNothing = nameof(PipedObjectNamesNothing);

    // Health and waits
    public const string InvalidTimeout = nameof(InvalidTimeout);
    public const string InvalidNodeCount = nameof(InvalidNodeCount);
    public const string ClusterHealthTimeout = nameof(ClusterHealthTimeout);
    public const string NodeRejoinTimeout = nameof(NodeRejoinTimeout);
    public const string NodeVersionMismatch = nameof(NodeVersionMismatch);

    // Operations
    public const string SyncedFlushRemoved = nameof(SyncedFlushRemoved);
    public const string MlUnavailable = nameof(MlUnavailable);

    // Assessment
    public const string NodeConfigurationNotFound = nameof(NodeConfigurationNotFound);
    public const string InvalidNodeConfiguration = nameof(InvalidNodeConfiguration);
    public const string EmptyNodeConfiguration = nameof(EmptyNodeConfiguration);
    public const string DestinationExists = nameof(DestinationExists);
    public const string ApiNotAvailable = nameof(ApiNotAvailable);
    public const string InvalidReleaseTable = nameof(InvalidReleaseTable);
    public const string InvalidReportPath = nameof(InvalidReportPath);
    public const string UnsupportedReportInput = nameof(UnsupportedReportInput);
    public const string NothingToReport = nameof(NothingToReport);
    public const string FileAccessFailed = nameof(FileAccessFailed);

    // Fixes
    public const string SystemFeatureMigrationFailed = nameof(SystemFeatureMigrationFailed);
    public const string SystemFeatureMigrationTimeout = nameof(SystemFeatureMigrationTimeout);
    public const string IndexUpgradeFailed = nameof(IndexUpgradeFailed);

    // Snapshots
    public const string RepositoryNotFound = nameof(RepositoryNotFound);
    public const string RepositoryRejected = nameof(RepositoryRejected);
    public const string SnapshotNotFound = nameof(SnapshotNotFound);
    public const string SnapshotFailed = nameof(SnapshotFailed);
    public const string RestoreRefused = nameof(RestoreRefused);
    public const string RestoreTimeout = nameof(RestoreTimeout);
    public const string RemoteNotWhitelisted = nameof(RemoteNotWhitelisted);
    public const string ReindexFailed = nameof(ReindexFailed);
    public const string ClusterVersionMismatch = nameof(ClusterVersionMismatch);
    public const string MigrationFailed = nameof(MigrationFailed);
    public const string InvalidBaseline = nameof(InvalidBaseline);
    public const string BaselineOfAnotherCluster = nameof(BaselineOfAnotherCluster);
    public const string WatchTimeout = nameof(WatchTimeout);

    // The rolling upgrade
    public const string UnsupportedTargetVersion = nameof(UnsupportedTargetVersion);
    public const string TargetOlderThanCluster = nameof(TargetOlderThanCluster);
    public const string ClusterNotOn717 = nameof(ClusterNotOn717);
    public const string ClusterAlreadyOn8 = nameof(ClusterAlreadyOn8);
    public const string ConfirmationUnavailable = nameof(ConfirmationUnavailable);
    public const string NoNodes = nameof(NoNodes);
    public const string PlanOfAnotherConnection = nameof(PlanOfAnotherConnection);
    public const string IncompatibleIndices = nameof(IncompatibleIndices);
    public const string InvalidStateFile = nameof(InvalidStateFile);
    public const string StateMismatch = nameof(StateMismatch);
    public const string StateFileInUse = nameof(StateFileInUse);
    public const string StateStoreUnsuitable = nameof(StateStoreUnsuitable);
    public const string InvalidPackage = nameof(InvalidPackage);
    public const string WindowsNodeUnsafe = nameof(WindowsNodeUnsafe);
    public const string InvalidInstallRoot = nameof(InvalidInstallRoot);
    public const string BatchUnsafe = nameof(BatchUnsafe);
    public const string ConflictingBatchOptions = nameof(ConflictingBatchOptions);
    public const string RunInProgress = nameof(RunInProgress);
    public const string UnsafeToRestart = nameof(UnsafeToRestart);
    public const string AllocationBlocked = nameof(AllocationBlocked);
    public const string NodeActionFailed = nameof(NodeActionFailed);
    public const string RollingUpgradeFailed = nameof(RollingUpgradeFailed);
}
