using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;
using EsUpgrade.Errors;

namespace EsUpgrade.Commands;

/// <summary>
/// What every EsUpgrade cmdlet shares. Two jobs, two families of methods:
/// <see cref="OffPipeline{T}"/> runs core work on a worker while its verbose/debug/warning/progress messages
/// (and anything it asks of the session) are handled here, on the pipeline thread, with Ctrl+C cancelling it;
/// <see cref="WriteErrorOnFailure"/> and <see cref="StopOnFailure"/> decide what a failure does, turning core
/// exceptions into ErrorRecords with a stable ErrorId, a category and a target.
/// </summary>
public abstract class EsCmdlet : PSCmdlet
{
    readonly CancellationTokenSource cancel = new CancellationTokenSource();

    // Not disposed: a token source without timers holds nothing, and Ctrl+C may come after EndProcessing.
    protected override void StopProcessing() => cancel.Cancel();

    /// <summary>The cluster the work talks to; null for a cmdlet that works on none.</summary>
    protected virtual EsConnection? CallConnection => null;

    /// <summary>Runs core work off the pipeline thread and pumps its messages here until it is done.</summary>
    protected T OffPipeline<T>(Func<CoreCall, Task<T>> work)
    {
        var connection = CallConnection;
        calledConnection = connection;
        using var queue = new PipelineQueue();
        var call = new CoreCall(queue, connection is null ? null : new EsApi(connection, queue), cancel.Token);
        var task = Task.Run(() => work(call));
        task.ContinueWith(_ => queue.Complete(), TaskScheduler.Default);
        try
        {
            foreach (var message in queue.Messages)
                message(this);
        }
        catch
        {
            // A Write* threw (-WarningAction Stop, a stopped pipeline): stop the work and let it put things back
            // (a failed upgrade restores shard allocation) before the exception leaves the cmdlet.
            cancel.Cancel();
            queue.Abandon();
            try { task.Wait(TimeSpan.FromMinutes(3)); } catch (AggregateException) { }
            throw;
        }
        return task.GetAwaiter().GetResult();
    }

    protected void OffPipeline(Func<CoreCall, Task> work) =>
        OffPipeline<bool>(async call => { await work(call).ConfigureAwait(false); return true; });

    /// <summary>Work for one target: a failure is written as a non-terminating error and the command goes on. False on failure.</summary>
    protected bool WriteErrorOnFailure(Action action, object? target = null)
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
        catch (Exception ex) when (IsUnexpected(ex))
        {
            WriteError(Unexpected(ex, target));
            return false;
        }
    }

    /// <summary>Work the rest of the command depends on: a failure stops the command (a terminating error).</summary>
    protected void StopOnFailure(Action action, object? target = null)
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
        catch (Exception ex) when (IsUnexpected(ex))
        {
            ThrowTerminatingError(Unexpected(ex, target));
        }
    }

    /// <summary>A file the command would write is there already: a DestinationExists error unless -Force.</summary>
    protected static void RefuseToOverwrite(string path, bool force)
    {
        if (System.IO.File.Exists(path) && !force)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.DestinationExists, $"'{path}' exists: give -Force to replace it, or another -Path.", path);
    }

    /// <summary>Writes what a lookup found, then one ObjectNotFound error for each full name that matched nothing.</summary>
    protected void WriteLookup<T>(Lookup<IReadOnlyList<T>> lookup)
    {
        foreach (var item in lookup.Found) WriteObject(item);
        foreach (var missing in lookup.Missing) WriteError(ToErrorRecord(missing));
    }

    /// <summary>
    /// What no code path expected (a bug, an answer of a shape never seen): still an ErrorRecord, never a stack
    /// trace. PowerShell's own exceptions (a stopped pipeline, -ErrorAction Stop, a prompt refused in a
    /// non-interactive session) go on as they are, with their own ErrorRecords.
    /// </summary>
    bool IsUnexpected(Exception ex) => ex is not RuntimeException && ex is not IContainsErrorRecord && !(ex is OperationCanceledException && cancel.IsCancellationRequested);

    ErrorRecord Unexpected(Exception ex, object? target)
    {
        if (IsUnreadableAnswer(ex))
        {
            var call = calledConnection is { } c && c.LastCall() is string last ? $" (from {c.Name}; its last call {last})" : "";
            return ToErrorRecord(new EsException(EsErrorKind.InvalidResult, ErrorIds.InvalidResponse,
                $"An answer of the cluster{call} could not be read: it is not of the shape Elasticsearch sends ({ex.GetType().Name}: {ex.Message}). " +
                "A proxy between you and the cluster may have changed it; run the command again with -Debug to see each call.", target, ex), target);
        }
        return new ErrorRecord(new EsException(EsErrorKind.Server, ErrorIds.UnexpectedError,
            $"EsUpgrade met an unexpected {ex.GetType().Name}: {ex.Message} Please report it with the command that caused it.", target, ex),
            ErrorIds.UnexpectedError, ErrorCategory.NotSpecified, target);
    }

    /// <summary>The connection the command's core work talked to, once it has (null for a command that works on none).</summary>
    EsConnection? calledConnection;

    /// <summary>
    /// What reading a hostile answer throws: a JSON value of another kind than the field always has, a number past its
    /// type, a field missing that every version sends — thrown in the core, or in System.Text.Json under it, while the
    /// command talked to a cluster. Anywhere else the same exception is a bug, and says so.
    /// </summary>
    bool IsUnreadableAnswer(Exception ex)
    {
        if (calledConnection is null || ex is ObjectDisposedException || ex.GetType().Assembly == typeof(PSObject).Assembly) return false;
        if (!(ex is InvalidOperationException or FormatException or OverflowException or InvalidCastException or NullReferenceException
                or KeyNotFoundException or IndexOutOfRangeException or ArgumentOutOfRangeException || ex.GetType().FullName == "System.Text.Json.JsonException"))
            return false;
        var core = typeof(EsConnection).Assembly;
        var thrownIn = ex.TargetSite?.DeclaringType?.Assembly;
        if (thrownIn == core) return true;
        // Thrown by System.Text.Json or the runtime (a JsonElement of another kind, a dictionary without the key) for the core.
        return thrownIn?.GetName().Name is "System.Text.Json" or "System.Private.CoreLib" or "mscorlib"
               && new System.Diagnostics.StackTrace(ex).GetFrames()?.Any(f => f.GetMethod()?.DeclaringType?.Assembly == core) == true;
    }

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
        EsErrorKind.InvalidResult => ErrorCategory.InvalidResult,
        _ => ErrorCategory.NotSpecified,
    };
}

/// <summary>A cmdlet that works on one cluster: -Connection, bound from the pipeline (a connection or any EsUpgrade object).</summary>
public abstract class EsClusterCmdlet : EsCmdlet
{
    EsConnection? given;
    EsConnection? resolved;
    HashSet<string> onCommandLine = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public EsConnection? Connection { get; set; }

    /// <summary>The object piped in, whatever it is: tells a name that came from a thing in the cluster from one that came from the cluster itself.</summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    public PSObject? InputObject { get; set; }

    protected override void BeginProcessing()
    {
        onCommandLine = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
        base.BeginProcessing();
    }

    /// <summary>
    /// The names a parameter narrows to for this record. Piped objects narrow by their names (an index, a node,
    /// a setting), but a connection or Get-EsCluster's object stands for the whole cluster: its Name is not the
    /// name of a thing in it, so it narrows nothing.
    /// A piped object that names no such thing (an upgrade result piped to Get-EsIndex, a bare string) narrows
    /// to nothing: false, with an error written, never "everything".
    /// </summary>
    protected bool TryNarrow<T>(T? names, string parameter, string thing, out T? narrowed) where T : class
    {
        narrowed = names;
        if (onCommandLine.Contains(parameter) || InputObject?.BaseObject is not object piped) return true;
        if (StandsForTheCluster(piped))
        {
            narrowed = null;
            return true;
        }
        if (names != null) return true;
        WriteError(ToErrorRecord(new EsException(EsErrorKind.InvalidArgument, ErrorIds.PipedObjectNamesNothing,
            $"A piped {piped.GetType().Name} names no {thing}: pipe {thing} objects (or objects with a {parameter} property), or give -{parameter}.", piped)));
        return false;
    }

    /// <summary>Objects that stand for the whole cluster: piped in, they narrow nothing.</summary>
    static bool StandsForTheCluster(object piped) => piped is EsConnection or Inventory.EsCluster or Health.EsClusterHealth
        or Upgrade.UpgradePlan or Allocation.AllocationChange or Allocation.AllocationSetting or Assessment.DeprecationLoggingState;

    /// <summary>-Connection or the session's current one, resolved once for each value -Connection takes.</summary>
    protected EsConnection TargetConnection
    {
        get
        {
            if (resolved is null || !ReferenceEquals(given, Connection))
            {
                resolved = ConnectionRegistry.Session.Resolve(Connection);
                given = Connection;
            }
            return resolved;
        }
    }

    protected override EsConnection? CallConnection => TargetConnection;
}
