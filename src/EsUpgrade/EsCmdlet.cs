using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;
using EsUpgrade.Errors;

namespace EsUpgrade.Commands
{
    /// <summary>
    /// What every EsUpgrade cmdlet shares: Ctrl+C cancels the HTTP call or wait; the core runs on a worker
    /// while its verbose/debug/warning/progress messages are written here, on the pipeline thread;
    /// core exceptions become ErrorRecords with a stable ErrorId, a category and a target.
    /// </summary>
    public abstract class EsCmdlet : PSCmdlet
    {
        readonly CancellationTokenSource cancel = new CancellationTokenSource();

        protected CancellationToken Cancellation => cancel.Token;

        // Not disposed: a token source without timers holds nothing, and Ctrl+C may come after EndProcessing.
        protected override void StopProcessing() => cancel.Cancel();

        /// <summary>Runs core work off the pipeline thread and pumps its messages until it is done.</summary>
        protected T Run<T>(Func<IEsLog, CancellationToken, Task<T>> work)
        {
            using var log = new QueuedLog();
            var task = Task.Run(() => work(log, cancel.Token));
            task.ContinueWith(_ => log.Complete(), TaskScheduler.Default);
            foreach (var message in log.Messages)
                message(this);
            return task.GetAwaiter().GetResult();
        }

        /// <summary>
        /// From core work running under <see cref="Run{T}"/>: runs <paramref name="func"/> on the pipeline thread
        /// (a ScriptBlock, ShouldProcess, WriteObject) and hands its result back to the worker.
        /// </summary>
        protected static Task<T> OnPipelineThread<T>(IEsLog log, Func<T> func) => ((QueuedLog)log).Invoke(func);

        protected void Run(Func<IEsLog, CancellationToken, Task> work) =>
            Run<bool>(async (log, ct) => { await work(log, ct).ConfigureAwait(false); return true; });

        /// <summary>Runs work for one target; a failure is written as a non-terminating error.</summary>
        protected bool TryRun(Action action, object? target = null)
        {
            try
            {
                action();
                return true;
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return false;
            }
            catch (EsException ex)
            {
                WriteError(ToErrorRecord(ex, target));
                return false;
            }
        }

        /// <summary>Runs work that the rest of the command depends on; a failure stops the command.</summary>
        protected void RunOrStop(Action action, object? target = null)
        {
            try
            {
                action();
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (EsException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex, target));
            }
        }

        protected EsConnection ResolveConnection(EsConnection? given) => ConnectionRegistry.Session.Resolve(given);

        public static ErrorRecord ToErrorRecord(EsException ex, object? target = null) =>
            new ErrorRecord(ex, ex.ErrorId, CategoryOf(ex.Kind), ex.Target ?? target);

        static ErrorCategory CategoryOf(EsErrorKind kind) => kind switch
        {
            EsErrorKind.Connection => ErrorCategory.ConnectionError,
            EsErrorKind.Certificate => ErrorCategory.SecurityError,
            EsErrorKind.Authentication => ErrorCategory.AuthenticationError,
            EsErrorKind.Permission => ErrorCategory.PermissionDenied,
            EsErrorKind.NotFound => ErrorCategory.ObjectNotFound,
            EsErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
            EsErrorKind.Timeout => ErrorCategory.OperationTimeout,
            EsErrorKind.NotElasticsearch => ErrorCategory.InvalidResult,
            EsErrorKind.InvalidState => ErrorCategory.InvalidOperation,
            _ => ErrorCategory.NotSpecified,
        };

        /// <summary>Core messages, queued from any thread, written by the pipeline thread.</summary>
        sealed class QueuedLog : IEsLog, IDisposable
        {
            readonly BlockingCollection<Action<EsCmdlet>> queue = new BlockingCollection<Action<EsCmdlet>>();

            public System.Collections.Generic.IEnumerable<Action<EsCmdlet>> Messages => queue.GetConsumingEnumerable();
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
    }

    /// <summary>A cmdlet that works on one cluster: -Connection, bound from the pipeline (a connection or any EsUpgrade object).</summary>
    public abstract class EsClusterCmdlet : EsCmdlet
    {
        [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public EsConnection? Connection { get; set; }

        protected EsApi Api(IEsLog log) => new EsApi(ResolveConnection(Connection), log);
    }
}
