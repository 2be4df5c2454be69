namespace EsUpgrade.Emulator.Model;

/// <summary>
/// What wildcards (and <c>_all</c>, or no index at all) expand to: IndicesOptions.WildcardStates. Hidden
/// indices (<c>index.hidden: true</c>, as 7.x makes system indices) are left out unless asked for, or unless
/// the pattern itself starts with a dot (PR #50452). Each API has its own default (see the handlers): the
/// REST spec's documented default "all" for _cat/indices and _settings dates from before hidden indices and
/// means open and closed (IndicesOptions.strictExpand); _cluster/health and _cat/shards see everything.
/// </summary>
[Flags]
public enum Expand
{
    None = 0,
    Open = 1,
    Closed = 2,
    Hidden = 4,
    OpenAndClosed = Open | Closed,
    All = Open | Closed | Hidden,
}

public static class ExpandWildcards
{
    /// <summary><c>expand_wildcards</c> as given (comma list of open, closed, hidden, none, all), or <paramref name="fallback"/>.</summary>
    public static Expand Parse(string? value, Expand fallback)
    {
        if (string.IsNullOrEmpty(value)) return fallback;
        var result = Expand.None;
        foreach (var part in value.Split(','))
        {
            result |= part.Trim().ToLowerInvariant() switch
            {
                "open" => Expand.Open,
                "closed" => Expand.Closed,
                "hidden" => Expand.Hidden,
                "all" => Expand.All,
                "none" => Expand.None,
                var other => throw EsError.IllegalArgument($"No enum constant org.elasticsearch.action.support.IndicesOptions.WildcardStates.{other.ToUpperInvariant()}"),
            };
        }
        return result;
    }

    /// <summary>Whether a wildcard (or all-indices) expansion with <paramref name="expand"/> includes the index.</summary>
    public static bool Includes(this Expand expand, EmulatedIndex index, bool dotPattern) =>
        (!index.Hidden || expand.HasFlag(Expand.Hidden) || dotPattern)
        && (index.Closed ? expand.HasFlag(Expand.Closed) : expand.HasFlag(Expand.Open));
}
