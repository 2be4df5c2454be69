using System;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Errors;
using EsUpgrade.Json;
using EsUpgrade.Wire;

namespace EsUpgrade.MachineLearning;

/// <summary>ML upgrade mode: jobs and datafeeds pause while nodes restart (POST _ml/set_upgrade_mode).</summary>
public static class MlUpgradeMode
{
    /// <summary>POST _ml/set_upgrade_mode; <c>MlUnavailable</c> when the cluster runs without machine learning.</summary>
    public static async Task SetAsync(EsApi api, bool enabled, CancellationToken ct)
    {
        try
        {
            await api.SendAsync(new EsRequest("POST", "/_ml/set_upgrade_mode?enabled=" + (enabled ? "true" : "false") + "&timeout=10m", null, TimeSpan.FromMinutes(11)), ct).ConfigureAwait(false);
        }
        catch (EsServerException ex) when (IsNoHandler(ex))
        {
            throw Unavailable(api, ex);
        }
        api.Log.Verbose($"[{api.Connection.Name}] ML upgrade mode {(enabled ? "on" : "off")}");
    }

    public static async Task<bool> GetAsync(EsApi api, CancellationToken ct)
    {
        try
        {
            var info = await api.GetJsonAsync(EsRequest.Get("/_ml/info"), ct).ConfigureAwait(false);
            return info.Bool("upgrade_mode");
        }
        catch (EsServerException ex) when (IsNoHandler(ex))
        {
            throw Unavailable(api, ex);
        }
    }

    /// <summary>Elasticsearch's answer for a route no plugin registered: 400, "no handler found for uri [...]".</summary>
    static bool IsNoHandler(EsServerException ex) =>
        ex.StatusCode == 400 && ex.Reason?.StartsWith("no handler found", StringComparison.Ordinal) == true;

    static EsException Unavailable(EsApi api, EsServerException cause) =>
        new EsException(EsErrorKind.InvalidState, ErrorIds.MlUnavailable,
            $"{api.Connection.Name} runs without machine learning (xpack.ml.enabled: false, or a license without ML): there is no ML upgrade mode to set.", api.Connection.Name, cause);
}
