using System;
using System.Collections.Generic;

namespace EsUpgrade.WindowsNodes;

/// <summary>
/// Plugins that ship as modules from some version on: installing them there fails or does nothing, so they are not
/// reinstalled (UPGRADE-PAIN-POINTS §8). The repository plugins became modules in 8.0 (elastic/elasticsearch#82353
/// and the 8.0 breaking changes); ingest-attachment in 8.4.
/// </summary>
public static class PluginModules
{
    static readonly Dictionary<string, Version> ModuleSince = new Dictionary<string, Version>(StringComparer.OrdinalIgnoreCase)
    {
        ["repository-s3"] = new Version(8, 0, 0),
        ["repository-gcs"] = new Version(8, 0, 0),
        ["repository-azure"] = new Version(8, 0, 0),
        ["ingest-attachment"] = new Version(8, 4, 0),
    };

    public static bool IsModuleIn(string plugin, string version) =>
        ModuleSince.TryGetValue(plugin, out var since) && Version.TryParse(version, out var v) && v >= since;
}
