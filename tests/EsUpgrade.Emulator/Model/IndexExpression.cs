namespace EsUpgrade.Emulator.Model;

/// <summary>
/// Index expressions as IndexNameExpressionResolver reads them: comma lists of names, wildcards, <c>_all</c>,
/// and exclusions (<c>-name</c> or <c>-pattern*</c> after another part), each wildcard expanded as
/// <see cref="Expand"/> says. A full name is taken as named, hidden or not; an alias name stands for the indices it points at.
/// </summary>
public static class IndexExpression
{
    /// <summary>True for the expressions that mean every index: none, <c>_all</c>, <c>*</c>.</summary>
    public static bool IsAll(string? expression) => string.IsNullOrEmpty(expression) || expression is "_all" or "*";

    /// <summary>
    /// The indices the expression names, in the cluster's order. A concrete name that matches nothing is 404
    /// index_not_found_exception unless <paramref name="ignoreUnavailable"/>. Call under the cluster's lock.
    /// </summary>
    public static List<EmulatedIndex> Resolve(EmulatedCluster cluster, string? expression, bool ignoreUnavailable = false, Expand expand = Expand.Open)
    {
        if (IsAll(expression)) return cluster.Indices.Where(i => expand.Includes(i, dotPattern: false)).ToList();
        var result = new List<EmulatedIndex>();
        var parts = expression!.Split(',');
        for (var n = 0; n < parts.Length; n++)
        {
            var part = parts[n];
            if (n > 0 && part.StartsWith('-'))
            {
                var excluded = part[1..];
                result.RemoveAll(i => Wildcard.Matches(excluded, i.Name));
            }
            else if (Wildcard.IsPattern(part))
            {
                result.AddRange(cluster.Indices.Where(i => Wildcard.Matches(part, i.Name) && expand.Includes(i, part.StartsWith('.'))));
            }
            else if (part is "_all")
            {
                result.AddRange(cluster.Indices.Where(i => expand.Includes(i, dotPattern: false)));
            }
            else if (cluster.Index(part) is { } index)
            {
                result.Add(index);
            }
            else if (cluster.IndicesOfAlias(part) is { Count: > 0 } aliased)
            {
                result.AddRange(aliased);
            }
            else if (!ignoreUnavailable)
            {
                throw EsError.IndexNotFound(part);
            }
        }
        return result.Distinct().ToList();
    }
}
