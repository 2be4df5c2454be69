using System.Linq;
using System.Management.Automation;
using System.Text.Json;

namespace EsUpgrade.Commands;

/// <summary>JSON to PSCustomObject / object[] / scalars, as ConvertFrom-Json would give, without a runspace call.</summary>
public static class JsonToPowerShell
{
    public static object? Convert(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Convert(doc.RootElement);
    }

    static object? Convert(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var o = new PSObject();
                foreach (var p in e.EnumerateObject())
                    o.Properties.Add(new PSNoteProperty(p.Name, Convert(p.Value)));
                return o;
            case JsonValueKind.Array:
                return e.EnumerateArray().Select(Convert).ToArray();
            case JsonValueKind.String:
                return e.GetString();
            case JsonValueKind.Number:
                if (e.TryGetInt32(out var i)) return i;
                if (e.TryGetInt64(out var l)) return l;
                return e.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }
}
