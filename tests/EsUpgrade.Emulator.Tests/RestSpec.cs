using System.Text.Json;

namespace EsUpgrade.Emulator.Tests;

/// <summary>Elastic's REST API spec in ../shared/es-api/rest-api-spec (ESUPGRADE_SPEC_DIR overrides).</summary>
public sealed class RestSpec
{
    public static string Directory { get; } = Locate();

    public static string ExamplesDirectory => Path.Combine(Path.GetDirectoryName(Directory)!, "examples");

    static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("ESUPGRADE_SPEC_DIR");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EsUpgrade.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "es-api", "rest-api-spec"));
        throw new InvalidOperationException("EsUpgrade.sln not found above the test binaries.");
    }

    /// <summary>The spec folder a version is checked against: 7.17 for 7.x, 8.x for 8.x.</summary>
    public static string FolderFor(int major) => major switch { 7 => "7.17", 8 => "8.x", _ => throw new ArgumentOutOfRangeException(nameof(major)) };

    /// <summary>(path, methods) of one API in one version; empty when the version has no such API.</summary>
    public static IReadOnlyList<(string Path, string[] Methods)> Paths(string folder, string api)
    {
        var file = Path.Combine(Directory, folder, api + ".json");
        if (!File.Exists(file)) return Array.Empty<(string, string[])>();
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var root = doc.RootElement.GetProperty(api);
        return root.GetProperty("url").GetProperty("paths").EnumerateArray()
            .Select(p => (p.GetProperty("path").GetString()!, p.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).ToArray()))
            .ToList();
    }

    public static bool Declares(string folder, string api, string method, string path) =>
        Paths(folder, api).Any(p => p.Path == path && p.Methods.Contains(method));

    public static JsonElement Example(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ExamplesDirectory, file)));
        return doc.RootElement.Clone();
    }
}
