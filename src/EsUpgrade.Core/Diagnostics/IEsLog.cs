namespace EsUpgrade.Diagnostics;

/// <summary>
/// Where the core reports what it does. The module turns these into WriteVerbose/WriteDebug/
/// WriteWarning/WriteProgress on the pipeline thread; tests collect them.
/// </summary>
public interface IEsLog
{
    void Verbose(string message);
    void Debug(string message);
    void Warning(string message);
    void Progress(EsProgress progress);
}

/// <summary>A progress report: one activity, optionally a child of another.</summary>
public sealed class EsProgress
{
    public EsProgress(int activityId, string activity, string status, int percentComplete = -1, int parentActivityId = -1, bool completed = false)
    {
        ActivityId = activityId;
        Activity = activity;
        Status = status;
        PercentComplete = percentComplete;
        ParentActivityId = parentActivityId;
        Completed = completed;
    }

    public int ActivityId { get; }
    public int ParentActivityId { get; }
    public string Activity { get; }
    public string Status { get; }
    public int PercentComplete { get; }
    public bool Completed { get; }
}

/// <summary>A log that drops everything.</summary>
public sealed class NullLog : IEsLog
{
    public static readonly NullLog Instance = new NullLog();
    public void Verbose(string message) { }
    public void Debug(string message) { }
    public void Warning(string message) { }
    public void Progress(EsProgress progress) { }
}
