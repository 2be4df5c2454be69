using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using EsUpgrade.Snapshots;

namespace EsUpgrade.Commands;

/// <summary>Registers (or replaces) a snapshot repository; Elasticsearch checks that every node can write to it.</summary>
[Cmdlet(VerbsLifecycle.Register, "EsSnapshotRepository", SupportsShouldProcess = true)]
[OutputType(typeof(EsSnapshotRepository))]
public sealed class RegisterEsSnapshotRepositoryCommand : EsClusterCmdlet
{
    /// <summary>The repository's name.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>An fs repository's folder (inside path.repo), or a url repository's URL.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Location { get; set; }

    /// <summary>The repository type: fs (the default), url, s3, azure, gcs, hdfs.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Type { get; set; } = "fs";

    /// <summary>Further repository settings (compress, chunk_size, bucket, ...).</summary>
    [Parameter]
    public Hashtable? Setting { get; set; }

    /// <summary>Register it read-only: this cluster may restore from it but never writes (for a second cluster reading the first's snapshots).</summary>
    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    /// <summary>Also ask every node to write and read a test file (POST _snapshot/(name)/_verify) and say which did.</summary>
    [Parameter]
    public SwitchParameter Verify { get; set; }

    protected override void ProcessRecord()
    {
        WriteErrorOnFailure(() =>
        {
            if (!ShouldProcess($"{TargetConnection.Name}: {Name}", $"Register a{(ReadOnly ? " read-only" : "")} {Type} snapshot repository")) return;
            var settings = new Dictionary<string, object?>();
            if (Setting != null) foreach (DictionaryEntry e in Setting) settings[e.Key.ToString()!] = e.Value is PSObject ps ? ps.BaseObject : e.Value;
            if (Location != null) settings[Type == "url" ? "url" : "location"] = Location;
            var repository = OffPipeline(async call =>
            {
                var registered = await SnapshotRepositories.RegisterAsync(call.Api, Name, Type, settings, ReadOnly, verify: true, call.Cancellation).ConfigureAwait(false);
                if (Verify)
                {
                    var verified = await SnapshotRepositories.VerifyAsync(call.Api, Name, call.Cancellation).ConfigureAwait(false);
                    call.Api.Log.Verbose($"[{call.Api.Connection.Name}] {Name} verified on {string.Join(", ", verified.Nodes)}");
                }
                return registered;
            });
            WriteObject(repository);
        }, Name);
    }
}
