using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

public static class IlmHandlers
{
    /// <summary>GET _ilm/policy[/{policy}]: an object keyed by policy; a missing name is 404 resource_not_found_exception.</summary>
    public static Task<Reply> GetPolicies(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var names = r.Param("policy");
            var all = r.Cluster.IlmPolicies.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
            if (names != null)
            {
                var parts = names.Split(',');
                foreach (var p in parts.Where(p => all.All(x => x.Name != p)))
                    throw new EsError(404, "resource_not_found_exception", $"Lifecycle policy not found: [{p}]");
                all = all.Where(x => parts.Contains(x.Name)).ToList();
            }
            return Task.FromResult(Reply.Ok(all.ToDictionary(p => p.Name, p => (object?)new Dictionary<string, object?>
            {
                ["version"] = 1,
                ["modified_date"] = "2021-03-01T00:00:00.000Z",
                ["policy"] = new Dictionary<string, object?>
                {
                    ["phases"] = p.Phases.ToDictionary(ph => ph.Key, ph => (object?)new Dictionary<string, object?>
                    {
                        ["min_age"] = "0ms",
                        ["actions"] = ph.Value.ToDictionary(a => a, _ => (object?)new Dictionary<string, object?>()),
                    }),
                },
                ["in_use_by"] = new Dictionary<string, object?> { ["indices"] = Array.Empty<string>(), ["data_streams"] = Array.Empty<string>(), ["composable_templates"] = Array.Empty<string>() },
            })));
        }
    }
}
