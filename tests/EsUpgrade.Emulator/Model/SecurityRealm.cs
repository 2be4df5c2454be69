using System.Security.Cryptography;
using System.Text;

namespace EsUpgrade.Emulator.Model;

/// <summary>Basic users and API keys, checked the way Elasticsearch's native realm and API-key service do.</summary>
public sealed class SecurityRealm
{
    readonly Dictionary<string, string> users;
    readonly Dictionary<string, (string Key, string Name, string Owner)> apiKeys = new();

    public SecurityRealm(IDictionary<string, string> users) => this.users = new Dictionary<string, string>(users);

    public bool Enabled => users.Count > 0;

    public sealed record Principal(string Username, string AuthenticationType, string? ApiKeyName = null);

    /// <summary>Returns the principal, or throws the 401 Elasticsearch sends.</summary>
    public Principal Authenticate(string? authorization, string uri, VersionProfile profile)
    {
        if (string.IsNullOrEmpty(authorization))
            throw Unauthorized($"missing authentication credentials for REST request [{uri}]", profile);
        var space = authorization.IndexOf(' ');
        var scheme = space < 0 ? authorization : authorization[..space];
        var value = space < 0 ? "" : authorization[(space + 1)..].Trim();
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            var (user, password) = Decode(value);
            lock (users)
                if (user != null && users.TryGetValue(user, out var expected) && FixedEquals(expected, password))
                    return new Principal(user, "realm");
            throw Unauthorized($"unable to authenticate user [{user}] for REST request [{uri}]", profile);
        }
        if (scheme.Equals("ApiKey", StringComparison.OrdinalIgnoreCase))
        {
            var (id, key) = Decode(value);
            lock (apiKeys)
                if (id != null && apiKeys.TryGetValue(id, out var entry) && FixedEquals(entry.Key, key))
                    return new Principal(entry.Owner, "api_key", entry.Name);
            throw Unauthorized($"unable to authenticate with provided credentials and anonymous access is not allowed for this request", profile);
        }
        throw Unauthorized($"missing authentication credentials for REST request [{uri}]", profile);
    }

    public (string Id, string Key) CreateApiKey(string name, string owner)
    {
        var id = NewId(20);
        var key = NewId(22);
        lock (apiKeys) apiKeys[id] = (key, name, owner);
        return (id, key);
    }

    public static string NewId(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return string.Concat(RandomNumberGenerator.GetBytes(length).Select(b => alphabet[b % alphabet.Length]));
    }

    static (string? User, string Secret) Decode(string base64)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            var colon = text.IndexOf(':');
            return colon < 0 ? (null, "") : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, "");
        }
    }

    static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    EsError Unauthorized(string reason, VersionProfile profile) =>
        new(401, "security_exception", reason, metadata: new Dictionary<string, object?>
        {
            ["header"] = new Dictionary<string, object?> { ["WWW-Authenticate"] = Challenges(profile) },
        });

    public static string[] Challenges(VersionProfile profile) => new[] { profile.BasicChallenge, "ApiKey" };
}
