namespace EsUpgrade.Emulator.Model;

/// <summary>An error the cluster answers with, in Elasticsearch's envelope.</summary>
public sealed class EsError : Exception
{
    public EsError(int status, string type, string? reason, EsError? causedBy = null, IReadOnlyDictionary<string, object?>? metadata = null)
        : base(reason ?? type)
    {
        Status = status;
        Type = type;
        Reason = reason;
        CausedBy = causedBy;
        Metadata = metadata ?? new Dictionary<string, object?>();
    }

    public int Status { get; }
    public string Type { get; }
    public string? Reason { get; }
    public EsError? CausedBy { get; }
    public IReadOnlyDictionary<string, object?> Metadata { get; }

    public static EsError IllegalArgument(string reason) => new(400, "illegal_argument_exception", reason);
    public static EsError MasterNotDiscovered() => new(503, "master_not_discovered_exception", null);
    public static EsError IndexNotFound(string index) => new(404, "index_not_found_exception", $"no such index [{index}]",
        metadata: new Dictionary<string, object?> { ["resource.type"] = "index_or_alias", ["resource.id"] = index, ["index_uuid"] = "_na_", ["index"] = index });
}
