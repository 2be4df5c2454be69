namespace EsUpgrade.Upgrade;

/// <summary>The steps of one node's upgrade, in order.</summary>
public enum UpgradeStep { SafetyCheck, DisableAllocation, Flush, MlUpgradeMode, NodeActionStarted, NodeAction, WaitForNode, EnableAllocation, WaitForHealth }
