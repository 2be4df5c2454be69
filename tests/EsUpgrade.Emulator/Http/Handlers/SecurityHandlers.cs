using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

public static class SecurityHandlers
{
    static void RequireSecurity(RestRequest r)
    {
        if (!r.Cluster.Security.Enabled)
            throw new EsError(500, "illegal_state_exception", "Security must be explicitly enabled when using a [basic] license. Enable security by setting [xpack.security.enabled] to [true] in the elasticsearch.yml file and restart the node.");
    }

    public static Task<Reply> Authenticate(RestRequest r)
    {
        RequireSecurity(r);
        var who = r.Principal!;
        return Task.FromResult(Reply.Ok(new Dictionary<string, object?>
        {
            ["username"] = who.Username,
            ["roles"] = new[] { "superuser" },
            ["full_name"] = null,
            ["email"] = null,
            ["metadata"] = new Dictionary<string, object?>(),
            ["enabled"] = true,
            ["authentication_realm"] = new Dictionary<string, object?> { ["name"] = who.AuthenticationType == "api_key" ? "_es_api_key" : "native1", ["type"] = who.AuthenticationType == "api_key" ? "_es_api_key" : "native" },
            ["lookup_realm"] = new Dictionary<string, object?> { ["name"] = "native1", ["type"] = "native" },
            ["authentication_type"] = who.AuthenticationType,
        }));
    }

    /// <summary>POST/PUT _security/api_key: {"id","name","api_key","encoded"} (encoded since 7.16).</summary>
    public static Task<Reply> CreateApiKey(RestRequest r)
    {
        RequireSecurity(r);
        var body = r.JsonBody() ?? throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: api key name is required;");
        var name = body["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name))
            throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: api key name is required;");
        var (id, key) = r.Cluster.Security.CreateApiKey(name, r.Principal!.Username);
        return Task.FromResult(Reply.Ok(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["name"] = name,
            ["api_key"] = key,
            ["encoded"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(id + ":" + key)),
        }));
    }
}
