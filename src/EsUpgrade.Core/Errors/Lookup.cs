using System.Collections.Generic;

namespace EsUpgrade.Errors;

/// <summary>What a lookup by names found, and each full name (no wildcard) that matched nothing: an ObjectNotFound error each.</summary>
public sealed class Lookup<T>
{
    public Lookup(T found, IReadOnlyList<EsException> missing)
    {
        Found = found;
        Missing = missing;
    }

    public T Found { get; }
    /// <summary>One NotFound error per full name that matched nothing, naming it as the user typed it.</summary>
    public IReadOnlyList<EsException> Missing { get; }
}
