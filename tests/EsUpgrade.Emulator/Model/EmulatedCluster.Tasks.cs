namespace EsUpgrade.Emulator.Model;

/// <summary>A reindex running as a task: it copies documents on the emulator's clock.</summary>
public sealed class ReindexTask
{
    public required string Id { get; init; }
    /// <summary>The source index; for a reindex from a remote cluster, "host/index".</summary>
    public required string SourceName { get; init; }
    /// <summary>Documents copied per emulated second: slices run in parallel.</summary>
    public required double Rate { get; init; }
    /// <summary>The destination (null for a task that failed before it had one).</summary>
    public EmulatedIndex? Dest { get; init; }
    public required string DestName { get; init; }
    /// <summary>What stopped the task before it copied anything (kept as the .tasks index keeps a failed task's error).</summary>
    public EsError? Error { get; init; }
    public required long Total { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public long Created { get; set; }
    /// <summary>Documents the destination already held when the task started (op_type create skips them).</summary>
    public long Skipped { get; init; }
    public bool Completed { get; set; }
    public bool Canceled { get; set; }
    public string? Failure { get; set; }
}

/// <summary>Tasks: POST _reindex runs as one, GET _tasks/{id} follows it, POST _tasks/{id}/_cancel stops it.</summary>
public sealed partial class EmulatedCluster
{
    readonly Dictionary<string, ReindexTask> tasks = new(StringComparer.Ordinal);
    long nextTask = 1000;

    public ReindexTask? FindTask(string id) { lock (Sync) { AdvanceTasks(Clock.UtcNow); return tasks.GetValueOrDefault(id); } }
    public IReadOnlyList<ReindexTask> Tasks { get { lock (Sync) { AdvanceTasks(Clock.UtcNow); return tasks.Values.ToList(); } } }

    /// <summary>
    /// Starts copying every document of <paramref name="source"/> into <paramref name="dest"/> (op_type create: documents
    /// already there are skipped, so a second run adds nothing twice). A write-blocked destination fails at once.
    /// Slices copy in parallel, up to one per source shard.
    /// </summary>
    public ReindexTask StartReindex(EmulatedIndex source, EmulatedIndex dest, int slices = 1) =>
        StartReindex(source.Name, source.Documents, dest, Math.Clamp(slices, 1, source.NumberOfShards));

    /// <summary>Starts copying <paramref name="total"/> documents read from a source (another cluster's index, for reindex from remote).</summary>
    public ReindexTask StartReindex(string sourceName, long total, EmulatedIndex dest, int slices = 1)
    {
        lock (Sync)
        {
            RequireMaster();
            if (dest.Settings.GetValueOrDefault("index.blocks.write") == "true")
                throw new EsError(403, "cluster_block_exception", $"index [{dest.Name}] blocked by: [FORBIDDEN/8/index write (api)];");
            var now = Clock.UtcNow;
            var rate = Math.Max(1, Spec.ReindexDocsPerSecond) * Math.Max(1, slices);
            var missing = Math.Max(0, total - dest.Documents);
            var task = new ReindexTask
            {
                Id = $"{RequireMaster().Id}:{nextTask++}", SourceName = sourceName, Dest = dest, DestName = dest.Name, Total = total, StartedAt = now, Rate = rate,
                DueAt = now + TimeSpan.FromSeconds(missing / rate), Skipped = total - missing, Created = total - missing,
            };
            tasks[task.Id] = task;
            TrackBusy(now);
            Signal();
            return task;
        }
    }

    /// <summary>
    /// A reindex started without waiting validates inside its task (AbstractBaseReindexRestHandler): what it refuses — a
    /// host not in the whitelist, the remote's error, a missing source — is the task's stored error, not the answer.
    /// </summary>
    public ReindexTask FailedReindex(string sourceName, string destName, EsError error)
    {
        lock (Sync)
        {
            var now = Clock.UtcNow;
            var task = new ReindexTask
            {
                Id = $"{RequireMaster().Id}:{nextTask++}", SourceName = sourceName, DestName = destName, Total = 0, StartedAt = now, DueAt = now, Rate = 1,
                Error = error, Completed = true,
            };
            tasks[task.Id] = task;
            Signal();
            return task;
        }
    }

    public bool CancelTask(string id)
    {
        lock (Sync)
        {
            AdvanceTasks(Clock.UtcNow);
            if (!tasks.TryGetValue(id, out var t) || t.Completed) return false;
            t.Canceled = t.Completed = true;
            Signal();
            return true;
        }
    }

    /// <summary>Moves running reindexes to now: documents copied so far land in the destination. True when one finished.</summary>
    bool AdvanceTasks(DateTimeOffset now)
    {
        var finished = false;
        foreach (var t in tasks.Values.Where(t => !t.Completed && t.Dest != null))
        {
            var elapsed = (now - t.StartedAt).TotalSeconds;
            var target = Math.Min(t.Total, (long)(elapsed * t.Rate) + t.Skipped);
            if (Spec.FailingReindex == t.SourceName.Split('/').Last() && target >= t.Total / 2)
            {
                target = t.Total / 2;
                t.Failure = $"[{t.DestName}] failed to write documents: rejected execution of coordinating operation";
            }
            if (target > t.Created)
            {
                t.Dest!.CopiedDocuments += target - t.Created;
                t.Created = target;
            }
            if (t.Failure != null || now >= t.DueAt)
            {
                t.Completed = true;
                finished = true;
                TrackBusy(t.DueAt < now ? t.DueAt : now);
            }
        }
        return finished;
    }

    DateTimeOffset? NextTaskDue => tasks.Values.Where(t => !t.Completed).Select(t => (DateTimeOffset?)t.DueAt).Min();
}
