using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using EsUpgrade.Errors;

namespace EsUpgrade.NodeConfiguration;

/// <summary>What Convert-EsNodeConfiguration wrote: each file, the findings it fixed and those left to the admin.</summary>
public sealed class NodeConfigConversion
{
    public string Source { get; internal set; } = "";
    public string Destination { get; internal set; } = "";
    public IReadOnlyList<NodeConfigFinding> Fixed { get; internal set; } = Array.Empty<NodeConfigFinding>();
    /// <summary>Findings no rewrite can settle (a value only the admin knows): read their messages.</summary>
    public IReadOnlyList<NodeConfigFinding> Unresolved { get; internal set; } = Array.Empty<NodeConfigFinding>();
    public bool Changed => Fixed.Count > 0;
    /// <summary>False under -WhatIf: computed, not written.</summary>
    public bool Written { get; internal set; }
    public override string ToString() => Destination;
}

/// <summary>
/// Rewrites a node's configuration for 8.x, keeping every other line and comment as it was: removed settings are
/// commented out with the reason, renamed ones renamed (in place when written flat), legacy role flags become one
/// node.roles, JVM options JDK 17 refuses get the prefix that keeps them for old JDKs only.
/// </summary>
public static class NodeConfigConverter
{
    const string Mark = "# EsUpgrade 8.x: ";

    public static (string Text, IReadOnlyList<NodeConfigFinding> Fixed, IReadOnlyList<NodeConfigFinding> Unresolved) ConvertYaml(string text, string file)
    {
        var settings = YamlSettings.Parse(text, file);
        var findings = SettingRules.Check(settings, file).ToList();
        var newline = text.Contains("\r\n") ? "\r\n" : "\n";
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        if (lines.Count > 0 && lines[lines.Count - 1].Length == 0) lines.RemoveAt(lines.Count - 1);

        var commented = new HashSet<int>();
        var notes = new Dictionary<int, List<string>>();
        var replaced = new Dictionary<int, string>();
        var appended = new List<string>();
        var appendedKeys = new HashSet<string>(StringComparer.Ordinal);
        var fixedOnes = new List<NodeConfigFinding>();
        void Note(int line, string note)
        {
            if (!notes.TryGetValue(line, out var list)) notes[line] = list = new List<string>();
            if (!list.Contains(note)) list.Add(note);
        }
        void CommentOut(YamlSetting s, string why)
        {
            Note(s.Line, Mark + why);
            for (var l = s.Line; l <= s.EndLine; l++) commented.Add(l);
            if (SettingRules.IsSecret(s.Key))
            {
                // Every line of the value goes, a block scalar's too: a secret is never copied, not even into a comment.
                replaced[s.Line] = $"{s.Key}: (value removed by EsUpgrade: keep secrets in the keystore)";
                for (var l = s.Line + 1; l <= s.EndLine; l++) replaced[l] = "";
            }
        }
        void Append(string key, string line)
        {
            if (appendedKeys.Add(key)) appended.Add(line);
        }

        var unresolved = findings.Where(f => f.Fix == ConfigFix.None).ToList();
        foreach (var f in findings.Where(f => f.Fix != ConfigFix.None && f.Line > 0))
        {
            var s = settings.First(x => x.Line == f.Line && x.Key == f.Setting);
            // A line that holds other settings too (a flow map, node: { master: true, name: n1 }) is not rewritten.
            if (settings.Any(o => !ReferenceEquals(o, s) && o.Line <= s.EndLine && o.EndLine >= s.Line && !findings.Any(x => x.Fix != ConfigFix.None && x.Line == o.Line && x.Setting == o.Key)))
            {
                unresolved.Add(f);
                continue;
            }
            switch (f.Fix)
            {
                case ConfigFix.CommentOut:
                    CommentOut(s, f.Message);
                    break;
                case ConfigFix.Roles:
                    CommentOut(s, f.Message);
                    Append("node.roles", f.Replacement!);
                    break;
                case ConfigFix.Rename:
                    var line = lines[s.Line - 1];
                    var at = s.Column - 1;
                    if (!appendedKeys.Add(f.Replacement!))
                    {
                        // Two old names of one new setting (network.tcp.connect_timeout and transport.tcp.connect_timeout): the first wins.
                        CommentOut(s, f.Message + $" [{f.Replacement}] is already written from another old name.");
                    }
                    else if (s.IsFlat && s.ParentLines.Count == 0 && at < line.Length && line.Substring(at).StartsWith(s.WrittenKey, StringComparison.Ordinal))
                    {
                        Note(s.Line, Mark + f.Message);
                        replaced[s.Line] = line.Substring(0, at) + f.Replacement + line.Substring(at + s.WrittenKey.Length);
                    }
                    else
                    {
                        CommentOut(s, f.Message);
                        appended.Add(f.Replacement + ": " + YamlValue(s));
                    }
                    break;
            }
            fixedOnes.Add(f);
        }

        // A nested map whose every setting was commented out goes too ("node:" with nothing under it).
        foreach (var parent in settings.SelectMany(s => s.ParentLines).Distinct().OrderByDescending(p => p))
            if (settings.Where(s => s.ParentLines.Contains(parent)).All(s => commented.Contains(s.Line)))
                commented.Add(parent);

        // New settings go at the end of the (first) document: before a "..." document end marker, if there is one.
        var end = lines.FindIndex(l => l.TrimEnd() == "...");
        var appendAfter = end < 0 ? lines.Count : end;
        var output = new StringBuilder();
        for (var i = 1; i <= lines.Count; i++)
        {
            if (i == appendAfter + 1) AppendBlock();
            if (notes.TryGetValue(i, out var list))
                foreach (var n in list) output.Append(n).Append(newline);
            var line = replaced.TryGetValue(i, out var r) ? r : lines[i - 1];
            output.Append(commented.Contains(i) ? "# " + line : line).Append(newline);
        }
        if (appendAfter == lines.Count) AppendBlock();
        void AppendBlock()
        {
            if (appended.Count == 0) return;
            output.Append(newline).Append("# Added by EsUpgrade (Convert-EsNodeConfiguration) for Elasticsearch 8.x:").Append(newline);
            foreach (var a in appended) output.Append(a).Append(newline);
        }
        var result = output.ToString();
        // What we write must read back, and as Elasticsearch reads it: no flat name twice (a nested and a flat transport.port).
        var duplicate = YamlSettings.Parse(result, file + " (converted)").GroupBy(x => x.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidNodeConfiguration,
                $"{file}: the 8.x form would set [{duplicate.Key}] twice; the file is left as it is. Write that setting by hand.", file);
        return (result, fixedOnes, unresolved);
    }

    public static (string Text, IReadOnlyList<NodeConfigFinding> Fixed, IReadOnlyList<NodeConfigFinding> Unresolved) ConvertJvmOptions(string text, string file, bool isRootFile)
    {
        var findings = JvmOptionRules.Check(text, file, isRootFile).ToList();
        var newline = text.Contains("\r\n") ? "\r\n" : "\n";
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        var trailing = lines.Count > 0 && lines[lines.Count - 1].Length == 0;
        if (trailing) lines.RemoveAt(lines.Count - 1);
        var output = new StringBuilder();
        for (var i = 1; i <= lines.Count; i++)
        {
            var f = findings.FirstOrDefault(x => x.Line == i && x.Fix != ConfigFix.None);
            if (f is null) { output.Append(lines[i - 1]).Append(newline); continue; }
            output.Append(Mark).Append(f.Message).Append(newline);
            output.Append(f.Fix == ConfigFix.PrefixOldJdk ? f.Replacement : "# " + lines[i - 1]).Append(newline);
        }
        return (output.ToString(), findings.Where(f => f.Fix != ConfigFix.None).ToList(), findings.Where(f => f.Fix == ConfigFix.None).ToList());
    }

    /// <summary>
    /// Converts the files <paramref name="path"/> names into <paramref name="destination"/> (a file for a file, a folder
    /// for a config folder). An existing destination, or the input itself, is overwritten only with <paramref name="force"/>;
    /// <paramref name="write"/> false computes without writing (-WhatIf).
    /// </summary>
    public static IReadOnlyList<NodeConfigConversion> Convert(string path, string destination, bool force, Func<string, bool> write) =>
        Files.Guard(destination, () => ConvertFiles(path, destination, force, write));

    static IReadOnlyList<NodeConfigConversion> ConvertFiles(string path, string destination, bool force, Func<string, bool> write)
    {
        var files = NodeConfigLinter.Locate(path);
        var jobs = new List<(string Source, string Target, Func<string, (string, IReadOnlyList<NodeConfigFinding>, IReadOnlyList<NodeConfigFinding>)> Convert)>();
        string Target(string source) => files.IsFolder ? Path.Combine(destination, MakeRelative(path, source)) : destination;
        if (files.ElasticsearchYml is string yml)
        {
            NodeConfigLinter.ReadYaml(yml);    // an empty or invalid file stops here, with its own error
            jobs.Add((yml, Target(yml), t => ConvertYaml(t, yml)));
        }
        if (files.RootJvmOptions is string root) jobs.Add((root, Target(root), t => ConvertJvmOptions(t, root, isRootFile: true)));
        foreach (var d in files.JvmOptionsD) jobs.Add((d, Target(d), t => ConvertJvmOptions(t, d, isRootFile: false)));
        if (!files.IsFolder && Directory.Exists(destination))
            jobs = jobs.Select(j => (j.Source, Path.Combine(destination, Path.GetFileName(j.Source)), j.Convert)).ToList();

        foreach (var (source, target, _) in jobs)
            if (!force && File.Exists(target))
                throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.DestinationExists,
                    SamePath(source, target)
                        ? $"'{target}' is the input itself: give another -Destination, or -Force to rewrite it in place."
                        : $"'{target}' exists: give another -Destination, or -Force to overwrite it.", target);

        var results = new List<NodeConfigConversion>();
        foreach (var (source, target, convert) in jobs)
        {
            var (text, fixedOnes, unresolved) = convert(Files.Guard(source, () => File.ReadAllText(source)));
            var written = write(target);
            if (written)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
                File.WriteAllText(target, text, new UTF8Encoding(false));
            }
            results.Add(new NodeConfigConversion { Source = source, Destination = target, Fixed = fixedOnes, Unresolved = unresolved, Written = written });
        }
        return results;
    }

    static string MakeRelative(string folder, string file) =>
        Path.GetFullPath(file).Substring(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Length + 1);

    static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    static readonly Regex Plain = new Regex(@"^[A-Za-z0-9_./$][A-Za-z0-9_./${}@:, -]*$", RegexOptions.Compiled);

    /// <summary>A value written back as YAML: plain when that reads back the same, else double-quoted.</summary>
    static string YamlValue(YamlSetting s) =>
        s.Items is null ? Scalar(s.Value ?? "") : "[ " + string.Join(", ", s.Items.Select(Scalar)) + " ]";

    static string Scalar(string v) =>
        Plain.IsMatch(v) && !v.Contains(": ") && !v.Contains(",") && !v.EndsWith(":", StringComparison.Ordinal) ? v
            : "\"" + v.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
