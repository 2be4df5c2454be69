namespace EsUpgrade.Upgrade;

/// <summary>How one node's upgrade ended.</summary>
public enum NodeUpgradeStatus { Upgraded, AlreadyUpgraded, Skipped, Failed }
