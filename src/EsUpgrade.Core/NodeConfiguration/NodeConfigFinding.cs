using EsUpgrade.Assessment;

namespace EsUpgrade.NodeConfiguration;

/// <summary>What Convert-EsNodeConfiguration does about a finding.</summary>
public enum ConfigFix
{
    /// <summary>Nothing: the admin decides (a value only they know, a secret for the keystore).</summary>
    None,
    /// <summary>The line is commented out, with the reason.</summary>
    CommentOut,
    /// <summary>The setting is written under its 8.x name, value as it was.</summary>
    Rename,
    /// <summary>The legacy role settings become one node.roles list.</summary>
    Roles,
    /// <summary>A JVM option is given the version prefix that makes JDK 17 and later skip it.</summary>
    PrefixOldJdk,
}

/// <summary>One thing in a node's configuration files that an 8.x node refuses, reads differently, or warns about.</summary>
public sealed class NodeConfigFinding
{
    public string File { get; internal set; } = "";
    /// <summary>1-based line of the setting or option.</summary>
    public int Line { get; internal set; }
    /// <summary>The setting's flat name, or the JVM option.</summary>
    public string Setting { get; internal set; } = "";
    /// <summary>The value as written; secrets are never shown.</summary>
    public string? Value { get; internal set; }
    public DeprecationLevel Level { get; internal set; }
    /// <summary>The rule's stable name, e.g. <c>LegacyRoleSetting</c>, <c>RenamedSetting</c>, <c>JvmOptionRejected</c>.</summary>
    public string Rule { get; internal set; } = "";
    public string Message { get; internal set; } = "";
    /// <summary>What to write instead, when there is something: <c>node.roles: [master, data]</c>, <c>http.tcp.no_delay</c>.</summary>
    public string? Replacement { get; internal set; }
    public string Url { get; internal set; } = "";
    public ConfigFix Fix { get; internal set; }
    public override string ToString() => $"{File}:{Line} {Level} {Setting}: {Message}";
}
