using System.Text.Json.Nodes;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Http.Handlers;

/// <summary>Index templates: legacy (_template), composable (_index_template) and component (_component_template).</summary>
public static class TemplateHandlers
{
    /// <summary>GET _template[/{name}]: an object keyed by template name; a full name that matches nothing is 404 with {}.</summary>
    public static Task<Reply> GetLegacy(RestRequest r)
    {
        lock (r.Cluster.Sync)
        {
            var (found, missing) = Select(r.Cluster, TemplateKind.Legacy, r.Param("name"));
            var body = found.ToDictionary(t => t.Name, t => (object?)new Dictionary<string, object?>
            {
                ["order"] = t.Order,
                ["index_patterns"] = t.IndexPatterns,
                ["settings"] = new Dictionary<string, object?>(),
                ["mappings"] = t.MappingTypes.ToDictionary(type => type, _ => (object?)new Dictionary<string, object?>()),
                ["aliases"] = new Dictionary<string, object?>(),
            });
            return Task.FromResult(missing ? Reply.Of(404, body) : Reply.Ok(body));
        }
    }

    /// <summary>PUT _template/{name}: index_patterns required; a 7.x mapping may name one type (include_type_name), 8.x none.</summary>
    public static Task<Reply> PutLegacy(RestRequest r)
    {
        var body = r.JsonBody() ?? throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: index patterns are missing;");
        var patterns = body["index_patterns"] switch
        {
            JsonArray a => a.Select(p => p!.GetValue<string>()).ToList(),
            JsonValue v => new List<string> { v.GetValue<string>() },
            _ => throw new EsError(400, "action_request_validation_exception", "Validation Failed: 1: index patterns are missing;"),
        };
        var types = (body["mappings"] as JsonObject)?.Where(p => p.Value is JsonObject o && !o.ContainsKey("properties") || r.Flag("include_type_name"))
            .Select(p => p.Key).ToList() ?? new List<string>();
        r.Cluster.PutTemplate(new TemplateSpec { Name = r.Param("name")!, IndexPatterns = patterns, MappingTypes = types, Order = body["order"]?.GetValue<int>() ?? 0 });
        return Task.FromResult(Reply.Acknowledged());
    }

    /// <summary>GET _index_template[/{name}]: {"index_templates":[{"name", "index_template"}]}; a missing full name is 404 resource_not_found_exception.</summary>
    public static Task<Reply> GetComposable(RestRequest r) => Composed(r, TemplateKind.Composable, "index_templates", "index_template", "index template");

    /// <summary>GET _component_template[/{name}]: {"component_templates":[{"name", "component_template"}]}.</summary>
    public static Task<Reply> GetComponent(RestRequest r) => Composed(r, TemplateKind.Component, "component_templates", "component_template", "component template");

    static Task<Reply> Composed(RestRequest r, TemplateKind kind, string listKey, string itemKey, string what)
    {
        lock (r.Cluster.Sync)
        {
            var name = r.Param("name");
            var (found, missing) = Select(r.Cluster, kind, name);
            if (missing) throw new EsError(404, "resource_not_found_exception", $"{what} matching [{name}] not found");
            return Task.FromResult(Reply.Ok(new Dictionary<string, object?>
            {
                [listKey] = found.Select(t => new Dictionary<string, object?>
                {
                    ["name"] = t.Name,
                    [itemKey] = kind == TemplateKind.Component
                        ? new Dictionary<string, object?> { ["template"] = new Dictionary<string, object?>() }
                        : new Dictionary<string, object?> { ["index_patterns"] = t.IndexPatterns, ["composed_of"] = Array.Empty<string>(), ["priority"] = t.Order },
                }).ToList(),
            }));
        }
    }

    static (List<TemplateSpec> Found, bool Missing) Select(EmulatedCluster cluster, TemplateKind kind, string? names)
    {
        var all = cluster.Templates.Where(t => t.Kind == kind).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        if (names is null or "*" or "_all") return (all, false);
        var parts = names.Split(',');
        var found = all.Where(t => parts.Any(p => Wildcard.Matches(p, t.Name))).ToList();
        return (found, found.Count == 0 && parts.Any(p => !Wildcard.IsPattern(p)));
    }
}
