using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace EsUpgrade.Errors;

/// <summary>The convention for names a user types: a full name that matches nothing is an error; a wildcard that matches nothing is not.</summary>
public static class Names
{
    public static bool IsWildcard(string name) => name.IndexOf('*') >= 0 || name.IndexOf('?') >= 0;

    /// <summary>The full names among <paramref name="requested"/> that <paramref name="matches"/> says nothing found answers to.</summary>
    public static IEnumerable<string> Unmatched(IEnumerable<string>? requested, Func<string, bool> matches) =>
        (requested ?? Enumerable.Empty<string>()).Where(n => !IsWildcard(n) && !matches(n));

    /// <summary>A wildcard pattern (<c>*</c>, <c>?</c>) as PowerShell and Elasticsearch read names, ignoring case.</summary>
    public static bool Like(string pattern, string value) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
