using System.Management.Automation;
using EsUpgrade.Indices;

namespace EsUpgrade.Commands
{
    /// <summary>Indices with health, shard counts, documents, size and the version that created them.</summary>
    [Cmdlet(VerbsCommon.Get, "EsIndex")]
    [OutputType(typeof(EsIndex))]
    public sealed class GetEsIndexCommand : EsClusterCmdlet
    {
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            var expression = Name is null ? null : string.Join(",", Name);
            TryRun(() =>
            {
                foreach (var index in Run((log, ct) => IndexReader.GetIndicesAsync(Api(log), expression, ct))) WriteObject(index);
            }, Connection);
        }
    }
}
