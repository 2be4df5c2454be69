using System;
using System.Threading;
using System.Threading.Tasks;
using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;

namespace EsUpgrade.Commands;

/// <summary>What core work running under <see cref="EsCmdlet.OffPipeline{T}"/> is handed: its API, log, cancellation, and a way back to the pipeline thread.</summary>
public sealed class CoreCall
{
    readonly PipelineQueue queue;
    readonly EsApi? api;

    internal CoreCall(PipelineQueue queue, EsApi? api, CancellationToken cancellation)
    {
        this.queue = queue;
        this.api = api;
        Cancellation = cancellation;
    }

    /// <summary>The cluster's API, logging to this cmdlet's streams.</summary>
    public EsApi Api => api ?? throw new InvalidOperationException("This cmdlet works on no cluster.");
    public IEsLog Log => queue;
    /// <summary>Cancelled by Ctrl+C (StopProcessing).</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Runs <paramref name="func"/> on the pipeline thread (a ScriptBlock, ShouldProcess, WriteObject) and hands its result back.</summary>
    public Task<T> OnPipelineThread<T>(Func<T> func) => queue.Invoke(func);
}
