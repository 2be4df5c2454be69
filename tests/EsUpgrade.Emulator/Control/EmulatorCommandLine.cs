using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Control;

public static class EmulatorCommandLine
{
    public const string Usage = """
        usage: EsUpgrade.Emulator [options]
          --name NAME               cluster name (default emulated)
          --nodes N                 N nodes, all roles (default 3)
          --version V               their version (default 7.17.27)
          --node NAME=VERSION[:ROLE,ROLE...][@ATTR=VALUE,...]   one node (repeat; replaces --nodes); @zone=a gives node.attr.zone
          --setting KEY=VALUE       a persistent cluster setting it starts with (repeat)
          --index NAME:SHARDS:REPLICAS:DOCS[:CREATED_VERSION[:TIER_PREFERENCE[:hidden]]]   an index (repeat); tiers like data_warm,data_hot
          --user NAME:PASSWORD      a user; any user turns security on (repeat)
          --tls                     HTTPS with a generated CA (see --cert-dir)
          --cert-dir DIR            where http_ca.crt is written
          --base-port P             first node port (default: any free port)
          --control-port P          control API port (default: any free port)
          --time-scale X            emulated seconds per real second (default 1)
          --boot-seconds S          emulated seconds from a node's start to its joining (default 10)
          --ready-file PATH         write ports and fingerprints as JSON when listening
          --scale DATA_NODES:SHARD_COPIES[:ZONES]   a large cluster: 3 masters, data nodes over zones a, b, c... (awareness on), indices of 10 shards and 1 replica; replaces --nodes, --node and --index
          --many-indices PREFIX:COUNT:ISSUES[:DOCS]   COUNT one-shard indices of DOCS documents (10), with ISSUES deprecated index settings on average (0-6; benchmarks)
          --path-repo DIR           a folder fs repositories may live in (path.repo; repeat)
          --snapshot REPO:NAME:HOURS_AGO   a SUCCESS snapshot of every index, taken that long ago, in an fs repository (repeat)
          --yml NODE:FILE           the elasticsearch.yml of a node, read from FILE
          --reindex-whitelist HOST:PORT   reindex.remote.whitelist: a host reindex may read from (repeat; * alone is refused as by Elasticsearch)
          --template KIND:NAME:PATTERN   an index template, KIND legacy, composable or component (repeat)
          --ilm-policy NAME         an ILM policy (hot: rollover, delete: delete; repeat)
          --alias INDEX:ALIAS       an alias on an index given by --index (repeat)
          --license TYPE            basic (default), trial, gold, platinum, enterprise
          --ml-snapshot JOB:SNAPSHOT:MIN_VERSION   an anomaly-detection job's model snapshot (repeat; the last of a job is its active one)
        """;

    public static (ClusterSpec Spec, string? ReadyFile, string? CertDir, int ControlPort) Parse(string[] args)
    {
        var spec = new ClusterSpec();
        int nodes = 3, basePort = 0, controlPort = 0;
        var version = "7.17.27";
        string? readyFile = null, certDir = null;
        var snapshots = new List<(string Repo, string Name, double HoursAgo)>();
        var ymls = new List<(string Node, string Yaml)>();
        var aliases = new List<(string Index, string Alias)>();
        (int DataNodes, int Copies, int Zones)? scale = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--name": spec.ClusterName = Next(); break;
                case "--nodes": nodes = int.Parse(Next()); break;
                case "--version": version = Next(); break;
                case "--node":
                    var full = Next();
                    var at = full.IndexOf('@');
                    var text = at < 0 ? full : full[..at];
                    var eq = text.IndexOf('=');
                    if (eq <= 0) throw new ArgumentException($"--node {full}: use NAME=VERSION[:ROLES][@ATTR=VALUE,...]");
                    var rest = text[(eq + 1)..].Split(':', 2);
                    var node = new NodeSpec { Name = text[..eq], Version = rest[0] };
                    if (rest.Length > 1) node.Roles = rest[1].Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
                    if (at >= 0)
                        foreach (var pair in full[(at + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
                            node.Attributes[pair.Split('=', 2)[0]] = pair.Split('=', 2) is { Length: 2 } kv ? kv[1] : throw new ArgumentException($"--node {full}: an attribute is ATTR=VALUE");
                    spec.Nodes.Add(node);
                    break;
                case "--setting":
                    var setting = Next().Split('=', 2);
                    if (setting.Length != 2) throw new ArgumentException("--setting KEY=VALUE");
                    spec.PersistentSettings[setting[0]] = setting[1];
                    break;
                case "--index":
                    var p = Next().Split(':');
                    if (p.Length < 4) throw new ArgumentException("--index NAME:SHARDS:REPLICAS:DOCS[:CREATED_VERSION]");
                    spec.Indices.Add(new IndexSpec
                    {
                        Name = p[0], Shards = int.Parse(p[1]), Replicas = int.Parse(p[2]), Documents = long.Parse(p[3]),
                        CreatedVersion = p.Length > 4 && p[4].Length > 0 ? p[4] : "7.17.0",
                        TierPreference = p.Length > 5 && p[5].Length > 0 ? p[5] : "data_content",
                        Settings = p.Length > 6 && p[6] == "hidden" ? new() { [EmulatedIndex.HiddenSetting] = "true" } : new(),
                    });
                    break;
                case "--many-indices":
                    var mi = Next().Split(':');
                    if (mi.Length is not (3 or 4)) throw new ArgumentException("--many-indices PREFIX:COUNT:ISSUES[:DOCS]");
                    spec.Indices.AddRange(ManyIndices(mi[0], int.Parse(mi[1]), double.Parse(mi[2], System.Globalization.CultureInfo.InvariantCulture), mi.Length == 4 ? long.Parse(mi[3]) : 10));
                    break;
                case "--scale":
                    var sc = Next().Split(':');
                    if (sc.Length is not (2 or 3)) throw new ArgumentException("--scale DATA_NODES:SHARD_COPIES[:ZONES]");
                    scale = (int.Parse(sc[0]), int.Parse(sc[1]), sc.Length == 3 ? int.Parse(sc[2]) : 1);
                    break;
                case "--path-repo": spec.PathRepo.Add(Next()); break;
                case "--snapshot":
                    var sn = Next().Split(':');
                    if (sn.Length != 3) throw new ArgumentException("--snapshot REPO:NAME:HOURS_AGO");
                    snapshots.Add((sn[0], sn[1], double.Parse(sn[2], System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                case "--reindex-whitelist":
                    var w = Next();
                    if (w.Trim() == "*") throw new ArgumentException("--reindex-whitelist *: Elasticsearch refuses a whitelist that matches everything (reindex.remote.whitelist)");
                    spec.ReindexRemoteWhitelist.AddRange(w.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--template":
                    var t = Next().Split(':');
                    if (t.Length != 3 || !Enum.TryParse<TemplateKind>(t[0], ignoreCase: true, out var kind)) throw new ArgumentException("--template KIND:NAME:PATTERN (KIND legacy, composable or component)");
                    spec.Templates.Add(new TemplateSpec { Kind = kind, Name = t[1], IndexPatterns = { t[2] } });
                    break;
                case "--ilm-policy": spec.IlmPolicies.Add(new IlmPolicySpec { Name = Next() }); break;
                case "--alias":
                    var al = Next().Split(':');
                    if (al.Length != 2) throw new ArgumentException("--alias INDEX:ALIAS");
                    aliases.Add((al[0], al[1]));
                    break;
                case "--license": spec.License = Next(); break;
                case "--ml-snapshot":
                    var ms = Next().Split(':');
                    if (ms.Length != 3) throw new ArgumentException("--ml-snapshot JOB:SNAPSHOT:MIN_VERSION");
                    var mlJob = spec.MlJobs.FirstOrDefault(j => j.JobId == ms[0]);
                    if (mlJob is null) spec.MlJobs.Add(mlJob = new MlJobSpec { JobId = ms[0] });
                    mlJob.Snapshots.Add(new ModelSnapshotSpec { SnapshotId = ms[1], MinVersion = ms[2] });
                    break;
                case "--yml":
                    var y = Next().Split(':', 2);
                    if (y.Length != 2) throw new ArgumentException("--yml NODE:FILE");
                    ymls.Add((y[0], File.ReadAllText(y[1])));
                    break;
                case "--user":
                    var u = Next().Split(':', 2);
                    if (u.Length != 2) throw new ArgumentException("--user NAME:PASSWORD");
                    spec.Users[u[0]] = u[1];
                    break;
                case "--tls": spec.Tls = true; break;
                case "--no-ml": spec.MlEnabled = false; break;
                case "--cert-dir": certDir = Next(); break;
                case "--base-port": basePort = int.Parse(Next()); break;
                case "--control-port": controlPort = int.Parse(Next()); break;
                case "--time-scale": spec.TimeScale = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--ready-file": readyFile = Next(); break;
                case "--boot-seconds": spec.NodeBootTime = TimeSpan.FromSeconds(double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture)); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (scale is var (dataNodes, copies, zones))
        {
            var scaled = ClusterSpec.Scaled(dataNodes, copies, zones, version);
            spec.Nodes = scaled.Nodes;
            spec.Indices = scaled.Indices;
            foreach (var (key, value) in scaled.PersistentSettings) spec.PersistentSettings.TryAdd(key, value);
        }
        if (spec.Nodes.Count == 0)
            spec.Nodes.AddRange(ClusterSpec.Uniform(nodes, version).Nodes);
        if (basePort > 0)
            for (var n = 0; n < spec.Nodes.Count; n++) spec.Nodes[n].Port = basePort + n;
        foreach (var (repo, name, hoursAgo) in snapshots)
        {
            var repository = spec.Repositories.FirstOrDefault(r => r.Name == repo);
            if (repository is null) spec.Repositories.Add(repository = new RepositorySpec { Name = repo });
            repository.Snapshots.Add(new SnapshotSpec
            {
                Name = name, StartTime = DateTimeOffset.UtcNow.AddHours(-hoursAgo).AddMinutes(-3), Version = spec.Nodes[0].Version,
                Indices = spec.Indices.Where(i => i.Settings.GetValueOrDefault(EmulatedIndex.HiddenSetting) != "true").Select(i => i.Name).ToList(),
            });
        }
        foreach (var (index, alias) in aliases)
            (spec.Indices.FirstOrDefault(i => i.Name == index) ?? throw new ArgumentException($"--alias: no index named {index} (give --index first)")).Aliases.Add(alias);
        foreach (var (node, yaml) in ymls)
            (spec.Nodes.FirstOrDefault(n => n.Name == node) ?? throw new ArgumentException($"--yml: no node named {node}")).ConfigYaml = yaml;
        return (spec, readyFile, certDir, controlPort);
    }

    /// <summary>Deprecated index settings, one deprecation item each (DeprecationChecks.IndexIssues).</summary>
    static readonly (string Key, string Value)[] DeprecatedIndexSettings =
    {
        ("index.indexing.slowlog.level", "info"), ("index.search.slowlog.level", "info"), ("index.translog.retention.size", "512mb"),
        ("index.mapper.dynamic", "true"), ("index.store.type", "simplefs"), ("index.routing.allocation.require._tier", "data_hot"),
    };

    /// <summary>Indices for benchmarks: index n carries floor((n+1)*issues) - floor(n*issues) deprecated settings, so the total is count*issues.</summary>
    public static IEnumerable<IndexSpec> ManyIndices(string prefix, int count, double issues, long documents = 10)
    {
        for (var n = 0; n < count; n++)
        {
            var k = Math.Min(DeprecatedIndexSettings.Length, (int)Math.Floor((n + 1) * issues) - (int)Math.Floor(n * issues));
            yield return new IndexSpec
            {
                Name = $"{prefix}-{n:00000}", Shards = 1, Replicas = 0, Documents = documents,
                Settings = DeprecatedIndexSettings.Take(k).ToDictionary(s => s.Key, s => (string?)s.Value),
            };
        }
    }
}
