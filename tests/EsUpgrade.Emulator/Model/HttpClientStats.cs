namespace EsUpgrade.Emulator.Model;

/// <summary>
/// One HTTP client of a node, as HttpClientStatsTracker keeps it (BEHAVIOUR-ASSESS.md §3): the agent is the first
/// x-elastic-product-origin value if there is one, else the User-Agent; first non-null values win for agent,
/// addresses, X-Forwarded-For and X-Opaque-Id; the last URI and time and the counts follow every request.
/// </summary>
public sealed class HttpClientStats
{
    public required int Id { get; init; }
    public string? Agent { get; set; }
    public string? LocalAddress { get; set; }
    public string? RemoteAddress { get; set; }
    public string? LastUri { get; set; }
    public string? ForwardedFor { get; set; }
    public string? OpaqueId { get; set; }
    public long OpenedMillis { get; set; }
    public long? ClosedMillis { get; set; }
    public long LastRequestMillis { get; set; }
    public long RequestCount { get; set; }
    public long RequestSizeBytes { get; set; }

    public Dictionary<string, object?> ToJson()
    {
        var json = new Dictionary<string, object?> { ["id"] = Id };
        void Add(string key, string? value) { if (value != null) json[key] = value; }
        Add("agent", Agent);
        Add("local_address", LocalAddress);
        Add("remote_address", RemoteAddress);
        Add("last_uri", LastUri);
        Add("x_forwarded_for", ForwardedFor);
        Add("x_opaque_id", OpaqueId);
        json["opened_time_millis"] = OpenedMillis;
        if (ClosedMillis is long closed) json["closed_time_millis"] = closed;
        json["last_request_time_millis"] = LastRequestMillis;
        json["request_count"] = RequestCount;
        json["request_size_bytes"] = RequestSizeBytes;
        return json;
    }
}
