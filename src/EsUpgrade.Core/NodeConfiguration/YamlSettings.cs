using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EsUpgrade.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EsUpgrade.NodeConfiguration;

/// <summary>One setting of elasticsearch.yml: its flat name, its value as written, and where it stands in the file.</summary>
public sealed class YamlSetting
{
    /// <summary>The flat name (<c>node.master</c>), whether the file writes it flat or nested.</summary>
    public string Key { get; internal set; } = "";
    /// <summary>A scalar's text (placeholders such as <c>${HOSTNAME}</c> kept), or null for a list.</summary>
    public string? Value { get; internal set; }
    /// <summary>A list's items, or null for a scalar.</summary>
    public IReadOnlyList<string>? Items { get; internal set; }
    /// <summary>1-based line and column of the key.</summary>
    public int Line { get; internal set; }
    public int Column { get; internal set; }
    /// <summary>The last line of the value (a block list spans lines).</summary>
    public int EndLine { get; internal set; }
    /// <summary>The key as written on its line: the whole flat name, or the last part of a nested one.</summary>
    public string WrittenKey { get; internal set; } = "";
    /// <summary>The lines of the nested mappings that hold it (<c>node:</c> for <c>node.master</c> written nested), outermost first.</summary>
    public IReadOnlyList<int> ParentLines { get; internal set; } = Array.Empty<int>();
    public bool IsFlat => WrittenKey == Key;
    public string DisplayValue => Items is null ? Value ?? "" : "[" + string.Join(", ", Items) + "]";
}

/// <summary>elasticsearch.yml read as Elasticsearch reads it: nested maps joined with dots, lists kept, every key with its line.</summary>
public static class YamlSettings
{
    public static IReadOnlyList<YamlSetting> Parse(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw Invalid(file, ex.Start.Line, ex.Start.Column, ex.InnerException?.Message ?? ex.Message);
        }
        catch (ArgumentException ex)
        {
            // YamlMappingNode refuses a key written twice; Elasticsearch refuses it too.
            throw Invalid(file, 0, 0, ex.Message);
        }
        var result = new List<YamlSetting>();
        if (stream.Documents.Count == 0) return result;
        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode s && string.IsNullOrEmpty(s.Value)) return result;
        if (root is not YamlMappingNode map)
            throw Invalid(file, root.Start.Line, root.Start.Column, "the file is not a map of settings (key: value lines)");
        Walk(map, "", new List<int>(), result, file);
        return result;
    }

    static void Walk(YamlMappingNode map, string prefix, List<int> parents, List<YamlSetting> result, string file)
    {
        foreach (var pair in map.Children)
        {
            var key = (pair.Key as YamlScalarNode)?.Value
                ?? throw Invalid(file, pair.Key.Start.Line, pair.Key.Start.Column, "a setting's name must be plain text");
            var flat = prefix + key;
            switch (pair.Value)
            {
                case YamlMappingNode child:
                    Walk(child, flat + ".", new List<int>(parents) { (int)pair.Key.Start.Line }, result, file);
                    break;
                case YamlSequenceNode list:
                    result.Add(new YamlSetting
                    {
                        Key = flat, WrittenKey = key, Line = (int)pair.Key.Start.Line, Column = (int)pair.Key.Start.Column,
                        Items = list.Children.Select(i => (i as YamlScalarNode)?.Value ?? i.ToString()).ToList(),
                        EndLine = LastLine(list), ParentLines = parents.ToList(),
                    });
                    break;
                default:
                    result.Add(new YamlSetting
                    {
                        Key = flat, WrittenKey = key, Line = (int)pair.Key.Start.Line, Column = (int)pair.Key.Start.Column,
                        Value = (pair.Value as YamlScalarNode)?.Value ?? "",
                        EndLine = Math.Max((int)pair.Key.Start.Line, LastLine(pair.Value)), ParentLines = parents.ToList(),
                    });
                    break;
            }
        }
    }

    /// <summary>A block node's end mark sits at the start of the line after it.</summary>
    static int LastLine(YamlNode node) => node switch
    {
        YamlSequenceNode list when list.Children.Count > 0 => list.Children.Max(LastLine),
        YamlMappingNode map when map.Children.Count > 0 => map.Children.Max(c => LastLine(c.Value)),
        _ => node.End.Column == 1 && node.End.Line > node.Start.Line ? (int)node.End.Line - 1 : (int)node.End.Line,
    };

    static EsException Invalid(string file, long line, long column, string why) =>
        new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidNodeConfiguration,
            line > 0 ? $"{file} is not valid YAML at line {line}, column {column}: {why}" : $"{file} is not valid YAML: {why}", file);
}
