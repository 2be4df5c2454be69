using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace EsUpgrade.Emulator.Model;

/// <summary>Elasticsearch's simple wildcard match (Regex.simpleMatch): <c>*</c> matches any run of characters, nothing else is special.</summary>
public static class Wildcard
{
    static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    public static bool IsPattern(string text) => text.Contains('*');

    public static bool Matches(string pattern, string value) =>
        Cache.GetOrAdd(pattern, p => new Regex("^" + Regex.Escape(p).Replace("\\*", ".*") + "$", RegexOptions.CultureInvariant)).IsMatch(value);
}
