using System.IO.Compression;
using System.Text.Json;
using EsUpgrade.Connections;
using EsUpgrade.Emulator.Model;
using EsUpgrade.Monitoring;

namespace EsUpgrade.Core.Tests;

public class DiagnosticTests
{
    [Fact]
    public void Secrets_are_removed_by_key_and_tokenizers_are_not_secrets()
    {
        var redacted = DiagnosticCollector.Redact("""
            {"persistent":{"xpack.security.authc.realms.ldap.ldap1.secure_bind_password":"hunter2","s3.client.default.access_key":"AKIA"},
             "headers":{"Authorization":"Basic ZWxhc3RpYzpz","X-Opaque-Id":"runbook-7"},
             "analysis":{"tokenizer":"standard"},"api_key":{"id":"k1","api_key":"abc"},"token":"t0k"}
            """);
        Assert.DoesNotContain("hunter2", redacted);
        Assert.DoesNotContain("AKIA", redacted);
        Assert.DoesNotContain("ZWxhc3RpYzpz", redacted);
        Assert.DoesNotContain("abc", redacted);
        Assert.DoesNotContain("t0k", redacted);
        Assert.Contains("\"standard\"", redacted);
        Assert.Contains("runbook-7", redacted);
        Assert.Equal("not json", DiagnosticCollector.Redact("not json"));
    }

    [Fact]
    public async Task The_bundle_holds_a_file_per_api_and_a_manifest_listing_what_failed()
    {
        var spec = ClusterSpec.Uniform(2, "8.19.0");
        spec.Indices.Add(new IndexSpec { Name = "logs", Shards = 1, Replicas = 1, Documents = 10 });
        spec.Users["elastic"] = Emulated.Password;
        await using var es = await Emulated.StartAsync(spec);
        var api = new EsApi(await es.ConnectAsync(es.Settings(credentials: true)));
        var zip = Path.Combine(Path.GetTempPath(), $"diag-{Guid.NewGuid():N}.zip");
        try
        {
            var bundle = await DiagnosticCollector.CollectAsync(api, zip, null, CancellationToken.None);
            using var archive = ZipFile.OpenRead(zip);
            var names = archive.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("manifest.json", names);
            Assert.Contains("cluster_health.json", names);
            Assert.Contains("cat_shards.txt", names);
            Assert.Equal(bundle.Collected + 1, names.Count);
            // What the emulator does not serve (or has nothing for, like explain on a green cluster) is listed, not fatal.
            Assert.Contains("/_cluster/allocation/explain", bundle.Failed);
            using var manifest = JsonDocument.Parse(new StreamReader(archive.GetEntry("manifest.json")!.Open()).ReadToEnd());
            Assert.Equal(bundle.Entries.Count, manifest.RootElement.GetProperty("entries").GetArrayLength());
            foreach (var entry in archive.Entries)
                Assert.DoesNotContain(Emulated.Password, new StreamReader(entry.Open()).ReadToEnd());
        }
        finally { File.Delete(zip); }
    }
}
