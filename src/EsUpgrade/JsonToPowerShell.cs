using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EsUpgrade.Json;

namespace EsUpgrade.Commands;

/// <summary>
/// JSON to PSCustomObject / object[] / scalars, as ConvertFrom-Json would give, without a runspace call. The core
/// parses (this assembly never touches System.Text.Json, which lives with the core in its own load context).
/// </summary>
public static class JsonToPowerShell
{
    public static object? Convert(string json) => FromPlain(JsonExtensions.ParsePlain(json));

    static object? FromPlain(object? value)
    {
        switch (value)
        {
            case Dictionary<string, object?> map:
                var o = new PSObject();
                foreach (var p in map) o.Properties.Add(new PSNoteProperty(p.Key, FromPlain(p.Value)));
                return o;
            case List<object?> list:
                return list.Select(FromPlain).ToArray();
            case long l when l >= int.MinValue && l <= int.MaxValue:
                return (int)l;
            default:
                return value;
        }
    }
}
