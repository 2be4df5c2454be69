using System.Reflection;
using System.Text.RegularExpressions;
using EsUpgrade.Errors;

namespace EsUpgrade.Core.Tests;

/// <summary>ErrorIds are constants, each documented in the README, and the code names them only through <see cref="ErrorIds"/>.</summary>
public class ErrorIdTests
{
    static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "EsUpgrade.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("EsUpgrade.sln not found above " + AppContext.BaseDirectory);
    }

    static IEnumerable<string> Constants() =>
        typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void Each_constant_is_its_own_name()
    {
        foreach (var f in typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static))
            Assert.Equal(f.Name, f.GetRawConstantValue());
    }

    [Fact]
    public void The_readme_error_table_lists_exactly_the_constants()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md"));
        var section = readme[readme.IndexOf("## Errors", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var documented = Regex.Matches(section, @"^\| `(\w+)` \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(documented.Distinct().Count(), documented.Count);
        Assert.Equal(Constants().Order(), documented.Order());
    }

    [Fact]
    public void The_source_names_error_ids_only_through_the_constants()
    {
        var src = Path.Combine(RepoRoot(), "src");
        var literal = new Regex(@"EsErrorKind\.\w+,\s*\$?""|ErrorId\s*(==|!=|:)\s*""");
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
            .SelectMany(f => File.ReadLines(f).Select((line, n) => (f, n, line)))
            .Where(x => literal.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(src, x.f)}:{x.n + 1}: {x.line.Trim()}")
            .ToList();
        Assert.Empty(offenders);
    }
}
