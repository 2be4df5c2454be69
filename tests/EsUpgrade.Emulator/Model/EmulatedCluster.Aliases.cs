namespace EsUpgrade.Emulator.Model;

/// <summary>Aliases: names that point at indices; POST _aliases changes them atomically (all actions or none).</summary>
public sealed partial class EmulatedCluster
{
    public sealed record AliasAction(string Kind, string Index, string? Alias);

    /// <summary>The indices an alias points at (empty when the name is no alias). Call under the lock.</summary>
    public List<EmulatedIndex> IndicesOfAlias(string alias) => indices.Where(i => i.Aliases.Contains(alias)).ToList();

    /// <summary>POST _aliases: add, remove and remove_index, validated first and applied together.</summary>
    public void UpdateAliases(IReadOnlyList<AliasAction> actions)
    {
        lock (Sync)
        {
            RequireMaster();
            var removedIndices = new HashSet<string>(StringComparer.Ordinal);
            foreach (var a in actions)
            {
                var targets = IndexExpression.Resolve(this, a.Index, expand: Expand.OpenAndClosed);
                if (a.Kind == "remove" && !targets.Any(t => t.Aliases.Contains(a.Alias!)))
                    throw new EsError(404, "aliases_not_found_exception", $"aliases [{a.Alias}] missing", metadata: new Dictionary<string, object?> { ["resource.type"] = "aliases", ["resource.id"] = a.Alias });
                if (a.Kind == "remove_index") foreach (var t in targets) removedIndices.Add(t.Name);
            }
            foreach (var a in actions.Where(a => a.Kind == "add"))
                if (Index(a.Alias!) is { } clash && !removedIndices.Contains(clash.Name))
                    throw new EsError(400, "invalid_alias_name_exception", $"Invalid alias name [{a.Alias}]: an index or data stream exists with the same name as the alias",
                        metadata: new Dictionary<string, object?> { ["index_uuid"] = "_na_", ["index"] = a.Alias });
            foreach (var a in actions)
            {
                var targets = IndexExpression.Resolve(this, a.Index, expand: Expand.OpenAndClosed);
                switch (a.Kind)
                {
                    case "add": foreach (var t in targets) t.Aliases.Add(a.Alias!); break;
                    case "remove": foreach (var t in targets) t.Aliases.Remove(a.Alias!); break;
                    case "remove_index": foreach (var t in targets) indices.Remove(t); break;
                }
            }
            Reroute();
            Signal();
        }
    }
}
