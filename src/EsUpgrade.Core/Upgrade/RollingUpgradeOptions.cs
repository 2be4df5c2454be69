using System;

namespace EsUpgrade.Upgrade;

/// <summary>How a rolling upgrade runs: ML upgrade mode, and how long each wait may take.</summary>
public sealed class RollingUpgradeOptions
{
    public bool UseMlUpgradeMode { get; set; }
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromMinutes(60);
    /// <summary>After a crash during a node action, how long a node that is not in the cluster is awaited before the action runs again.</summary>
    public TimeSpan ResumeGrace { get; set; } = TimeSpan.FromMinutes(3);
    /// <summary>How long a safety check waits for the cluster to become safe before it fails.</summary>
    public TimeSpan SafetyTimeout { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>
    /// After the action, how long the node may still be listed at its old version before that counts as a
    /// mismatch: a killed node stays listed until the master's follower checks give up (about 30 s).
    /// </summary>
    public TimeSpan StaleNodeGrace { get; set; } = TimeSpan.FromSeconds(45);
}
