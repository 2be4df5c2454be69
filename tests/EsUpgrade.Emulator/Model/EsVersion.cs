using System.Security.Cryptography;
using System.Text;

namespace EsUpgrade.Emulator.Model;

/// <summary>
/// Everything that differs between the Elasticsearch versions the emulator plays, in one place.
/// </summary>
public sealed record VersionProfile(string Number)
{
    public Version Version { get; } = System.Version.Parse(Number.Split('-')[0]);
    public int Major => Version.Major;
    public bool Is8 => Major >= 8;

    /// <summary>Real hashes where a capture shows them (es-api/BEHAVIOUR.md §10, examples); otherwise a stable stand-in.</summary>
    public string BuildHash => Number switch
    {
        "7.17.27" => "0f88dde84795b30ca0d2c0c4796643ec5938aeb5",
        "7.17.14" => "774e3bfa4d52e2834e4d9d8d669d77e4e5c1017f",
        "7.17.10" => "fecd68e3150eda0c307ab9a9d7557f5d5fd71349",
        "8.17.0" => "2b6a7fed44faa321997703718f07ee0420804b41",
        _ => Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes("es-" + Number))).ToLowerInvariant(),
    };

    public string LuceneVersion => Major switch
    {
        7 => Version.Build >= 27 ? "8.11.3" : "8.11.1",
        8 when Version.Minor >= 17 => "9.12.0",
        8 when Version.Minor >= 12 => "9.9.2",
        8 => "9.4.2",
        _ => "10.2.2",
    };

    public string MinimumWireCompatibilityVersion => Major == 7 ? "6.8.0" : "7.17.0";
    public string MinimumIndexCompatibilityVersion => Major == 7 ? "6.0.0-beta1" : "7.0.0";
    /// <summary>Oldest index-created major a node of this version can open.</summary>
    public int OldestReadableIndexMajor => Major - 1;

    /// <summary>8.x nodes (8.11+) report transport/index versions in _nodes.</summary>
    public bool ReportsTransportVersion => Is8 && Version.Minor >= 11;

    /// <summary>compatible-with values the node accepts. 7.17 strips any value and answers as 7.x (SOURCES.md §3).</summary>
    public bool AcceptsCompatibleWith(int n) => Major == 7 || n == 7 || n == 8;

    /// <summary>PR #110906: a comma between realm and charset from 8.15 on.</summary>
    public string BasicChallenge => Version >= new Version(8, 15)
        ? "Basic realm=\"security\", charset=\"UTF-8\""
        : "Basic realm=\"security\" charset=\"UTF-8\"";

    /// <summary>A 7.17 node without security sends this Warning on every response (BEHAVIOUR.md §10).</summary>
    public string? SecurityOffWarning => Major == 7
        ? $"299 Elasticsearch-{Number}-{BuildHash} \"Elasticsearch built-in security features are not enabled. Without authentication, your cluster could be accessible to anyone. See https://www.elastic.co/guide/en/elasticsearch/reference/7.17/security-minimal-setup.html to enable security.\""
        : null;

    /// <summary>8.x health has unassigned_primary_shards (late 8.x; first version not verified, taken as 8.16).</summary>
    public bool HealthHasUnassignedPrimaries => Is8 && Version.Minor >= 16;

    /// <summary>
    /// allocate_explanation of the explain API for an unassigned copy, by its can_allocate: 7.17 and 8.0–8.1 word
    /// it as AllocateUnassignedDecision did, 8.2+ as Explanations.java (BEHAVIOUR.md §2d).
    /// </summary>
    public string AllocateExplanation(string canAllocate, string delay) => (Version >= new Version(8, 2), canAllocate) switch
    {
        (false, "yes") => "can allocate the shard",
        (false, "throttled") => "allocation temporarily throttled",
        (false, "awaiting_info") => "cannot allocate because information about existing shard data is still being retrieved from some of the nodes",
        (false, "allocation_delayed") => $"cannot allocate because the cluster is still waiting {delay} for the departed node holding a replica to rejoin",
        (false, _) => "cannot allocate because allocation is not permitted to any of the nodes",
        (true, "yes") => "Elasticsearch can allocate the shard.",
        (true, "throttled") => "Elasticsearch is currently busy with other activities. It expects to be able to allocate this shard when those activities finish. Please wait.",
        (true, "awaiting_info") => "Elasticsearch is retrieving information about this shard from one or more nodes. It will make an allocation decision after it receives this information. Please wait.",
        (true, "allocation_delayed") => $"The node containing this shard copy recently left the cluster. Elasticsearch is waiting for it to return. If the node does not return within [{delay}] then Elasticsearch will allocate this shard to another node. Please wait.",
        (true, _) => "Elasticsearch isn't allowed to allocate this shard to any of the nodes in the cluster. Choose a node to which you expect this shard to be allocated, find this node in the node-by-node explanation, and address the reasons which prevent Elasticsearch from allocating this shard there.",
    };

    public override string ToString() => Number;
}
