using System.Text.Json;
using EsUpgrade.Emulator;
using EsUpgrade.Emulator.Control;
using EsUpgrade.Emulator.Model;

// Command line: see README ("The emulator"). Runs until stopped (Ctrl+C or SIGTERM).
ClusterSpec spec;
string? readyFile = null, certDir = null;
var controlPort = 0;
try
{
    (spec, readyFile, certDir, controlPort) = EmulatorCommandLine.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine(EmulatorCommandLine.Usage);
    return 2;
}

await using var host = await EmulatorHost.StartAsync(spec, certDir);
var control = await ControlServer.StartAsync(host, controlPort);
var controlUri = control.Urls.First();
var ready = new
{
    pid = Environment.ProcessId,
    control = controlUri,
    scheme = host.Scheme,
    nodes = host.Cluster.Nodes.Select(n => new { name = n.Name, version = n.Profile.Number, uri = host.NodeUri(n.Name).ToString().TrimEnd('/') }),
    caCertificatePath = host.Tls?.CaCertificatePath,
    caFingerprint = host.Tls?.CaFingerprint,
    leafFingerprint = host.Tls?.LeafFingerprint,
};
var json = JsonSerializer.Serialize(ready, new JsonSerializerOptions { WriteIndented = true });
if (readyFile != null)
{
    File.WriteAllText(readyFile + ".tmp", json);
    File.Move(readyFile + ".tmp", readyFile, overwrite: true);
}
Console.WriteLine(json);

var done = new TaskCompletionSource();
using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; done.TrySetResult(); });
using var onInt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; done.TrySetResult(); });
await done.Task;
await control.StopAsync();
return 0;
