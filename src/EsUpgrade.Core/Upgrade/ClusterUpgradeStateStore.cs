using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Json;
using EsUpgrade.Verification;
using EsUpgrade.Wire;

namespace EsUpgrade.Upgrade;

/// <summary>
/// The rolling upgrade's state kept in the cluster it upgrades (<c>-StatePath cluster:NAME</c>): for runs whose own disk
/// does not outlive them — an Azure Automation job in the cloud sandbox, restarted on another worker after three
/// hours. Three documents of the hidden index <see cref="IndexName"/>: <c>NAME</c> (the state), <c>NAME.baseline</c>
/// and <c>NAME.lock</c> (a <see cref="ClusterStateLock"/>, so a second run from anywhere is refused and a dead run's
/// restart takes over). The index has one shard and a replica wherever there are two data nodes, so it stays
/// writable while any one node restarts; with one data node it would not, and the store refuses such a cluster.
/// </summary>
public sealed class ClusterUpgradeStateStore : IUpgradeStateStore
{
    public const string Prefix = "cluster:";
    public const string IndexName = "esupgrade-state";
    static readonly Regex ValidName = new Regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant);
    static readonly JsonSerializerOptions Options = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } };

    readonly EsApi api;
    readonly ClusterLockTiming timing;
    ClusterStateLock? held;

    public ClusterUpgradeStateStore(EsApi api, string name, ClusterLockTiming? timing = null)
    {
        if (!ValidName.IsMatch(name))
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidStateFile,
                $"'{Prefix}{name}' is not a state name: after '{Prefix}' give 1 to 100 letters, digits, dots, dashes or underscores, such as '{Prefix}upgrade-to-8'.", Prefix + name);
        this.api = api;
        Name = name;
        this.timing = timing ?? new ClusterLockTiming();
    }

    /// <summary>The name after <c>cluster:</c> when <paramref name="statePath"/> names state kept in the cluster; null for a file path.</summary>
    public static string? NameIn(string? statePath) =>
        statePath != null && statePath.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? statePath.Substring(Prefix.Length) : null;

    public string Name { get; }
    public string ResumeArgument => $"-StatePath '{Prefix}{Name}'";
    string Describes => $"The upgrade state '{Prefix}{Name}' (index {IndexName} of {api.Connection.ClusterName})";
    static string DocPath(string id) => $"/{IndexName}/_doc/{Uri.EscapeDataString(id)}";

    public async Task<UpgradeState?> LoadAsync(CancellationToken ct) =>
        await ReadAsync<UpgradeState>(Name, "state", ct).ConfigureAwait(false);

    public async Task SaveAsync(UpgradeState state, CancellationToken ct)
    {
        if (held is null)
        {
            await WriteAsync(api, Name, "state", state, ct).ConfigureAwait(false);
            return;
        }
        await held.EnsureHeldAsync(ct).ConfigureAwait(false);
        // Bounded well inside the lock's stale time: a write still retrying then could land after another run took over.
        await WriteAsync(api.Retrying(held.WriteWithin), Name, "state", state, ct).ConfigureAwait(false);
    }

    public async Task<IDisposable> HoldAsync(CancellationToken ct)
    {
        await EnsureIndexAsync(ct).ConfigureAwait(false);
        held = await ClusterStateLock.AcquireAsync(api, IndexName, Name + ".lock", Describes, timing, ct).ConfigureAwait(false);
        return new Release(this);
    }

    sealed class Release : IDisposable
    {
        readonly ClusterUpgradeStateStore store;
        public Release(ClusterUpgradeStateStore store) => this.store = store;
        public void Dispose()
        {
            store.held?.Dispose();
            store.held = null;
        }
    }

    public Task<EsClusterBaseline?> LoadBaselineAsync(CancellationToken ct) => ReadAsync<EsClusterBaseline>(Name + ".baseline", "baseline", ct);

    public async Task<string?> SaveBaselineAsync(EsClusterBaseline baseline, CancellationToken ct)
    {
        await EnsureIndexAsync(ct).ConfigureAwait(false);
        await WriteAsync(api, Name + ".baseline", "baseline", baseline, ct).ConfigureAwait(false);
        return $"{Prefix}{Name} (document {Name}.baseline of index {IndexName})";
    }

    /// <summary>
    /// Hidden, one shard, a replica where there are two data nodes; not mapped (the documents are kept, not searched).
    /// Refused on a cluster of one data node, before anything is written: there the state could not be written while it restarts.
    /// </summary>
    async Task EnsureIndexAsync(CancellationToken ct)
    {
        var health = await api.GetJsonAsync(EsRequest.Get("/_cluster/health"), ct).ConfigureAwait(false);
        if (health.Int("number_of_data_nodes") < 2)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.StateStoreUnsuitable,
                $"{api.Connection.ClusterName} has {health.Int("number_of_data_nodes")} data node(s): while it restarts, state kept in the cluster could not be written. Keep the state in a file (-StatePath with a path) instead.", Prefix + Name);
        var body = "{\"settings\":{\"index.hidden\":true,\"index.number_of_shards\":1,\"index.auto_expand_replicas\":\"0-1\"},\"mappings\":{\"dynamic\":false}}";
        var response = await api.SendAsync(new EsRequest("PUT", "/" + IndexName, body), ct, 400).ConfigureAwait(false);
        if (response.StatusCode == 400 && !response.Body.Contains("resource_already_exists_exception"))
            throw EsApi.ServerError(new EsRequest("PUT", "/" + IndexName), response);
    }

    async Task<T?> ReadAsync<T>(string id, string field, CancellationToken ct) where T : class
    {
        var request = EsRequest.Get(DocPath(id));
        var response = await api.SendAsync(request, ct, 404).ConfigureAwait(false);
        if (response.StatusCode == 404) return null;
        var doc = EsApi.ParseJson(request, response);
        if (!doc.Bool("found")) return null;
        try
        {
            var kept = doc.Prop("_source")?.Prop(field) ?? throw new JsonException($"no '{field}' field");
            return JsonSerializer.Deserialize<T>(kept.GetRawText(), Options) ?? throw new JsonException("empty");
        }
        catch (JsonException ex)
        {
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidStateFile,
                $"Document {id} of index {IndexName} is not EsUpgrade's {field} (or is damaged): {ex.Message}", Prefix + Name, ex);
        }
    }

    /// <summary>A whole document by id: sent again after a lost answer, it writes the same thing.</summary>
    static Task WriteAsync(EsApi api, string id, string field, object value, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object> { ["kind"] = "esupgrade." + field, ["format"] = 1, [field] = value }, Options);
        return api.SendAsync(new EsRequest("PUT", DocPath(id), body).SafeToRepeat(), ct);
    }
}
