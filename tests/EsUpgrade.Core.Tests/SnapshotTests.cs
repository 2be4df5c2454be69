using EsUpgrade.Connections;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Errors;
using EsUpgrade.Snapshots;

namespace EsUpgrade.Core.Tests;

public class SnapshotTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("esupgrade-snap-").FullName;
    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task A_snapshot_is_taken_waited_for_listed_and_deleted_and_a_partial_one_is_an_error()
    {
        var spec = ClusterSpec.Uniform(3, "7.17.29");
        spec.PathRepo.Add(root);
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = 2, Replicas = 0, Documents = 400_000 });    // 400 MiB: 2 s at 200 MB/s
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        await using var es = await Emulated.StartAsync(spec);
        using var connection = await es.ConnectAsync();
        var api = new EsApi(connection);
        await SnapshotRepositories.RegisterAsync(api, "nightly", "fs", new Dictionary<string, object?> { ["location"] = "nightly" }, false, true, CancellationToken.None);

        var started = await Snapshots.Snapshots.CreateAsync(api, "nightly", "before-8", null, includeGlobalState: true, partial: false, CancellationToken.None);
        Assert.Equal("IN_PROGRESS", started.State);
        var done = await Snapshots.Snapshots.WaitAsync(api, "nightly", "before-8", TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.Equal(("SUCCESS", "logs", 2), (done.State, Assert.Single(done.Indices), done.ShardsTotal));

        var lookup = await Snapshots.Snapshots.FindAsync(api, null, new[] { "before-*", "nope" }, CancellationToken.None);
        Assert.Equal("before-8", Assert.Single(lookup.Found).Name);
        Assert.Equal(ErrorIds.SnapshotNotFound, Assert.Single(lookup.Missing).ErrorId);
        var again = await Assert.ThrowsAsync<EsException>(() => Snapshots.Snapshots.CreateAsync(api, "nightly", "before-8", null, true, false, CancellationToken.None));
        Assert.Contains("already exists", again.Message);

        // A primary gone: refused, or PARTIAL which is never success.
        var holder = es.Host.Cluster.Nodes.First(n => es.Host.Cluster.AllCopies.Any(c => c.NodeId == n.Id) && n.Name != es.Host.Cluster.Master!.Name);
        await es.Host.StopNodeAsync(holder.Name);
        var refused = await Assert.ThrowsAsync<EsException>(() => Snapshots.Snapshots.CreateAsync(api, "nightly", "whole", null, true, false, CancellationToken.None));
        Assert.Contains("don't have primary shards", refused.Message);
        await Snapshots.Snapshots.CreateAsync(api, "nightly", "part", null, true, partial: true, CancellationToken.None);
        var partial = await Assert.ThrowsAsync<EsException>(() => Snapshots.Snapshots.WaitAsync(api, "nightly", "part", TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.Equal(ErrorIds.SnapshotFailed, partial.ErrorId);
        Assert.Contains("ended PARTIAL: 1 of 2 shards failed", partial.Message);

        await Snapshots.Snapshots.DeleteAsync(api, "nightly", "before-8", CancellationToken.None);
        Assert.Equal(ErrorIds.SnapshotNotFound, (await Assert.ThrowsAsync<EsException>(() => Snapshots.Snapshots.DeleteAsync(api, "nightly", "before-8", CancellationToken.None))).ErrorId);
    }

    [Fact]
    public async Task A_snapshot_whose_repository_went_away_ends_FAILED_and_is_an_error()
    {
        var spec = ClusterSpec.Uniform(1, "7.17.29");
        spec.PathRepo.Add(root);
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = 1, Replicas = 0, Documents = 400_000 });    // 2 s at 200 MB/s
        spec.NodeBootTime = spec.ShardFetchTime = spec.ElectionTime = TimeSpan.Zero;
        await using var es = await Emulated.StartAsync(spec);
        using var connection = await es.ConnectAsync();
        var api = new EsApi(connection);
        var repo = await SnapshotRepositories.RegisterAsync(api, "share", "fs", new Dictionary<string, object?> { ["location"] = "share" }, false, true, CancellationToken.None);
        await Snapshots.Snapshots.CreateAsync(api, "share", "s1", null, true, false, CancellationToken.None);
        Directory.Delete(repo.Location!, recursive: true);    // the share is unmounted while the snapshot runs
        var failed = await Assert.ThrowsAsync<EsException>(() => Snapshots.Snapshots.WaitAsync(api, "share", "s1", TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.Equal(ErrorIds.SnapshotFailed, failed.ErrorId);
        Assert.Contains("ended FAILED: 1 of 1 shards failed (logs[0]: [share] failed to write to the repository", failed.Message);
    }
}
