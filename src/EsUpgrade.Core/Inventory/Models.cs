using System;
using System.Collections.Generic;
using System.Linq;
using EsUpgrade.Connections;
using EsUpgrade.Health;

namespace EsUpgrade.Inventory;

/// <summary>One cluster at a glance (<c>Get-EsCluster</c>).</summary>
public sealed class EsCluster
{
    public EsConnection Connection { get; internal set; } = null!;
    public string Name { get; internal set; } = "";
    public string Uuid { get; internal set; } = "";
    public HealthStatus Status { get; internal set; }
    public int NumberOfNodes { get; internal set; }
    public int NumberOfDataNodes { get; internal set; }
    public int NumberOfMasterEligibleNodes { get; internal set; }
    public Version MinimumVersion { get; internal set; } = new Version(0, 0, 0);
    public Version MaximumVersion { get; internal set; } = new Version(0, 0, 0);
    /// <summary>Each version present, with how many nodes run it, e.g. "7.17.27 (2)".</summary>
    public IReadOnlyList<string> Versions { get; internal set; } = Array.Empty<string>();
    public string? ElectedMaster { get; internal set; }
    public bool IsMixedVersion => MinimumVersion != MaximumVersion;
    public override string ToString() => Name;
}

/// <summary>One node (<c>Get-EsNode</c>).</summary>
public sealed class EsNode
{
    public EsConnection Connection { get; internal set; } = null!;
    public string Name { get; internal set; } = "";
    public string Id { get; internal set; } = "";
    public Version Version { get; internal set; } = new Version(0, 0, 0);
    public string VersionNumber { get; internal set; } = "";
    public IReadOnlyList<string> Roles { get; internal set; } = Array.Empty<string>();
    /// <summary>The data tiers this node holds (hot, warm, cold, frozen, content), or "all" for the legacy data role; empty when it holds no data.</summary>
    public IReadOnlyList<string> DataTiers { get; internal set; } = Array.Empty<string>();
    public string? Host { get; internal set; }
    public string? Ip { get; internal set; }
    public string? HttpAddress { get; internal set; }
    public string? TransportAddress { get; internal set; }
    public bool IsMasterEligible { get; internal set; }
    public bool IsElectedMaster { get; internal set; }
    public bool IsDataNode => DataTiers.Count > 0;
    /// <summary>The roles in Elasticsearch's letters, sorted, as <c>_cat/nodes</c> prints them (<c>dim</c>, <c>hs</c>; <c>-</c> for none).</summary>
    public string RoleLetters => Roles.Count == 0 ? "-" : new string(Roles.Select(RoleLetter).Where(c => c != ' ').OrderBy(c => c).ToArray());

    static char RoleLetter(string role) => role switch
    {
        "data" => 'd', "data_cold" => 'c', "data_content" => 's', "data_frozen" => 'f', "data_hot" => 'h', "data_warm" => 'w',
        "ingest" => 'i', "ml" => 'l', "master" => 'm', "remote_cluster_client" => 'r', "transform" => 't', "voting_only" => 'v',
        _ => ' ',
    };
    public IReadOnlyList<string> Plugins { get; internal set; } = Array.Empty<string>();
    public IReadOnlyDictionary<string, string> Attributes { get; internal set; } = new Dictionary<string, string>();
    public override string ToString() => Name;
}
