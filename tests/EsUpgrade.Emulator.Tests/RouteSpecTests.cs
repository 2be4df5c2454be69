using EsUpgrade.Emulator.Http;

namespace EsUpgrade.Emulator.Tests;

/// <summary>Every route the emulator serves exists, with that method, in Elastic's REST spec of each version that serves it.</summary>
public class RouteSpecTests
{
    public static IEnumerable<object[]> ServedRoutes() =>
        from route in RouteTable.All
        from major in new[] { 7, 8 }
        where route.ServedBy(major)
        select new object[] { major, route.Method, route.Path, route.Api };

    [Theory]
    [MemberData(nameof(ServedRoutes))]
    public void Route_is_in_the_rest_spec(int major, string method, string path, string api)
    {
        var folder = RestSpec.FolderFor(major);
        Assert.True(RestSpec.Declares(folder, api, method, path),
            $"{method} {path} ({api}) is served as {major}.x but rest-api-spec/{folder}/{api}.json does not declare it");
    }

    [Fact]
    public void The_spec_check_rejects_what_a_version_does_not_have()
    {
        // Synced flush exists in 7.17 and was removed in 8.0: the checker must tell them apart.
        Assert.True(RestSpec.Declares("7.17", "indices.flush_synced", "POST", "/_flush/synced"));
        Assert.False(RestSpec.Declares("8.x", "indices.flush_synced", "POST", "/_flush/synced"));
        Assert.False(RestSpec.Declares("8.x", "cluster.health", "DELETE", "/_cluster/health"));
    }

    [Fact]
    public void Routes_are_unique()
    {
        var duplicates = RouteTable.All.GroupBy(r => (r.Method, r.Path)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }
}
