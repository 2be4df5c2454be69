using System.Net;
using System.Text.Json;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Tests;

/// <summary>The product header, media types, unknown routes and authentication as Elasticsearch does them.</summary>
public class HeaderRuleTests
{
    static string? Product(HttpResponseMessage r) => r.Headers.TryGetValues("X-elastic-product", out var v) ? v.Single() : null;

    [Fact]
    public async Task Product_header_on_success_and_on_errors()
    {
        await using var c = await Cluster.StartAsync(1, "8.19.0");
        var (ok, _) = await c.SendAsync("GET", "/");
        var (unknown, unknownBody) = await c.SendAsync("GET", "/_nope/a/b/c");
        Assert.Equal("Elasticsearch", Product(ok));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("Elasticsearch", Product(unknown));
        // No "status" field in this one body (BEHAVIOUR.md §8).
        Assert.Equal("{\"error\":\"no handler found for uri [/_nope/a/b/c] and method [GET]\"}", unknownBody);
    }

    [Fact]
    public async Task Wrong_method_is_405_with_allow()
    {
        await using var c = await Cluster.StartAsync(1, "7.17.27");
        var (r, body) = await c.SendAsync("DELETE", "/_cluster/settings");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, r.StatusCode);
        Assert.Equal("GET,PUT", string.Join(",", r.Content.Headers.Allow));
        Assert.Contains("Incorrect HTTP method for uri [/_cluster/settings] and method [DELETE], allowed: [GET, PUT]", body);
    }

    [Fact]
    public async Task Eight_rejects_compatible_with_9_and_accepts_7()
    {
        await using var c = await Cluster.StartAsync(1, "8.19.0");
        var (bad, badBody) = await c.SendAsync("GET", "/", accept: "application/vnd.elasticsearch+json; compatible-with=9");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var error = JsonDocument.Parse(badBody).RootElement.GetProperty("error");
        Assert.Equal("media_type_header_exception", error.GetProperty("type").GetString());
        Assert.Equal("Accept version must be either version 8 or 7, but found 9. Accept=application/vnd.elasticsearch+json; compatible-with=9",
            error.GetProperty("caused_by").GetProperty("reason").GetString());
        Assert.Equal("Elasticsearch", Product(bad));

        var (seven, _) = await c.SendAsync("GET", "/", accept: "application/vnd.elasticsearch+json;compatible-with=7");
        Assert.Equal(HttpStatusCode.OK, seven.StatusCode);
        Assert.Equal("application/vnd.elasticsearch+json;compatible-with=7", seven.Content.Headers.ContentType!.ToString().Replace(" ", ""));
    }

    [Fact]
    public async Task Eight_requires_matching_versions_on_accept_and_content_type()
    {
        await using var c = await Cluster.StartAsync(1, "8.19.0");
        var (r, body) = await c.SendAsync("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.routing.allocation.enable\":\"all\"}}",
            accept: "application/vnd.elasticsearch+json;compatible-with=7", contentType: "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("the compatible versions must match", body);
    }

    [Fact]
    public async Task Seven_seventeen_answers_any_compatible_with_as_7()
    {
        await using var c = await Cluster.StartAsync(1, "7.17.27");
        var (r, _) = await c.SendAsync("GET", "/", accept: "application/vnd.elasticsearch+json; compatible-with=9");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.StartsWith("application/json", r.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Unsupported_content_type_is_406()
    {
        await using var c = await Cluster.StartAsync(1, "8.19.0");
        var (r, body) = await c.SendAsync("PUT", "/_cluster/settings", "x", contentType: "application/xml");
        Assert.Equal(HttpStatusCode.NotAcceptable, r.StatusCode);
        Assert.Equal("{\"error\":\"Content-Type header [application/xml] is not supported\",\"status\":406}", body);
    }

    [Theory]
    [InlineData("8.19.0", "Basic realm=\"security\", charset=\"UTF-8\"")]
    [InlineData("7.17.27", "Basic realm=\"security\" charset=\"UTF-8\"")]
    public async Task Security_401_without_product_header(string version, string challenge)
    {
        var spec = ClusterSpec.Uniform(1, version);
        spec.Users["elastic"] = "changeme";
        await using var c = await Cluster.StartAsync(spec);

        var (anonymous, body) = await c.SendAsync("GET", "/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Null(Product(anonymous));
        Assert.Contains(challenge, anonymous.Headers.WwwAuthenticate.Select(h => h.ToString()));
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("security_exception", error.GetProperty("type").GetString());
        Assert.Equal("missing authentication credentials for REST request [/]", error.GetProperty("reason").GetString());

        var (wrong, wrongBody) = await c.SendAsync("GET", "/", authorization: Cluster.Basic("elastic", "nope"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("unable to authenticate user [elastic] for REST request [/]", wrongBody);

        var (right, _) = await c.SendAsync("GET", "/", authorization: Cluster.Basic("elastic", "changeme"));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("Elasticsearch", Product(right));
    }

    [Fact]
    public async Task Api_keys_authenticate()
    {
        var spec = ClusterSpec.Uniform(1, "8.19.0");
        spec.Users["elastic"] = "changeme";
        await using var c = await Cluster.StartAsync(spec);
        var (created, body) = await c.SendAsync("POST", "/_security/api_key", "{\"name\":\"upgrade\"}", authorization: Cluster.Basic("elastic", "changeme"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var encoded = JsonDocument.Parse(body).RootElement.GetProperty("encoded").GetString();

        var (who, whoBody) = await c.SendAsync("GET", "/_security/_authenticate", authorization: "ApiKey " + encoded);
        Assert.Equal(HttpStatusCode.OK, who.StatusCode);
        Assert.Equal("api_key", JsonDocument.Parse(whoBody).RootElement.GetProperty("authentication_type").GetString());
        var (bad, _) = await c.SendAsync("GET", "/", authorization: "ApiKey " + Convert.ToBase64String("x:y"u8.ToArray()));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
    }

    [Fact]
    public async Task Seven_seventeen_without_security_warns_on_every_response()
    {
        await using var c = await Cluster.StartAsync(1, "7.17.27");
        var (r, _) = await c.SendAsync("GET", "/_cluster/health");
        var warning = Assert.Single(r.Headers.GetValues("Warning"));
        Assert.StartsWith("299 Elasticsearch-7.17.27-0f88dde84795b30ca0d2c0c4796643ec5938aeb5 \"Elasticsearch built-in security features are not enabled.", warning);
    }

    [Fact]
    public async Task Https_serves_a_certificate_issued_by_its_ca()
    {
        var spec = ClusterSpec.Uniform(1, "8.19.0");
        spec.Tls = true;
        await using var c = await Cluster.StartAsync(spec);
        Assert.Equal("https", c.Uri().Scheme);
        var (r, _) = await c.SendAsync("GET", "/");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(64, c.Host.Tls!.CaFingerprint.Length);
    }
}
