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
    readonly List<Action> abandonPending = new List<Action>();
    bool abandoned;

    public IEnumerable<Action<EsCmdlet>> Messages => queue.GetConsumingEnumerable();
    public void Complete() => queue.CompleteAdding();

    /// <summary>
    /// The pipeline thread stops pumping (a Write* threw, say under -WarningAction Stop): later messages are
    /// dropped, and every call waiting for the pipeline thread fails at once instead of hanging the work.
    /// </summary>
    public void Abandon()
    {
        List<Action> pending;
        lock (abandonPending)
        {
            abandoned = true;
            pending = new List<Action>(abandonPending);
            abandonPending.Clear();
        }
        try { queue.CompleteAdding(); } catch (ObjectDisposedException) { }
        foreach (var fail in pending) fail();
    }

    bool Post(Action<EsCmdlet> write)
    {
        try { return queue.TryAdd(write); }
        catch (InvalidOperationException) { return false; } // the work has finished; nothing is listening any more
    }

    public Task<T> Invoke<T>(Func<T> func)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Action fail = () => done.TrySetException(new OperationCanceledException("The command stopped before the pipeline thread could run this."));
        lock (abandonPending)
        {
            if (abandoned) { fail(); return done.Task; }
            abandonPending.Add(fail);
        }
        if (!Post(_ =>
        {
            lock (abandonPending) abandonPending.Remove(fail);
            try { done.TrySetResult(func()); }
            catch (Exception ex) { done.TrySetException(ex); }
        }))
            fail();
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
