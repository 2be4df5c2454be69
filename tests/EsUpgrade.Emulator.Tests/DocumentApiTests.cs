using System.Net;
using System.Text.Json;
using EsUpgrade.Emulator.Model;

namespace EsUpgrade.Emulator.Tests;

/// <summary>Documents with sources: realtime GET, create-only writes and optimistic concurrency, as a lock needs them.</summary>
public class DocumentApiTests
{
    static IndexSpec State => new() { Name = "state", Shards = 1, Replicas = 1 };

    [Theory]
    [InlineData("7.17.27")]
    [InlineData("8.19.0")]
    public async Task A_written_document_reads_back_with_its_source_and_sequence_numbers(string version)
    {
        await using var c = await Cluster.StartAsync(3, version, State);
        var (put, putBody) = await c.SendAsync("PUT", "/state/_doc/a", """{"owner":"job-1"}""");
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var written = JsonDocument.Parse(putBody).RootElement;
        Assert.Equal("created", written.GetProperty("result").GetString());
        Assert.Equal(version.StartsWith("7."), written.TryGetProperty("_type", out _));

        var doc = await c.GetJsonAsync("/state/_doc/a", node: 2);
        Assert.True(doc.GetProperty("found").GetBoolean());
        Assert.Equal("job-1", doc.GetProperty("_source").GetProperty("owner").GetString());
        Assert.Equal(written.GetProperty("_seq_no").GetInt64(), doc.GetProperty("_seq_no").GetInt64());
        Assert.Equal(1, doc.GetProperty("_primary_term").GetInt64());

        var (missing, missingBody) = await c.SendAsync("GET", "/state/_doc/b");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.False(JsonDocument.Parse(missingBody).RootElement.GetProperty("found").GetBoolean());
        // A delete of a missing document is an operation too: 404 not_found, and it takes a sequence number.
        var (gone, goneBody) = await c.SendAsync("DELETE", "/state/_doc/b");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var missed = JsonDocument.Parse(goneBody).RootElement;
        Assert.Equal(("not_found", written.GetProperty("_seq_no").GetInt64() + 1), (missed.GetProperty("result").GetString(), missed.GetProperty("_seq_no").GetInt64()));
        var (noIndex, noIndexBody) = await c.SendAsync("GET", "/nothing/_doc/a");
        Assert.Equal(HttpStatusCode.NotFound, noIndex.StatusCode);
        Assert.Contains("index_not_found_exception", noIndexBody);
    }

    [Fact]
    public async Task Create_only_writes_refuse_an_existing_id_with_409()
    {
        await using var c = await Cluster.StartAsync(3, "8.19.0", State);
        Assert.Equal(HttpStatusCode.Created, (await c.SendAsync("PUT", "/state/_create/lock", """{"owner":"job-1"}""")).Response.StatusCode);
        foreach (var path in new[] { "/state/_create/lock", "/state/_doc/lock?op_type=create" })
        {
            var (r, body) = await c.SendAsync("PUT", path, """{"owner":"job-2"}""");
            Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
            var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
            Assert.Equal("version_conflict_engine_exception", error.GetProperty("type").GetString());
            Assert.Equal("[lock]: version conflict, document already exists (current version [1])", error.GetProperty("reason").GetString());
            Assert.Equal("state", error.GetProperty("index").GetString());
        }
        Assert.Equal("job-1", (await c.GetJsonAsync("/state/_doc/lock")).GetProperty("_source").GetProperty("owner").GetString());
        var (both, bothBody) = await c.SendAsync("PUT", "/state/_doc/other?op_type=create&if_seq_no=0&if_primary_term=1", "{}");
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Contains("create operations do not support compare and set", bothBody);
        var (termOnly, termOnlyBody) = await c.SendAsync("PUT", "/state/_create/other?if_primary_term=1", "{}");
        Assert.Equal(HttpStatusCode.BadRequest, termOnly.StatusCode);
        Assert.Contains("create operations do not support compare and set", termOnlyBody);
    }

    [Fact]
    public async Task A_conditional_write_succeeds_once_and_a_stale_one_is_refused()
    {
        await using var c = await Cluster.StartAsync(3, "7.17.27", State);
        await c.SendAsync("PUT", "/state/_doc/lock", """{"beat":1}""");
        var seen = await c.GetJsonAsync("/state/_doc/lock");
        var (seqNo, term) = (seen.GetProperty("_seq_no").GetInt64(), seen.GetProperty("_primary_term").GetInt64());

        var (first, firstBody) = await c.SendAsync("PUT", $"/state/_doc/lock?if_seq_no={seqNo}&if_primary_term={term}", """{"beat":2}""");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(firstBody).RootElement.GetProperty("_version").GetInt64());
        var (second, secondBody) = await c.SendAsync("PUT", $"/state/_doc/lock?if_seq_no={seqNo}&if_primary_term={term}", """{"beat":3}""");
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains($"[lock]: version conflict, required seqNo [{seqNo}], primary term [{term}]. current document has seqNo [{seqNo + 1}] and primary term [1]", secondBody);

        var (delete, _) = await c.SendAsync("DELETE", $"/state/_doc/lock?if_seq_no={seqNo}&if_primary_term={term}");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Equal(2, (await c.GetJsonAsync("/state/_doc/lock")).GetProperty("_source").GetProperty("beat").GetInt32());
    }

    [Fact]
    public async Task Writes_after_a_replica_is_promoted_carry_the_new_primary_term()
    {
        await using var c = await Cluster.StartAsync(3, "8.19.0", State);
        await c.SendAsync("PUT", "/state/_doc/lock", """{"beat":1}""");
        var before = await c.GetJsonAsync("/state/_doc/lock");
        var primaryId = c.Model.Index("state")!.Copies.Single(x => x.Primary).NodeId;
        var primaryNode = c.Model.Nodes.Single(n => n.Id == primaryId).Name;
        await c.Host.StopNodeAsync(primaryNode);
        var survivor = Enumerable.Range(0, c.Model.Nodes.Count).First(i => c.Model.Nodes[i].Name != primaryNode);
        // The condition names the document's last write, which the promoted replica holds too.
        var (r, body) = await c.SendAsync("PUT", $"/state/_doc/lock?if_seq_no={before.GetProperty("_seq_no")}&if_primary_term={before.GetProperty("_primary_term")}", """{"beat":2}""", node: survivor);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(before.GetProperty("_primary_term").GetInt64() + 1, JsonDocument.Parse(body).RootElement.GetProperty("_primary_term").GetInt64());
    }
}
