using System;
using System.Collections.Generic;
using System.Linq;

namespace EsUpgrade.Upgrade;

/// <summary>
/// Everything a rolling upgrade must remember to resume after a crash: written after every step, so a
/// second run with the same state file starts at the first unfinished step.
/// </summary>
public sealed class UpgradeState
{
    public int FormatVersion { get; set; } = 1;
    /// <summary>This run's identity (a resume keeps it): the cluster's run marker names it.</summary>
    public string RunId { get; set; } = Guid.NewGuid().ToString("N");
    public string ClusterUuid { get; set; } = "";
    public string ClusterName { get; set; } = "";
    public string TargetVersion { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>cluster.routing.allocation.enable before the run touched it; null scope values mean unset.</summary>
    public bool AllocationCaptured { get; set; }
    public string? OriginalAllocationPersistent { get; set; }
    public string? OriginalAllocationTransient { get; set; }
    public bool MlUpgradeModeSetByRun { get; set; }
    public List<NodeState> Nodes { get; set; } = new List<NodeState>();
    /// <summary>Each change of health the run saw, in order.</summary>
    public List<HealthSample> Health { get; set; } = new List<HealthSample>();

    public sealed class HealthSample
    {
        public DateTimeOffset At { get; set; }
        public string Status { get; set; } = "";
    }
    public string? LastError { get; set; }

    /// <summary>One planned node, in plan order: the first run's plan is the run's plan, even if a node is down when it resumes.</summary>
    public sealed class NodeState
    {
        public string Name { get; set; } = "";
        public string Id { get; set; } = "";
        public string FromVersion { get; set; } = "";
        public int Position { get; set; }
        public string Group { get; set; } = "";
        public List<string> Roles { get; set; } = new List<string>();
        public bool IsMasterEligible { get; set; }
        public string? Host { get; set; }
        public List<UpgradeStep> Completed { get; set; } = new List<UpgradeStep>();
        /// <summary>When each step ended: what a later plan's estimate is calibrated with.</summary>
        public Dictionary<UpgradeStep, DateTimeOffset> StepEndedAt { get; set; } = new Dictionary<UpgradeStep, DateTimeOffset>();
        public DateTimeOffset? StartedAt { get; set; }
        public DateTimeOffset? EndedAt { get; set; }
        public bool Done { get; set; }
        /// <summary>The batch the node is restarted with (nodes of one batch share the number); 0 for one at a time.</summary>
        public int Batch { get; set; }
        /// <summary>Upgraded, but the cluster did not settle for a reason the run could name.</summary>
        public string? Warning { get; set; }

        /// <summary>A planned node as the state remembers it (nodes already on the target are done).</summary>
        public static NodeState Of(PlannedNode p) => new NodeState
        {
            Name = p.Name,
            Id = p.Id,
            FromVersion = p.CurrentVersion,
            Position = p.Position,
            Group = p.Group,
            Roles = p.Roles.ToList(),
            IsMasterEligible = p.IsMasterEligible,
            Host = p.Host,
            Done = p.AlreadyUpgraded,
            Batch = p.Batch,
        };

        /// <summary>The node as the first run planned it, for a resumed run that does not see it in the cluster.</summary>
        public PlannedNode AsPlanned() => new PlannedNode
        {
            Position = Position,
            Name = Name,
            Id = Id,
            CurrentVersion = FromVersion,
            Roles = Roles,
            IsMasterEligible = IsMasterEligible,
            Host = Host,
            Group = Group,
            Batch = Batch,
            Reason = "planned by the first run; not in the cluster when this run started",
        };
    }
}
