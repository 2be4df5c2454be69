namespace EsUpgrade.Emulator.Model;

/// <summary>Indices and documents: creation, deletion, settings, writes, flush.</summary>
public sealed partial class EmulatedCluster
{
    public EmulatedIndex CreateIndex(IndexSpec spec)
    {
        lock (Sync)
        {
            RequireMaster();
            if (Index(spec.Name) != null)
                throw new EsError(400, "resource_already_exists_exception", $"index [{spec.Name}/{Index(spec.Name)!.Uuid}] already exists",
                    metadata: new Dictionary<string, object?> { ["index_uuid"] = Index(spec.Name)!.Uuid, ["index"] = spec.Name });
            ValidateIndexName(spec.Name);
            if (IndicesOfAlias(spec.Name).Count > 0)
                throw new EsError(400, "invalid_index_name_exception", $"Invalid index name [{spec.Name}], already exists as alias",
                    metadata: new Dictionary<string, object?> { ["index_uuid"] = "_na_", ["index"] = spec.Name });
            spec.CreatedVersion = RunningNodes.Min(n => n.Profile.Version)!.ToString();
            var index = new EmulatedIndex(spec, StableId("index:" + spec.Name + ":" + Clock.UtcNow.Ticks), Clock.UtcNow);
            indices.Add(index);
            Reroute();
            Signal();
            return index;
        }
    }

    public static void ValidateIndexName(string name)
    {
        if (name.StartsWith('_') || name.StartsWith('-') || name.StartsWith('+'))
            throw new EsError(400, "invalid_index_name_exception", $"Invalid index name [{name}], must not start with '_', '-', or '+'",
                metadata: new Dictionary<string, object?> { ["index_uuid"] = "_na_", ["index"] = name });
        if (name != name.ToLowerInvariant())
            throw new EsError(400, "invalid_index_name_exception", $"Invalid index name [{name}], must be lowercase",
                metadata: new Dictionary<string, object?> { ["index_uuid"] = "_na_", ["index"] = name });
    }

    /// <summary>POST {index}/_close or _open: a closed index keeps its shards (replicated since 7.2) but serves nothing.</summary>
    public void SetClosed(EmulatedIndex index, bool closed)
    {
        lock (Sync)
        {
            RequireMaster();
            index.Closed = closed;
            Signal();
        }
    }

    public void DeleteIndex(EmulatedIndex index)
    {
        lock (Sync)
        {
            RequireMaster();
            indices.Remove(index);
            Reroute();
            Signal();
        }
    }

    public void UpdateIndexSettings(EmulatedIndex index, IReadOnlyDictionary<string, string?> settings)
    {
        lock (Sync)
        {
            RequireMaster();
            foreach (var (key, value) in settings)
            {
                var k = key.StartsWith("index.", StringComparison.Ordinal) ? key : "index." + key;
                if (k == "index.number_of_replicas") index.SetReplicas(int.Parse(value ?? "1"));
                else if (k == "index.number_of_shards")
                    throw EsError.IllegalArgument($"final {index.Name} setting [index.number_of_shards], not updateable");
                else if (value is null) index.Settings.Remove(k);    // null resets to the default
                else index.Settings[k] = value;
            }
            Reroute();
            Signal();
        }
    }

    /// <summary>Writes one document; null id makes one. Returns (created, id) or throws when the primary is not active.</summary>
    /// <summary>
    /// Writes a document: a new id is created, an existing one replaced (version + 1). <paramref name="condition"/> is
    /// op_type=create (409 when the id exists) or if_seq_no/if_primary_term (409 unless they are the document's now).
    /// </summary>
    public (bool Created, string Id, StoredDocument Stored) IndexDocument(EmulatedIndex index, string? id, string? source = null, WriteCondition? condition = null)
    {
        lock (Sync)
        {
            id ??= SecurityRealm.NewId(20);
            var shard = WritableShard(index, id);
            if (index.Settings.GetValueOrDefault("index.blocks.read_only_allow_delete") == "true")
                throw new EsError(429, "cluster_block_exception", $"index [{index.Name}] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];");
            var existing = index.Written.GetValueOrDefault(id);
            condition?.Check(index, shard, id, existing);
            var stored = new StoredDocument((existing?.Version ?? 0) + 1, index.NextSeqNo++, index.PrimaryTermOf(shard), source);
            index.Written[id] = stored;
            index.LastWriteAt = Clock.UtcNow;
            return (existing is null, id, stored);
        }
    }

    /// <summary>
    /// Deletes a document written through the API (seed documents have no ids to name). The delete is an operation with
    /// a sequence number whether or not the document was there; Found says whether it was.
    /// </summary>
    public (bool Found, StoredDocument Operation) DeleteDocument(EmulatedIndex index, string id, WriteCondition? condition = null)
    {
        lock (Sync)
        {
            var shard = WritableShard(index, id);
            var existing = index.Written.GetValueOrDefault(id);
            condition?.Check(index, shard, id, existing);
            var operation = new StoredDocument((existing?.Version ?? 0) + 1, index.NextSeqNo++, index.PrimaryTermOf(shard), null);
            if (existing is null) return (false, operation);
            index.Written.Remove(id);
            index.LastWriteAt = Clock.UtcNow;
            return (true, operation);
        }
    }

    /// <summary>A realtime GET: the document as last written, from any active copy of its shard; null when there is none.</summary>
    public StoredDocument? GetDocument(EmulatedIndex index, string id)
    {
        lock (Sync)
        {
            var shard = index.ShardOf(id);
            if (!index.Copies.Any(c => c.Shard == shard && c.IsActive))
                throw new EsError(503, "no_shard_available_action_exception", "No shard available for [get [" + index.Name + "][" + id + "]: routing [null]]");
            return index.Written.GetValueOrDefault(id);
        }
    }

    /// <summary>The shard a write goes to: its primary must be active and the index not write-blocked.</summary>
    static int WritableShard(EmulatedIndex index, string id)
    {
        var shard = index.ShardOf(id);
        if (!index.Copies.Any(c => c.Shard == shard && c.Primary && c.IsActive))
            throw new EsError(503, "unavailable_shards_exception",
                $"[{index.Name}][{shard}] primary shard is not active Timeout: [1m], request: [BulkShardRequest [[{index.Name}][{shard}]] containing [1] requests]");
        if (index.Settings.GetValueOrDefault("index.blocks.write") == "true")
            throw new EsError(403, "cluster_block_exception", $"index [{index.Name}] blocked by: [FORBIDDEN/8/index write (api)];");
        return shard;
    }

    /// <summary>Flushes the given indices: their copies can then recover from operations after a restart.</summary>
    public (int Total, int Successful) Flush(IEnumerable<EmulatedIndex> targets)
    {
        lock (Sync)
        {
            int total = 0, ok = 0;
            foreach (var index in targets)
            {
                total += index.Copies.Count;
                ok += index.Copies.Count(c => c.IsActive);
                if (index.Copies.Where(c => c.Primary).All(c => c.IsActive)) index.LastFlushAt = Clock.UtcNow;
            }
            return (total, ok);
        }
    }
}
