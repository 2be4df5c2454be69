using System;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using EsUpgrade.Errors;

namespace EsUpgrade.WindowsNodes;

/// <summary>Elastic's Windows archive, <c>elasticsearch-8.19.0-windows-x86_64.zip</c>, and its <c>.sha512</c> file.</summary>
public static class WindowsPackage
{
    static readonly Regex Name = new Regex(@"^elasticsearch-(?<v>\d+\.\d+\.\d+)-windows-x86_64\.zip$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    static readonly Regex Sha512Line = new Regex(@"^\s*(?<h>[0-9a-fA-F]{128})(\s+\*?(?<f>\S.*?))?\s*$", RegexOptions.CultureInvariant);

    /// <summary>The version a package's file name says; InvalidPackage for any other name (the zip's folder and the service depend on it).</summary>
    public static string VersionOf(string fileName)
    {
        var m = Name.Match(fileName);
        if (!m.Success)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidPackage,
                $"'{fileName}' is not Elastic's Windows archive: give elasticsearch-<version>-windows-x86_64.zip as downloaded from elastic.co (the .msi was discontinued after 7.16.2).", fileName);
        return m.Groups["v"].Value;
    }

    /// <summary>The hash in a <c>.sha512</c> file (<c>&lt;hex&gt;  &lt;file name&gt;</c>, as Elastic publishes it), checked against the package's name when it gives one.</summary>
    public static string Sha512Of(string sha512File, string packageFileName)
    {
        var m = Sha512Line.Match(sha512File.Trim());
        if (!m.Success)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidPackage, "The .sha512 file does not hold a SHA-512 hash (128 hex digits, then the file name).", packageFileName);
        if (m.Groups["f"].Success && !string.Equals(m.Groups["f"].Value.Trim(), packageFileName, StringComparison.OrdinalIgnoreCase))
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidPackage,
                $"The .sha512 file is for '{m.Groups["f"].Value.Trim()}', not '{packageFileName}'.", packageFileName);
        return m.Groups["h"].Value.ToUpperInvariant();
    }

    /// <summary>
    /// The package on this machine, checked: a path is used as it is; a URL is downloaded once into the temp folder,
    /// with the <c>.sha512</c> Elastic publishes beside it. Throws InvalidPackage when the hash does not match.
    /// </summary>
    public static (string Path, string? Sha512) Fetch(string package, string fileName, string? sha512)
    {
        var path = package;
        if (Uri.TryCreate(package, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "EsUpgrade", "packages");
            Directory.CreateDirectory(folder);
            path = System.IO.Path.Combine(folder, fileName);
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
            try
            {
                if (sha512 is null)
                {
                    using var shaResponse = http.GetAsync(package + ".sha512").GetAwaiter().GetResult();
                    if (shaResponse.IsSuccessStatusCode) sha512 = Sha512Of(shaResponse.Content.ReadAsStringAsync().GetAwaiter().GetResult(), fileName);
                }
                if (!(File.Exists(path) && sha512 != null && HashOf(path) == sha512))
                {
                    using var response = http.GetAsync(package, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
                    response.EnsureSuccessStatusCode();
                    var partial = path + ".partial";
                    using (var file = File.Create(partial)) response.Content.CopyToAsync(file).GetAwaiter().GetResult();
                    if (File.Exists(path)) File.Delete(path);
                    File.Move(partial, path);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or System.Threading.Tasks.TaskCanceledException)
            {
                throw new EsException(EsErrorKind.Connection, ErrorIds.InvalidPackage, $"The package could not be downloaded from {package}: {ex.Message}", package, ex);
            }
        }
        else if (!File.Exists(path))
            throw new EsException(EsErrorKind.NotFound, ErrorIds.InvalidPackage, $"There is no package '{path}'.", path);
        if (sha512 != null && HashOf(path) is var actual && actual != sha512)
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.InvalidPackage,
                $"The package '{path}' has SHA-512 {actual}, not {sha512} as its .sha512 file says: it is damaged or not the release. No node was touched.", path);
        return (path, sha512);
    }

    public static string HashOf(string path)
    {
        using var sha = SHA512.Create();
        using var stream = File.OpenRead(path);
        return BitConverter.ToString(sha.ComputeHash(stream)).Replace("-", "");
    }
}
