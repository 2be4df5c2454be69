using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using EsUpgrade.Assessment;

namespace EsUpgrade.NodeConfiguration;

/// <summary>
/// jvm.options and jvm.options.d/*.options against the JDK 8.x bundles (17 or later; BEHAVIOUR-ASSESS.md §6).
/// A line is <c>-Xmx2g</c>, or with the JDK versions it applies to: <c>8:</c>, <c>8-13:</c>, <c>14-:</c>.
/// </summary>
public static class JvmOptionRules
{
    /// <summary>The oldest JDK an 8.x node runs on (8.0 bundles 17.0.2; JAVA_HOME is ignored).</summary>
    public const int Jdk = 17;
    const string Url = "https://www.elastic.co/guide/en/elasticsearch/reference/8.19/advanced-configuration.html#set-jvm-options";

    /// <summary>Options JDK 17 does not know: the JVM prints <c>Unrecognized VM option</c> and the node does not start.</summary>
    /// <summary>Each with the version prefix that keeps it for the JDKs that still know it.</summary>
    static readonly (string Option, string Why, string Prefix)[] Rejected =
    {
        ("UseConcMarkSweepGC", "the CMS collector was removed in JDK 14", "8-13:"),
        ("CMSInitiatingOccupancyFraction", "the CMS collector was removed in JDK 14", "8-13:"),
        ("UseCMSInitiatingOccupancyOnly", "the CMS collector was removed in JDK 14", "8-13:"),
        ("UseParNewGC", "the ParNew collector was removed in JDK 10", "8-9:"),
        ("PrintGCDateStamps", "JDK 9 replaced the GC logging flags by -Xlog:gc*", "8:"),
        ("PrintGCTimeStamps", "JDK 9 replaced the GC logging flags by -Xlog:gc*", "8:"),
        ("PrintGCApplicationStoppedTime", "JDK 9 replaced the GC logging flags by -Xlog:gc*", "8:"),
        ("PrintTenuringDistribution", "JDK 9 replaced the GC logging flags by -Xlog:gc*", "8:"),
        ("PrintAdaptiveSizePolicy", "JDK 9 replaced the GC logging flags by -Xlog:gc*", "8:"),
        ("PrintHeapAtGC", "JDK 9 replaced the GC logging flags by -Xlog:gc*", "8:"),
        ("UseGCLogFileRotation", "JDK 9 replaced the GC logging flags by -Xlog:gc*", "8:"),
        ("NumberOfGCLogFiles", "JDK 9 replaced the GC logging flags by -Xlog:gc*", "8:"),
        ("GCLogFileSize", "JDK 9 replaced the GC logging flags by -Xlog:gc*", "8:"),
    };

    /// <summary>System properties 8.0 refuses at start.</summary>
    static readonly string[] RemovedProperties =
        { "es.disk.auto_release_flood_stage_block", "es.rest.url_plus_as_space", "es.unsafely_permit_handshake_from_incompatible_builds" };

    static readonly Regex Line = new Regex(@"^(?:(?<from>\d+)(?<range>-(?<to>\d+)?)?:)?(?<option>-.*)$", RegexOptions.Compiled);
    static readonly Regex XxFlag = new Regex(@"^-XX:[+-]?(?<name>[A-Za-z0-9_]+)", RegexOptions.Compiled);

    /// <summary>The findings of one options file; <paramref name="isRootFile"/> for config/jvm.options itself.</summary>
    public static IEnumerable<NodeConfigFinding> Check(string text, string file, bool isRootFile)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i].TrimEnd();
            if (raw.Trim().Length == 0 || raw.TrimStart().StartsWith("#", StringComparison.Ordinal)) continue;
            var m = Line.Match(raw);
            var secret = SettingRules.IsSecret(raw);
            NodeConfigFinding Finding(string option, DeprecationLevel level, string rule, string message, ConfigFix fix, string? replacement = null) => new NodeConfigFinding
            {
                File = file, Line = i + 1, Setting = secret ? option.Split('=')[0] : option, Value = secret ? "(secret)" : raw,
                Level = level, Rule = rule, Message = message, Url = Url, Fix = fix, Replacement = secret ? null : replacement,
            };
            // The launcher reads a line as it is: leading blanks, or a version prefix past any JDK, make it unreadable.
            if (!m.Success || !Fits(m.Groups["from"]) || !Fits(m.Groups["to"]))
            {
                yield return Finding(raw, DeprecationLevel.Critical, "JvmOptionUnreadable",
                    "Not a JVM option line (an option starts with '-' at the start of the line, optionally after a JDK version prefix such as '17-:'): the launcher stops at it.", ConfigFix.None);
                continue;
            }
            if (!AppliesTo(m, Jdk)) continue;
            var option = m.Groups["option"].Value;
            var prefixed = m.Groups["from"].Success;
            if (XxFlag.Match(option) is { Success: true } xx && Rejected.FirstOrDefault(r => r.Option == xx.Groups["name"].Value) is { Option: not null } rejected)
            {
                yield return Finding(option, DeprecationLevel.Critical, "JvmOptionRejected",
                    $"JDK {Jdk} and later refuse [{option}] ({rejected.Why}): \"Unrecognized VM option '{xx.Groups["name"].Value}'\" and the node does not start. Give it the prefix {rejected.Prefix} to keep it for an older JDK only, or delete it.",
                    prefixed ? ConfigFix.CommentOut : ConfigFix.PrefixOldJdk, rejected.Prefix + option);
                continue;
            }
            if (option.StartsWith("-XX:+PrintGCDetails", StringComparison.Ordinal) || option.StartsWith("-Xloggc:", StringComparison.Ordinal))
            {
                yield return Finding(option, DeprecationLevel.Warning, "JvmOptionDeprecated",
                    $"JDK {Jdk} accepts [{option}] with a warning and maps it to unified logging; write -Xlog:gc* instead (the stock jvm.options has the form).", ConfigFix.PrefixOldJdk, "8:" + option);
                continue;
            }
            var property = RemovedProperties.FirstOrDefault(p => option.StartsWith("-D" + p + "=", StringComparison.Ordinal) || option == "-D" + p);
            if (property != null)
            {
                yield return Finding(option, DeprecationLevel.Critical, "SystemPropertyRemoved",
                    $"8.0 refuses to start with the system property [{property}] set.", ConfigFix.CommentOut);
                continue;
            }
            if (isRootFile && (option.StartsWith("-Xms", StringComparison.Ordinal) || option.StartsWith("-Xmx", StringComparison.Ordinal)))
                yield return Finding(option, DeprecationLevel.Warning, "HeapInRootJvmOptions",
                    $"The heap is set in jvm.options itself, which the 8.x package replaces (\"DO NOT EDIT THIS FILE\"): the node would start with the default heap. Put [{option}] in jvm.options.d/heap.options.", ConfigFix.None);
        }
    }

    static bool Fits(Group g) => !g.Success || int.TryParse(g.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>
    /// Whether a line reaches a JDK of version <paramref name="jdk"/> or later (the node's exact JDK is not known
    /// offline): no prefix, <c>N:</c> with N at least that, <c>N-M:</c> with M at least that, any <c>N-:</c>.
    /// </summary>
    static bool AppliesTo(Match m, int jdk)
    {
        if (!m.Groups["from"].Success) return true;
        if (!m.Groups["range"].Success) return int.Parse(m.Groups["from"].Value, System.Globalization.CultureInfo.InvariantCulture) >= jdk;
        if (!m.Groups["to"].Success) return true;
        return int.Parse(m.Groups["to"].Value, System.Globalization.CultureInfo.InvariantCulture) >= jdk;
    }
}
