namespace EsUpgrade.Allocation;

/// <summary>The values of cluster.routing.allocation.enable.</summary>
public enum AllocationMode { All, Primaries, NewPrimaries, None }
