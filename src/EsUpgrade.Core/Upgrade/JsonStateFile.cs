using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using EsUpgrade.Errors;

namespace EsUpgrade.Upgrade;

/// <summary>A checkpoint in a JSON file, replaced atomically on every save: the rolling upgrade's and an index upgrade's.</summary>
public sealed class JsonStateFile<T> where T : class
{
    static readonly JsonSerializerOptions Options = new JsonSerializerOptions
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public JsonStateFile(string path) => Path = path;

    public string Path { get; }

    public T? Load()
    {
        if (Directory.Exists(Path))
            throw Invalid($"'{Path}' is a folder: give the path of a file in it, such as '{System.IO.Path.Combine(Path, "upgrade-state.json")}'.", null);
        if (!File.Exists(Path)) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(Path), Options)
                ?? throw Invalid($"The state file '{Path}' is empty.", null);
        }
        catch (JsonException ex)
        {
            throw Invalid($"The state file '{Path}' is not an EsUpgrade state file (or is damaged): {ex.Message}", ex);
        }
        catch (System.Exception ex) when (ex is IOException or System.UnauthorizedAccessException)
        {
            throw Invalid($"The state file '{Path}' could not be read: {ex.Message}", ex);
        }
    }

    public void Save(T state)
    {
        try
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            var temp = Path + ".tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(state, Options));
            if (File.Exists(Path)) File.Replace(temp, Path, null);
            else File.Move(temp, Path);
        }
        catch (System.Exception ex) when (ex is IOException or System.UnauthorizedAccessException)
        {
            throw Invalid($"The state file '{Path}' could not be written: {ex.Message}", ex);
        }
    }

    public void Delete()
    {
        try { File.Delete(Path); }
        catch (System.Exception ex) when (ex is IOException or System.UnauthorizedAccessException) { throw Invalid($"The state file '{Path}' could not be deleted: {ex.Message}", ex); }
    }

    /// <summary>
    /// Holds the state file for one run: an exclusive lock on <c>&lt;state&gt;.lock</c> (released by the system when the
    /// process dies, so a killed run never blocks its resume), with who holds it in <c>&lt;state&gt;.lock.owner</c>. A second
    /// run on the same file, on this machine or another sharing the folder, is refused with StateFileInUse.
    /// </summary>
    public System.IDisposable Hold()
    {
        var lockPath = Path + ".lock";
        var ownerPath = Path + ".lock.owner";
        try
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            var held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            File.WriteAllText(ownerPath, $"{System.Environment.MachineName} process {System.Diagnostics.Process.GetCurrentProcess().Id} since {System.DateTimeOffset.UtcNow:u}");
            return new Held(held, ownerPath);
        }
        catch (IOException ex)
        {
            string owner;
            try { owner = File.ReadAllText(ownerPath); }
            catch (System.Exception e) when (e is IOException or System.UnauthorizedAccessException) { owner = "another run"; }
            throw new EsException(EsErrorKind.InvalidState, ErrorIds.StateFileInUse,
                $"The state file '{Path}' is in use by {owner}: one run per state file. Wait for it to end (or stop it); a run that was killed frees it at once.", Path, ex);
        }
        catch (System.UnauthorizedAccessException ex)
        {
            throw Invalid($"The state file '{Path}' could not be locked: {ex.Message}", ex);
        }
    }

    sealed class Held : System.IDisposable
    {
        readonly FileStream stream;
        readonly string ownerPath;
        public Held(FileStream stream, string ownerPath) { this.stream = stream; this.ownerPath = ownerPath; }
        public void Dispose()
        {
            try { File.Delete(ownerPath); } catch (System.Exception e) when (e is IOException or System.UnauthorizedAccessException) { }
            var path = stream.Name;
            stream.Dispose();
            try { File.Delete(path); } catch (System.Exception e) when (e is IOException or System.UnauthorizedAccessException) { }
        }
    }

    EsException Invalid(string message, System.Exception? inner) =>
        new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidStateFile, message, Path, inner);
}
