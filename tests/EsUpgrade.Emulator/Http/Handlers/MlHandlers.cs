using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

public static class MlHandlers
{
    /// <summary>POST _ml/set_upgrade_mode?enabled=true|false → {"acknowledged":true}.</summary>
    public static Task<Reply> SetUpgradeMode(RestRequest r)
    {
        var enabled = r.Q("enabled") ?? "false";
        if (!bool.TryParse(enabled, out var on))
            throw EsError.IllegalArgument($"Failed to parse value [{enabled}] as only [true] or [false] are allowed.");
        r.Cluster.SetMlUpgradeMode(on);
        return Task.FromResult(Reply.Acknowledged());
    }

    public static Task<Reply> Info(RestRequest r)
    {
        lock (r.Cluster.Sync)
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?>
            {
                ["defaults"] = new Dictionary<string, object?> { ["anomaly_detectors"] = new Dictionary<string, object?>(), ["datafeeds"] = new Dictionary<string, object?>() },
                ["upgrade_mode"] = r.Cluster.MlUpgradeMode,
                ["native_code"] = new Dictionary<string, object?> { ["version"] = r.Node.Profile.Number, ["build_hash"] = r.Node.Profile.BuildHash[..12] },
                ["limits"] = new Dictionary<string, object?>(),
            }));
    }
}
