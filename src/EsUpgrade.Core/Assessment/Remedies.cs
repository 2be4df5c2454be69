namespace EsUpgrade.Assessment;

/// <summary>How to clear a finding: EsUpgrade's command where there is one, else Elasticsearch's call or the step to take.</summary>
internal static class Remedies
{
    public static string? For(EsDeprecation f)
    {
        if (f.SettingsToRemove.Count > 0 && f.Category == DeprecationCategory.Index)
            return $"PUT {f.Resource}/_settings with null for: {string.Join(", ", f.SettingsToRemove)}";
        if (f.SettingsToRemove.Count > 0)
            return f.Source == FindingSource.EsUpgrade
                ? $"Set each persistently (PUT _cluster/settings \"persistent\"), then reset it in \"transient\" with null: {string.Join(", ", f.SettingsToRemove)}"
                : $"PUT _cluster/settings with null for: {string.Join(", ", f.SettingsToRemove)}";
        if (f.Message.Contains("created before") || f.Message.Contains("compatibility version <"))
            return f.Message.StartsWith("Hidden", System.StringComparison.Ordinal)
                ? "POST _migration/system_features for a system index; reindex or delete any other."
                : "Reindex into a new index (or delete it), then point aliases at the new one.";
        if (f.Category == DeprecationCategory.Node)
            return "Edit elasticsearch.yml on the nodes named: Test-EsNodeConfiguration and Convert-EsNodeConfiguration show and write the 8.x form.";
        if (f.Category == DeprecationCategory.MachineLearning && f.Message.IndexOf("odel snapshot", System.StringComparison.Ordinal) >= 0)
            return "POST _ml/anomaly_detectors/<job>/model_snapshots/<snapshot>/_upgrade, or delete the snapshot.";
        return null;
    }
}
