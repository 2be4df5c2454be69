using EsUpgrade.Connections;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;
using EsUpgrade.Snapshots;

namespace EsUpgrade.Core.Tests;

public class SnapshotRepositoryTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("esupgrade-repo-").FullName;
    public void Dispose() => Directory.Delete(root, recursive: true);

    async Task<(Emulated Es, EsApi Api, EsConnection Connection)> StartAsync(bool withPathRepo = true)
    {
        var spec = ClusterSpec.Uniform(2, "7.17.29");
        if (withPathRepo) spec.PathRepo.Add(root);
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        var es = await Emulated.StartAsync(spec);
        var connection = await es.ConnectAsync();
        return (es, new EsApi(connection), connection);
    }

    [Fact]
    public async Task An_fs_repository_inside_path_repo_is_registered_verified_listed_and_unregistered()
    {
        var (es, api, connection) = await StartAsync();
        await using var _ = es;
        using var __ = connection;
        var repo = await SnapshotRepositories.RegisterAsync(api, "nightly", "fs", new Dictionary<string, object?> { ["location"] = "nightly", ["compress"] = true }, readOnly: false, verify: true, CancellationToken.None);
        Assert.Equal(("fs", Path.Combine(root, "nightly")), (repo.Type, repo.Location));
        Assert.True(Directory.Exists(Path.Combine(root, "nightly")));
        Assert.Equal(new[] { "es-01", "es-02" }, (await SnapshotRepositories.VerifyAsync(api, "nightly", CancellationToken.None)).Nodes);
        var lookup = await SnapshotRepositories.FindAsync(api, new[] { "night*", "nope" }, CancellationToken.None);
        Assert.Equal("nightly", Assert.Single(lookup.Found).Name);
        Assert.Equal(ErrorIds.RepositoryNotFound, Assert.Single(lookup.Missing).ErrorId);
        await SnapshotRepositories.UnregisterAsync(api, "nightly", CancellationToken.None);
        Assert.Empty(await SnapshotRepositories.GetAsync(api, CancellationToken.None));
        Assert.True(Directory.Exists(Path.Combine(root, "nightly")));    // the files stay
        Assert.Equal(ErrorIds.RepositoryNotFound, (await Assert.ThrowsAsync<EsException>(() => SnapshotRepositories.UnregisterAsync(api, "nightly", CancellationToken.None))).ErrorId);
    }

    [Fact]
    public async Task A_location_outside_path_repo_is_refused_with_Elasticsearchs_reason_and_the_remedy()
    {
        var (es, api, connection) = await StartAsync(withPathRepo: false);
        await using var _ = es;
        using var __ = connection;
        var ex = await Assert.ThrowsAsync<EsException>(() => SnapshotRepositories.RegisterAsync(api, "nightly", "fs",
            new Dictionary<string, object?> { ["location"] = Path.Combine(root, "x") }, false, true, CancellationToken.None));
        Assert.Equal(ErrorIds.RepositoryRejected, ex.ErrorId);
        Assert.Contains("doesn't match any of the locations specified by path.repo because this setting is empty", ex.Message);
        Assert.Contains("inside path.repo", ex.Message);
        Assert.False(Directory.Exists(Path.Combine(root, "x")));
    }
}
