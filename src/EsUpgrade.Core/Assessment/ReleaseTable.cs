using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using EsUpgrade.Errors;

namespace EsUpgrade.Assessment;

/// <summary>The newest patch of each minor, shipped with the module (releases.json) or given by the admin.</summary>
public sealed class ReleaseTable
{
    readonly Dictionary<string, Version> newest;

    ReleaseTable(Dictionary<string, Version> newest) => this.newest = newest;

    /// <summary>The newest patch of <paramref name="major"/>.<paramref name="minor"/>, if the table knows it.</summary>
    public Version? Newest(int major, int minor) => newest.TryGetValue($"{major}.{minor}", out var v) ? v : null;

    public static ReleaseTable BuiltIn { get; } = Load();

    static ReleaseTable Load()
    {
        using var stream = typeof(ReleaseTable).Assembly.GetManifestResourceStream("EsUpgrade.Assessment.releases.json")!;
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "the built-in release table");
    }

    /// <summary>A table in the built-in form: <c>{"newest": {"7.17": "7.17.29"}}</c>.</summary>
    public static ReleaseTable Parse(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var table = new Dictionary<string, Version>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.GetProperty("newest").EnumerateObject())
                table[p.Name] = Version.Parse(p.Value.GetString()!);
            return new ReleaseTable(table);
        }
        catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is FormatException || ex is ArgumentException || ex is InvalidOperationException || ex is OverflowException)
        {
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidReleaseTable,
                $"{source} is not a release table: expected {{\"newest\": {{\"7.17\": \"7.17.29\"}}}} ({ex.Message})", source);
        }
    }
}
