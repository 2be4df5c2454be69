using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using EsUpgrade.Errors;

namespace EsUpgrade.Upgrade
{
    /// <summary>The steps of one node's upgrade, in order.</summary>
    public enum UpgradeStep { SafetyCheck, DisableAllocation, Flush, MlUpgradeMode, NodeActionStarted, NodeAction, WaitForNode, EnableAllocation, WaitForHealth }

    /// <summary>
    /// Everything a rolling upgrade must remember to resume after a crash: written after every step, so a
    /// second run with the same state file starts at the first unfinished step.
    /// </summary>
    public sealed class UpgradeState
    {
        public int FormatVersion { get; set; } = 1;
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
            public DateTimeOffset? StartedAt { get; set; }
            public DateTimeOffset? EndedAt { get; set; }
            public bool Done { get; set; }
        }
    }

    /// <summary>Where the state lives. The file store replaces the file atomically, so a crash leaves the old or the new state, never half.</summary>
    public interface IUpgradeStateStore
    {
        UpgradeState? Load();
        void Save(UpgradeState state);
    }

    public sealed class FileUpgradeStateStore : IUpgradeStateStore
    {
        static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            WriteIndented = true,
            Converters = { new JsonStringEnumConverter() },
        };

        public FileUpgradeStateStore(string path) => Path = path;

        public string Path { get; }

        public UpgradeState? Load()
        {
            if (!File.Exists(Path)) return null;
            try
            {
                return JsonSerializer.Deserialize<UpgradeState>(File.ReadAllText(Path), Options);
            }
            catch (JsonException ex)
            {
                throw new EsException(EsErrorKind.InvalidArgument, "InvalidStateFile",
                    $"The state file '{Path}' is not an EsUpgrade state file (or is damaged): {ex.Message}", Path, ex);
            }
        }

        public void Save(UpgradeState state)
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            var temp = Path + ".tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(state, Options));
            if (File.Exists(Path)) File.Replace(temp, Path, null);
            else File.Move(temp, Path);
        }
    }

    /// <summary>A store for runs without -StatePath: kept in memory only.</summary>
    public sealed class MemoryUpgradeStateStore : IUpgradeStateStore
    {
        UpgradeState? state;
        public UpgradeState? Load() => state;
        public void Save(UpgradeState value) => state = value;
    }
}
