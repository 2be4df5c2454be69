using System.Net;
using System.Security;
using EsUpgrade.Connections;
using EsUpgrade.Diagnostics;
using EsUpgrade.Emulator;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Core.Tests;

/// <summary>An emulated cluster and ways to connect the core to it.</summary>
public sealed class Emulated : IAsyncDisposable
{
    Emulated(EmulatorHost host) => Host = host;

    public EmulatorHost Host { get; }
    public IReadOnlyList<Uri> Uris => Host.NodeUris;

    public static async Task<Emulated> StartAsync(int nodes = 3, string version = "7.17.27", bool security = false, bool tls = false, params IndexSpec[] indices)
    {
        var spec = ClusterSpec.Uniform(nodes, version);
        spec.Indices.AddRange(indices);
        if (security) spec.Users["elastic"] = Password;
        spec.Tls = tls;
        return new Emulated(await EmulatorHost.StartAsync(spec));
    }

    public static Task<Emulated> StartAsync(ClusterSpec spec) => EmulatorHost.StartAsync(spec).ContinueWith(t => new Emulated(t.Result));

    public const string Password = "s3cret-Pa55word";

    public ConnectionSettings Settings(bool credentials = false)
    {
        var s = new ConnectionSettings(Uris);
        if (credentials) s.Credential = new NetworkCredential("elastic", Password);
        return s;
    }

    public Task<EsConnection> ConnectAsync(ConnectionSettings? settings = null, IEsLog? log = null, string? name = null) =>
        Connector.ConnectAsync(name, settings ?? Settings(), log ?? NullLog.Instance, CancellationToken.None);

    public static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (var c in text) s.AppendChar(c);
        s.MakeReadOnly();
        return s;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>Collects everything the core reports.</summary>
public sealed class RecordingLog : IEsLog
{
    public List<string> Lines { get; } = new();
    public List<EsProgress> ProgressReports { get; } = new();
    readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> watchers = new();

    /// <summary>Completes when a line matching <paramref name="match"/> is logged (or was already).</summary>
    public Task WhenLogged(Func<string, bool> match)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (Lines)
        {
            if (Lines.Any(match)) seen.SetResult();
            else watchers.Add((match, seen));
        }
        return seen.Task;
    }

    void Add(string line)
    {
        lock (Lines)
        {
            Lines.Add(line);
            foreach (var w in watchers.Where(w => w.Match(line)).ToList())
            {
                w.Seen.TrySetResult();
                watchers.Remove(w);
            }
        }
    }

    public void Verbose(string message) => Add("VERBOSE " + message);
    public void Debug(string message) => Add("DEBUG " + message);
    public void Warning(string message) => Add("WARNING " + message);
    public void Progress(EsProgress progress) { lock (Lines) ProgressReports.Add(progress); }
}
