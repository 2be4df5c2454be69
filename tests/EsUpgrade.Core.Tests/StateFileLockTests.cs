using EsUpgrade.Errors;
using EsUpgrade.Upgrade;

namespace EsUpgrade.Core.Tests;

public class StateFileLockTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("esupgrade-lock-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task A_second_run_on_a_held_state_file_is_refused_naming_the_holder_and_a_released_one_is_free()
    {
        var path = Path.Combine(dir, "state.json");
        var first = new FileUpgradeStateStore(path);
        using (await first.HoldAsync(default))
        {
            var refused = await Assert.ThrowsAsync<EsException>(() => new FileUpgradeStateStore(path).HoldAsync(default));
            Assert.Equal((ErrorIds.StateFileInUse, EsErrorKind.InvalidState), (refused.ErrorId, refused.Kind));
            Assert.Contains($"in use by {Environment.MachineName} process {Environment.ProcessId} since", refused.Message);
        }
        using (await new FileUpgradeStateStore(path).HoldAsync(default)) { }
        Assert.False(File.Exists(path + ".lock"), "a run that ended leaves no lock file behind");
    }
}
