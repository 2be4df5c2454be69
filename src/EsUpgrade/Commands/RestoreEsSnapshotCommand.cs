using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Snapshots;

namespace EsUpgrade.Commands;

/// <summary>
/// Restores a snapshot into its own cluster or another (-Connection): the repository registered there read-only when
/// it is not; a pre-check that says what the target would refuse before anything is sent; -Wait follows the recovery.
/// </summary>
[Cmdlet(VerbsData.Restore, "EsSnapshot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(EsRestoreResult))]
public sealed class RestoreEsSnapshotCommand : EsClusterCmdlet
{
    /// <summary>The snapshot; from the pipeline, a snapshot's Name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SnapshotNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>The repository; from the pipeline, a snapshot's Repository. When omitted, the one repository that holds the snapshot.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RepositoryNameCompleter))]
    public string? Repository { get; set; }

    /// <summary>The cluster that took the snapshot, when it is not the target and the snapshot was not piped from it: its repository is registered on the target read-only and its indices' versions checked.</summary>
    [Parameter]
    public EsConnection? SourceConnection { get; set; }

    /// <summary>Only these indices of the snapshot (names, wildcards); every regular index by default.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Index { get; set; }

    /// <summary>A regular expression on each index name, and its replacement ($1 for the first group): restore beside the existing indices.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RenamePattern { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? RenameReplacement { get; set; }

    /// <summary>Index settings the restored indices get instead of the snapshot's (index.number_of_replicas = 0, ...).</summary>
    [Parameter]
    public Hashtable? IndexSetting { get; set; }

    /// <summary>Index settings of the snapshot the restored indices do not take.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? IgnoreIndexSetting { get; set; }

    /// <summary>Also restore the global state: persistent settings, templates, ILM policies (replacing the target's) and the feature states.</summary>
    [Parameter]
    public SwitchParameter IncludeGlobalState { get; set; }

    /// <summary>System features to restore (kibana, security, ...; none for none); by default those the global state brings.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? FeatureState { get; set; }

    /// <summary>Leave the snapshot's aliases out.</summary>
    [Parameter]
    public SwitchParameter NoAlias { get; set; }

    /// <summary>Restore the indices of a PARTIAL snapshot that were not fully taken (their missing shards come back empty).</summary>
    [Parameter]
    public SwitchParameter Partial { get; set; }

    /// <summary>Wait until every primary has been restored, with progress.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait, how long to wait (a TimeSpan, or seconds); 2 hours by default.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

    protected override void ProcessRecord()
    {
        WriteErrorOnFailure(() =>
        {
            var target = TargetConnection;
            // A snapshot piped from its cluster knows where it came from; -Connection may send it elsewhere.
            var piped = InputObject?.BaseObject as EsSnapshot;
            var source = SourceConnection ?? (piped != null && piped.Name == Name ? piped.Connection : null);
            var options = new RestoreOptions
            {
                Indices = Index, RenamePattern = RenamePattern, RenameReplacement = RenameReplacement, IncludeGlobalState = IncludeGlobalState, FeatureStates = FeatureState,
                IncludeAliases = !NoAlias, Partial = Partial, IgnoreIndexSettings = IgnoreIndexSetting ?? Array.Empty<string>(),
                IndexSettings = IndexSetting?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => (object?)(e.Value is PSObject ps ? ps.BaseObject : e.Value)) ?? new Dictionary<string, object?>(),
            };
            if (RenamePattern != null && RenameReplacement is null)
                throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.RestoreRefused, "-RenamePattern needs -RenameReplacement (for example -RenamePattern '(.+)' -RenameReplacement 'restored-$1').", RenamePattern);
            EsApi SourceApi(CoreCall call) => source is null || source.ClusterUuid == target.ClusterUuid ? call.Api : new EsApi(source, call.Log);
            var (snapshot, checks) = OffPipeline(async call =>
            {
                var sourceApi = SourceApi(call);
                Lookup<IReadOnlyList<EsSnapshot>> lookup;
                try
                {
                    lookup = await Snapshots.Snapshots.FindAsync(sourceApi, Repository, new[] { Name }, call.Cancellation).ConfigureAwait(false);
                }
                catch (EsException ex) when (ex.ErrorId == ErrorIds.RepositoryNotFound && source is null)
                {
                    throw new EsException(ex.Kind, ex.ErrorId, ex.Message + " To restore a snapshot of another cluster, pipe it from Get-EsSnapshot there, or give -SourceConnection.", ex.Target, ex);
                }
                if (lookup.Missing.Count > 0) throw lookup.Missing[0];
                if (lookup.Found.Count > 1)
                    throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.SnapshotNotFound,
                        $"'{Name}' names {lookup.Found.Count} snapshots ({string.Join(", ", lookup.Found.Take(5).Select(s => s.Repository + "/" + s.Name))}): restore one at a time (-Repository, a full name).", Name);
                var found = lookup.Found.SingleOrDefault();
                if (found is null) return (found, (IReadOnlyList<RestoreCheck>)Array.Empty<RestoreCheck>());
                return (found, await SnapshotRestore.PreCheckAsync(call.Api, sourceApi, found, options, call.Cancellation).ConfigureAwait(false));
            });
            if (snapshot is null) return;    // a wildcard that matches nothing
            var approved = true;
            foreach (var check in checks)
                approved &= ShouldProcess($"{target.Name}: {check.Index}{(check.Target != check.Index ? " as " + check.Target : "")}",
                    check.IsRefused ? $"Restore from {snapshot.Repository}/{snapshot.Name} (REFUSED: {check.Reason})"
                    : $"Restore from {snapshot.Repository}/{snapshot.Name}{(check.Verdict == "Archive" ? " as a read-only archive index" : "")}");
            if (checks.Count == 0)
                approved = ShouldProcess($"{target.Name}: {snapshot.Repository}/{snapshot.Name}", "Restore the global state and feature states");
            if (!approved) return;
            WriteObject(OffPipeline(call => SnapshotRestore.RestoreAsync(call.Api, SourceApi(call), snapshot, options, Wait, Timeout, call.Cancellation, checks)));
        }, Name);
    }
}
