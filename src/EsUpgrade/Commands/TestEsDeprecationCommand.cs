using System.Linq;
using System.Management.Automation;
using EsUpgrade.Assessment;
using EsUpgrade.Errors;

namespace EsUpgrade.Commands;

/// <summary>
/// The deprecation findings that stand between the cluster and the next major: every item of Elasticsearch's
/// deprecation info API, once, and what EsUpgrade finds that the API misses.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "EsDeprecation")]
[OutputType(typeof(EsDeprecation))]
public sealed class TestEsDeprecationCommand : EsClusterCmdlet
{
    /// <summary>Only findings about these indices (names, wildcards); from the pipeline, an index's Name or a shard's Index.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(IndexNameCompleter))]
    public string[]? Index { get; set; }

    /// <summary>Only findings of these levels.</summary>
    [Parameter]
    public DeprecationLevel[]? Level { get; set; }

    /// <summary>Only findings of these categories.</summary>
    [Parameter]
    public DeprecationCategory[]? Category { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryNarrow(Index, nameof(Index), "index", out var indices)) return;
        WriteErrorOnFailure(() =>
        {
            var lookup = OffPipeline(call => DeprecationReader.ReadAsync(call.Api, indices, call.Cancellation));
            var found = lookup.Found.Where(f => (Level is null || Level.Contains(f.Level)) && (Category is null || Category.Contains(f.Category)))
                .OrderByDescending(f => f.Level).ThenBy(f => f.Category).ToList();
            WriteLookup(new Lookup<System.Collections.Generic.IReadOnlyList<EsDeprecation>>(found, lookup.Missing));
        }, Connection);
    }
}
