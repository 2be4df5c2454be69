namespace EsUpgrade.Emulator.Model;

/// <summary>
/// What a write requires of the document it replaces: op_type=create (none may exist) or optimistic concurrency
/// (if_seq_no and if_primary_term must be those of the document's last write). Elasticsearch answers 409
/// version_conflict_engine_exception with these reasons: VersionConflictEngineException.java in elastic/elasticsearch
/// (seqNo and term), and a create logged in fluent/fluent-bit#2026 ("document already exists (current version [1])").
/// </summary>
public sealed record WriteCondition(bool Create, long? IfSeqNo, long? IfPrimaryTerm)
{
    public static WriteCondition? Of(bool create, long? ifSeqNo, long? ifPrimaryTerm)
    {
        // IndexRequest.validate: either half of compare-and-set refuses a create.
        if (create && (ifSeqNo is not null || ifPrimaryTerm is not null))
            throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: create operations do not support compare and set. use index instead;");
        return create || ifSeqNo is not null || ifPrimaryTerm is not null ? new WriteCondition(create, ifSeqNo, ifPrimaryTerm) : null;
    }

    public void Check(EmulatedIndex index, int shard, string id, StoredDocument? existing)
    {
        if (Create && existing is not null)
            throw Conflict(index, shard, $"[{id}]: version conflict, document already exists (current version [{existing.Version}])");
        if (IfSeqNo is null && IfPrimaryTerm is null) return;
        if (IfSeqNo is null || IfPrimaryTerm is null)
            throw new EsError(400, "action_request_validation_exception",
                $"Validation Failed: 1: {(IfSeqNo is null ? "ifSeqNo is unassigned, but primary term is [" + IfPrimaryTerm + "]" : "ifSeqNo is set, but primary term is [0]")};");
        if (existing is null)
            throw Conflict(index, shard, $"[{id}]: version conflict, required seqNo [{IfSeqNo}], primary term [{IfPrimaryTerm}]. but no document was found");
        if (existing.SeqNo != IfSeqNo || existing.PrimaryTerm != IfPrimaryTerm)
            throw Conflict(index, shard, $"[{id}]: version conflict, required seqNo [{IfSeqNo}], primary term [{IfPrimaryTerm}]. current document has seqNo [{existing.SeqNo}] and primary term [{existing.PrimaryTerm}]");
    }

    static EsError Conflict(EmulatedIndex index, int shard, string reason) => new(409, "version_conflict_engine_exception", reason,
        metadata: new Dictionary<string, object?> { ["index_uuid"] = index.Uuid, ["shard"] = shard.ToString(), ["index"] = index.Name });
}
