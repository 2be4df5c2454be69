using System.Text;

namespace EsUpgrade.Emulator.Http;

/// <summary>
/// The _cat APIs' output: aligned text (header with <c>v</c>, columns with <c>h</c>) or, with
/// <c>format=json</c> or an <c>Accept: application/json</c> header (RestTable), an array of objects whose values are strings.
/// </summary>
public sealed class CatTable
{
    readonly string[] defaults;
    readonly HashSet<string> known;
    readonly List<Dictionary<string, string?>> rows = new();

    public CatTable(params string[] defaultColumns)
    {
        defaults = defaultColumns;
        known = defaultColumns.ToHashSet();
    }

    /// <summary>Columns the API knows beyond its defaults: asked for with <c>h</c>, they are valid even when no row exists.</summary>
    public CatTable Also(params string[] columns)
    {
        known.UnionWith(columns);
        return this;
    }

    public void Add(Dictionary<string, string?> row) => rows.Add(row);

    /// <summary>The rows as a JSON array written straight out: 100,000 shard rows are 14 MB (scale mode).</summary>
    string Json(string[] columns)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                foreach (var c in columns)
                {
                    if (row.GetValueOrDefault(c) is string value) writer.WriteString(c, value);
                    else writer.WriteNull(c);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public Reply Render(RestRequest request)
    {
        var columns = request.Q("h") is string h && h.Length > 0 ? h.Split(',').Select(c => c.Trim()).ToArray() : defaults;
        foreach (var c in columns.Where(c => !known.Contains(c) && !(rows.Count > 0 && rows[0].ContainsKey(c))))
            throw Model.EsError.IllegalArgument($"header [{c}] is not recognized");
        var format = request.Q("format")
            ?? (request.Accept.Contains("json", StringComparison.OrdinalIgnoreCase) ? "json" : null);
        if (format is "json")
            return request.Q("pretty") is "" or "true"
                ? Reply.Ok(rows.Select(r => columns.ToDictionary(c => c, c => r.GetValueOrDefault(c))).ToList())
                : new Reply { JsonText = Json(columns) };
        if (format is not (null or "" or "txt" or "text"))
            throw Model.EsError.IllegalArgument($"Unsupported format [{format}]");

        var table = new List<string?[]>();
        if (request.Flag("v")) table.Add(columns);
        table.AddRange(rows.Select(r => columns.Select(c => r.GetValueOrDefault(c)).ToArray()));
        var widths = columns.Select((_, i) => table.Count == 0 ? 0 : table.Max(r => (r[i] ?? "").Length)).ToArray();
        var text = new StringBuilder();
        foreach (var r in table)
            text.Append(string.Join(" ", r.Select((v, i) => (v ?? "").PadRight(widths[i])))).Append('\n');
        return Reply.Plain(text.ToString());
    }
}
