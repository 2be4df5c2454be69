using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.Assessment;

/// <summary>
/// The clients each node has seen, from <c>_nodes/stats/http</c> (7.13+), and whether each works with 8.x
/// (BEHAVIOUR-ASSESS.md §8): Beats and Logstash only from 7.17; 7.x language clients only in compatibility mode,
/// which their 7.13+ releases can send; Kibana 7.17 keeps running against 8.x until it is upgraded after the cluster.
/// </summary>
public static class ClientReader
{
    enum Kind { LanguageClient, Shipper, Kibana, Self, Tool }

    static readonly (Regex Pattern, string Product, Kind Kind)[] Agents =
    {
        (new Regex(@"^EsUpgrade/(?<v>[\d.]+)"), "EsUpgrade", Kind.Self),
        (new Regex(@"^kibana$", RegexOptions.IgnoreCase), "Kibana", Kind.Kibana),
        (new Regex(@"^Kibana/(?<v>\d+\.\d+\.\d+)"), "Kibana", Kind.Kibana),
        (new Regex(@"elasticsearch-net/(?<v>\d+\.\d+\.\d+)"), ".NET client", Kind.LanguageClient),
        (new Regex(@"elasticsearch-java/(?<v>\d+\.\d+\.\d+)"), "Java client", Kind.LanguageClient),
        (new Regex(@"elasticsearch-py/(?<v>\d+\.\d+\.\d+)"), "Python client", Kind.LanguageClient),
        (new Regex(@"elasticsearch-js/(?<v>\d+\.\d+\.\d+)"), "JavaScript client", Kind.LanguageClient),
        (new Regex(@"go-elasticsearch/(?<v>\d+\.\d+\.\d+)"), "Go client", Kind.LanguageClient),
        (new Regex(@"elasticsearch-ruby/(?<v>\d+\.\d+\.\d+)"), "Ruby client", Kind.LanguageClient),
        (new Regex(@"elasticsearch-php/(?<v>\d+\.\d+\.\d+)"), "PHP client", Kind.LanguageClient),
        (new Regex(@"(?:Elastic-)?(?<p>(?:File|Metric|Heart|Packet|Audit|Winlog|Function|Journal)beat)/(?<v>\d+\.\d+\.\d+)", RegexOptions.IgnoreCase), "", Kind.Shipper),
        (new Regex(@"[Ll]ogstash/(?<v>\d+\.\d+\.\d+)"), "Logstash", Kind.Shipper),
        (new Regex(@"Elastic-Agent/(?<v>\d+\.\d+\.\d+)", RegexOptions.IgnoreCase), "Elastic Agent", Kind.Shipper),
        (new Regex(@"^(?<p>logstash|beats|fleet|cloud|ml|security|observability|enterprise-search)$"), "", Kind.Shipper),
    };

    /// <summary>What an agent string is and whether it works with a cluster on <paramref name="targetMajor"/>.</summary>
    public static (string Product, string? Version, ClientCompatibility Compatibility, string Reason) Classify(string? agent, int targetMajor)
    {
        foreach (var (pattern, product, kind) in Agents)
        {
            var m = pattern.Match(agent ?? "");
            if (!m.Success) continue;
            var name = product.Length > 0 ? product : Capitalize(m.Groups["p"].Value);
            var version = m.Groups["v"].Success ? m.Groups["v"].Value : null;
            var (compatibility, reason) = Judge(kind, name, version, targetMajor);
            return (name, version, compatibility, reason);
        }
        return (string.IsNullOrEmpty(agent) ? "(no user agent)" : agent!.Split(' ', '/')[0], null, ClientCompatibility.Unknown,
            "Not a client EsUpgrade recognises (a script, curl, a browser, a third-party library): check the APIs it calls against the 8.0 breaking changes, or ask its X-Opaque-Id owner.");
    }

    static (ClientCompatibility, string) Judge(Kind kind, string product, string? version, int targetMajor)
    {
        var v = Version.TryParse(version ?? "", out var parsed) ? parsed : null;
        switch (kind)
        {
            case Kind.Self:
                return (ClientCompatibility.Compatible, "EsUpgrade reads 7.17 and 8.x answers alike.");
            case Kind.Kibana when v != null && v.Major != targetMajor && !(v.Major == targetMajor - 1 && v.Minor == LastMinor(v.Major)):
                return (ClientCompatibility.Incompatible, $"Kibana {version} refuses an Elasticsearch of another major: only Kibana {targetMajor - 1}.{LastMinor(targetMajor - 1)} keeps running during the upgrade. Upgrade Kibana to it first.");
            case Kind.Kibana:
                return (ClientCompatibility.Compatible, "Kibana 7.17 accepts Elasticsearch 8.x during the upgrade (elastic/kibana #122627); upgrade Kibana right after the cluster, before any other client.");
            case Kind.Shipper when v is null:
                return (ClientCompatibility.Unknown, $"{product} sent no version: {product} 7.17 works with 8.x, older 7.x does not.");
            case Kind.Shipper when v.Major >= targetMajor:
                return (ClientCompatibility.Compatible, $"{product} {version} matches the target major.");
            case Kind.Shipper when v.Major == targetMajor - 1 && v.Minor == LastMinor(v.Major):
                return (ClientCompatibility.Compatible, $"{product} {v.Major}.{v.Minor} is compatible with Elasticsearch {targetMajor}.x, so it can be upgraded after the cluster.");
            case Kind.Shipper:
                return (ClientCompatibility.Incompatible, $"{product} {version} does not work with Elasticsearch {targetMajor}.x: only {targetMajor - 1}.{LastMinor(targetMajor - 1)} does. Upgrade it to {targetMajor - 1}.{LastMinor(targetMajor - 1)} before the cluster.");
            case Kind.LanguageClient when v is null:
                return (ClientCompatibility.Unknown, "No client version in the agent.");
            case Kind.LanguageClient when v.Major >= targetMajor:
                return (ClientCompatibility.Compatible, $"A {targetMajor}.x client.");
            case Kind.LanguageClient when v.Major == targetMajor - 1 && v >= new Version(v.Major, 13):
                return (ClientCompatibility.CompatibilityMode, $"A {version} client works with {targetMajor}.x only in REST API compatibility mode (ELASTIC_CLIENT_APIVERSIONING=true, or the client's compatibility option), and best from the newest 7.17 client. Turn it on before the upgrade, or move to a {targetMajor}.x client.");
            default:
                return (ClientCompatibility.Incompatible, $"A {version} client cannot send the compatible-with=7 headers {targetMajor}.x needs for 7.x requests: upgrade it to the newest 7.17 client with compatibility mode, or to {targetMajor}.x.");
        }
    }

    /// <summary>The last minor of a major, the one that works with the next major (7.17, 8.19).</summary>
    static int LastMinor(int major) => major switch { 6 => 8, 7 => 17, 8 => 19, _ => int.MaxValue };

    static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);

    /// <summary>The clients of the nodes a selector names (all when null), judged for <paramref name="targetMajor"/>.</summary>
    public static async Task<IReadOnlyList<EsClient>> ReadAsync(EsApi api, string? nodeSelector, int targetMajor, CancellationToken ct)
    {
        if (api.Connection.Server.Version < new Version(7, 13))
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.ApiNotAvailable,
                $"{api.Connection.Name} runs Elasticsearch {api.Connection.Version}: nodes report their HTTP clients from 7.13 on. Upgrade to 7.17 first (Test-EsUpgradeReadiness says so too).", api.Connection.Name);
        var target = nodeSelector is null ? "" : "/" + Uri.EscapeDataString(nodeSelector);
        var body = await api.GetJsonAsync(EsRequest.Get($"/_nodes{target}/stats/http"), ct).ConfigureAwait(false);
        var result = new List<EsClient>();
        foreach (var node in body.Object("nodes"))
        {
            var name = node.Value.Str("name") ?? node.Name;
            foreach (var c in node.Value.Prop("http")?.Array("clients") ?? Enumerable.Empty<System.Text.Json.JsonElement>())
            {
                var agent = c.Str("agent");
                var (product, version, compatibility, reason) = Classify(agent, targetMajor);
                result.Add(new EsClient
                {
                    Connection = api.Connection,
                    Node = name,
                    Agent = agent,
                    Product = product,
                    Version = version,
                    Compatibility = compatibility,
                    Reason = reason,
                    RemoteAddress = c.Str("remote_address"),
                    ForwardedFor = c.Str("x_forwarded_for"),
                    OpaqueId = c.Str("x_opaque_id"),
                    LastUri = c.Str("last_uri"),
                    RequestCount = c.Long("request_count"),
                    Opened = Millis(c, "opened_time_millis"),
                    LastRequest = Millis(c, "last_request_time_millis"),
                    Closed = Millis(c, "closed_time_millis"),
                });
            }
        }
        return result.OrderBy(c => c.Compatibility == ClientCompatibility.Incompatible ? 0 : c.Compatibility == ClientCompatibility.CompatibilityMode ? 1 : 2)
            .ThenBy(c => c.Product, StringComparer.Ordinal).ThenBy(c => c.Node, StringComparer.Ordinal).ToList();
    }

    static DateTimeOffset? Millis(System.Text.Json.JsonElement e, string name) =>
        e.Prop(name) is System.Text.Json.JsonElement v && v.ValueKind == System.Text.Json.JsonValueKind.Number && v.GetInt64() >= 0
            ? DateTimeOffset.FromUnixTimeMilliseconds(v.GetInt64()) : (DateTimeOffset?)null;
}
