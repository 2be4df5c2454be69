using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EsUpgrade.Assessment;
using EsUpgrade.Errors;

namespace EsUpgrade.NodeConfiguration;

/// <summary>The configuration files of one node, as found from a path: elasticsearch.yml, jvm.options, jvm.options.d/*.</summary>
public sealed class NodeConfigFiles
{
    public string? ElasticsearchYml { get; internal set; }
    public string? RootJvmOptions { get; internal set; }
    public IReadOnlyList<string> JvmOptionsD { get; internal set; } = Array.Empty<string>();
    /// <summary>Files in jvm.options.d that the launcher ignores (not named *.options).</summary>
    public IReadOnlyList<string> Ignored { get; internal set; } = Array.Empty<string>();
    public bool IsFolder { get; internal set; }
}

/// <summary>Offline checks of a node's configuration for 8.x: no cluster needed, nothing changed.</summary>
public static class NodeConfigLinter
{
    /// <summary>
    /// The files a path names: an elasticsearch.yml (or any .yml), a jvm.options or *.options file, or a config folder,
    /// which must hold elasticsearch.yml.
    /// </summary>
    public static NodeConfigFiles Locate(string path) => Files.Guard(path, () => LocateFiles(path));

    static NodeConfigFiles LocateFiles(string path)
    {
        if (Directory.Exists(path))
        {
            var yml = Path.Combine(path, "elasticsearch.yml");
            Directory.GetFiles(path);    // a folder this user may not list says so, rather than "no elasticsearch.yml"
            if (!File.Exists(yml))
                throw new EsException(EsErrorKind.NotFound, ErrorIds.NodeConfigurationNotFound,
                    $"The folder '{path}' holds no elasticsearch.yml: give a node's config folder (config/, /etc/elasticsearch, C:\\ProgramData\\Elastic\\Elasticsearch\\config) or the file itself.", path);
            var root = Path.Combine(path, "jvm.options");
            var d = Path.Combine(path, "jvm.options.d");
            var inD = Directory.Exists(d) ? Directory.GetFiles(d).OrderBy(f => f, StringComparer.Ordinal).ToList() : new List<string>();
            return new NodeConfigFiles
            {
                IsFolder = true,
                ElasticsearchYml = yml,
                RootJvmOptions = File.Exists(root) ? root : null,
                // The launcher reads *.options in lexicographic order and skips everything else.
                JvmOptionsD = inD.Where(f => f.EndsWith(".options", StringComparison.Ordinal)).ToList(),
                Ignored = inD.Where(f => !f.EndsWith(".options", StringComparison.Ordinal)).ToList(),
            };
        }
        if (!File.Exists(path))
            throw new EsException(EsErrorKind.NotFound, ErrorIds.NodeConfigurationNotFound, $"There is no file or folder '{path}'.", path);
        var name = Path.GetFileName(path);
        if (name == "jvm.options") return new NodeConfigFiles { RootJvmOptions = path };
        if (name.EndsWith(".options", StringComparison.Ordinal)) return new NodeConfigFiles { JvmOptionsD = new[] { path } };
        return new NodeConfigFiles { ElasticsearchYml = path };
    }

    /// <summary>Every finding for the files a path names, by file and line.</summary>
    public static IReadOnlyList<NodeConfigFinding> Check(string path) => Files.Guard(path, () => CheckFiles(path));

    static IReadOnlyList<NodeConfigFinding> CheckFiles(string path)
    {
        var files = Locate(path);
        var findings = new List<NodeConfigFinding>();
        if (files.ElasticsearchYml is string yml)
            findings.AddRange(SettingRules.Check(ReadYaml(yml), yml));
        if (files.RootJvmOptions is string root)
            findings.AddRange(JvmOptionRules.Check(File.ReadAllText(root), root, isRootFile: true));
        foreach (var f in files.JvmOptionsD)
            findings.AddRange(JvmOptionRules.Check(File.ReadAllText(f), f, isRootFile: false));
        findings.AddRange(files.Ignored.Select(f => new NodeConfigFinding
        {
            File = f, Line = 0, Setting = Path.GetFileName(f), Level = DeprecationLevel.Warning, Rule = "JvmOptionsFileIgnored",
            Message = "Files in jvm.options.d are read only when their name ends in .options: this one is ignored.",
            Url = "https://www.elastic.co/guide/en/elasticsearch/reference/8.19/advanced-configuration.html#set-jvm-options",
        }));
        return findings.OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ToList();
    }

    /// <summary>Parses elasticsearch.yml; an empty file is an error of its own (a node's real file is never empty: the wrong file?).</summary>
    public static IReadOnlyList<YamlSetting> ReadYaml(string file)
    {
        var text = Files.Guard(file, () => File.ReadAllText(file));
        var settings = YamlSettings.Parse(text, file);
        if (settings.Count == 0)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.EmptyNodeConfiguration,
                $"'{file}' sets nothing (it is empty or all comments): a node started with it would run on defaults alone, which no upgraded cluster node does. Is it the right file?", file);
        return settings;
    }
}
