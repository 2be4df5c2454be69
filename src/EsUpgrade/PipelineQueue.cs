using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using EsUpgrade.Diagnostics;

namespace EsUpgrade.Commands;

/// <summary>Core messages and calls, queued from any thread, carried out by the pipeline thread.</summary>
sealed class PipelineQueue : IEsLog, IDisposable
{
    readonly BlockingCollection<Action<EsCmdlet>> queue = new BlockingCollection<Action<EsCmdlet>>();

    public IEnumerable<Action<EsCmdlet>> Messages => queue.GetConsumingEnumerable();
    public void Complete() => queue.CompleteAdding();

    void Post(Action<EsCmdlet> write)
    {
        try { queue.TryAdd(write); }
        catch (InvalidOperationException) { } // the work has finished; nothing is listening any more
    }

    public Task<T> Invoke<T>(Func<T> func)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(_ =>
        {
            try { done.SetResult(func()); }
            catch (Exception ex) { done.SetException(ex); }
        });
        return done.Task;
    }

    public void Verbose(string message) => Post(c => c.WriteVerbose(message));
    public void Debug(string message) => Post(c => c.WriteDebug(message));
    public void Warning(string message) => Post(c => c.WriteWarning(message));
    public void Progress(EsProgress p) => Post(c => c.WriteProgress(new ProgressRecord(p.ActivityId, p.Activity, p.Status)
    {
        PercentComplete = p.PercentComplete,
        ParentActivityId = p.ParentActivityId,
        RecordType = p.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
    }));

    public void Dispose() => queue.Dispose();
}
