using System.Linq;
using System.Management.Automation;
using EsUpgrade.Indices;

namespace EsUpgrade.Commands
{
    /// <summary>Shard copies: index, shard, primary or replica, state, node, and why an unassigned copy is unassigned.</summary>
    [Cmdlet(VerbsCommon.Get, "EsShard")]
    [OutputType(typeof(EsShard))]
    public sealed class GetEsShardCommand : EsClusterCmdlet
    {
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Index { get; set; }

        [Parameter]
        [ValidateSet("STARTED", "INITIALIZING", "RELOCATING", "UNASSIGNED", IgnoreCase = true)]
        public string[]? State { get; set; }

        protected override void ProcessRecord()
        {
            var expression = Index is null ? null : string.Join(",", Index);
            TryRun(() =>
            {
                foreach (var shard in Run((log, ct) => IndexReader.GetShardsAsync(Api(log), expression, ct))
                    .Where(s => State is null || State.Any(x => x.ToUpperInvariant() == s.State)))
                    WriteObject(shard);
            }, Connection);
        }
    }
}
