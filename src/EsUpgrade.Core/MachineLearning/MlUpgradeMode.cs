using System;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.MachineLearning;

/// <summary>ML upgrade mode: jobs and datafeeds pause while nodes restart (POST _ml/set_upgrade_mode).</summary>
public static class MlUpgradeMode
{
    public static async Task SetAsync(EsApi api, bool enabled, CancellationToken ct)
    {
        await api.SendAsync(new EsRequest("POST", "/_ml/set_upgrade_mode?enabled=" + (enabled ? "true" : "false") + "&timeout=10m", null, TimeSpan.FromMinutes(11)), ct).ConfigureAwait(false);
        api.Log.Verbose($"[{api.Connection.Name}] ML upgrade mode {(enabled ? "on" : "off")}");
    }

    public static async Task<bool> GetAsync(EsApi api, CancellationToken ct)
    {
        var info = await api.GetJsonAsync(EsRequest.Get("/_ml/info"), ct).ConfigureAwait(false);
        return info.Bool("upgrade_mode");
    }
}
