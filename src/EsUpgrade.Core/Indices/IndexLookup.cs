using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;

namespace EsUpgrade.Indices;

/// <summary>
/// Index names as a user gives them. Elasticsearch refuses a whole request when one full name in it does not
/// exist (404 index_not_found_exception, naming it): that name becomes an IndexNotFound error of its own and
/// the request is asked again without it. What is left is never widened: no names left, no request.
/// </summary>
public static class IndexLookup
{
    public static async Task<Lookup<IReadOnlyList<T>>> RunAsync<T>(EsApi api, IReadOnlyList<string>? names, Func<string?, Task<IReadOnlyList<T>>> fetch)
    {
        if (names is null || names.Count == 0) return new Lookup<IReadOnlyList<T>>(await fetch(null).ConfigureAwait(false), Array.Empty<EsException>());
        var remaining = names.Distinct(StringComparer.Ordinal).ToList();
        var missing = new List<EsException>();
        while (remaining.Count > 0)
        {
            try
            {
                return new Lookup<IReadOnlyList<T>>(await fetch(string.Join(",", remaining)).ConfigureAwait(false), missing);
            }
            catch (EsServerException ex) when (ex.IsIndexNotFound && ex.ResourceId is string name && remaining.Remove(name))
            {
                missing.Add(NotFound(api, name));
            }
        }
        return new Lookup<IReadOnlyList<T>>(Array.Empty<T>(), missing);
    }

    public static EsException NotFound(EsApi api, string name) =>
        new EsException(EsErrorKind.NotFound, ErrorIds.IndexNotFound, $"There is no index or alias named '{name}' in {api.Connection.Name}.", name);
}
