using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

public static class LicenseHandlers
{
    /// <summary>GET _license: the self-managed default is an active basic license that never expires.</summary>
    public static Task<Reply> Get(RestRequest r)
    {
        var type = r.Cluster.LicenseType;
        var issued = new DateTimeOffset(2021, 1, 4, 9, 0, 0, TimeSpan.Zero);
        var json = new Dictionary<string, object?>
        {
            ["status"] = "active",
            ["uid"] = "5a2a7c7e-3a4e-4d7c-9d8b-" + r.Cluster.Uuid[..12].ToLowerInvariant(),
            ["type"] = type,
            ["issue_date"] = issued.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
            ["issue_date_in_millis"] = issued.ToUnixTimeMilliseconds(),
        };
        if (type != "basic")
        {
            var expiry = issued.AddDays(type == "trial" ? 30 : 365);
            json["expiry_date"] = expiry.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
            json["expiry_date_in_millis"] = expiry.ToUnixTimeMilliseconds();
        }
        json["max_nodes"] = type == "basic" ? 1000 : 100;
        json["max_resource_units"] = null;
        json["issued_to"] = r.Cluster.Name;
        json["issuer"] = "elasticsearch";
        json["start_date_in_millis"] = -1;
        return Task.FromResult(Reply.Ok(new Dictionary<string, object?> { ["license"] = json }));
    }
}
