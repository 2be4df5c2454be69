namespace EsUpgrade.Emulator.Model;

/// <summary>Cluster settings (persistent, transient, defaults) and cluster-wide modes.</summary>
public sealed partial class EmulatedCluster
{
    public Dictionary<string, string> Persistent { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Transient { get; } = new(StringComparer.Ordinal);
    public bool MlUpgradeMode { get; private set; }

    /// <summary>The effective value: transient over persistent over default.</summary>
    public string Setting(string key)
    {
        if (pass != null && pass.Settings.TryGetValue(key, out var read)) return read;
        var value = Transient.TryGetValue(key, out var t) ? t
            : Persistent.TryGetValue(key, out var p) ? p
            : SettingsRegistry.DefaultValues(SettingsMajor).TryGetValue(key, out var d) ? d : "";
        if (pass != null) pass.Settings[key] = value;
        return value;
    }

    /// <summary>The major version whose settings the cluster takes: the elected master's (or the first node's).</summary>
    public int SettingsMajor => (Master ?? Nodes[0]).Profile.Major;

    public void UpdateSettings(IReadOnlyDictionary<string, string?> persistent, IReadOnlyDictionary<string, string?> transient)
    {
        lock (Sync)
        {
            RequireMaster();
            foreach (var (k, v) in persistent) SettingsRegistry.Validate("persistent", k, v, SettingsMajor);
            foreach (var (k, v) in transient) SettingsRegistry.Validate("transient", k, v, SettingsMajor);
            Apply(Persistent, persistent);
            Apply(Transient, transient);
            Reroute();
            TrackBusy(Clock.UtcNow);
            Signal();
        }
    }

    static void Apply(Dictionary<string, string> target, IReadOnlyDictionary<string, string?> updates)
    {
        foreach (var (k, v) in updates)
            if (v is null) target.Remove(k);
            else target[k] = v;    // kept as given, case and all; the deciders read .enable values in any case
    }

    /// <summary>POST _ml/set_upgrade_mode: a master-routed, cluster-wide flag.</summary>
    public void SetMlUpgradeMode(bool enabled)
    {
        lock (Sync)
        {
            RequireMaster();
            MlUpgradeMode = enabled;
            Signal();
        }
    }
}
