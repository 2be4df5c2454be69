using System.Globalization;

namespace EsUpgrade.Emulator.Model;

/// <summary>Elasticsearch time values (TimeValue.parseTimeValue): 30s, 500ms, 1m, 2h, 1d, 0, -1.</summary>
public static class TimeValue
{
    static readonly (string Suffix, double Millis)[] Units =
        { ("nanos", 1e-6), ("micros", 1e-3), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0), ("h", 3600000.0), ("d", 86400000.0) };

    /// <summary>The value, or null when it has no recognised unit.</summary>
    public static TimeSpan? TryParse(string v)
    {
        if (v is "0" or "-1") return TimeSpan.Zero;
        foreach (var (suffix, unit) in Units)
            if (v.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(v[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                return TimeSpan.FromMilliseconds(n * unit);
        return null;
    }

    /// <summary>The value of setting or parameter <paramref name="name"/>; 400 illegal_argument_exception in Elasticsearch's words when it has no unit.</summary>
    public static TimeSpan Parse(string name, string v) =>
        TryParse(v) ?? throw EsError.IllegalArgument($"failed to parse setting [{name}] with value [{v}] as a time value: unit is missing or unrecognized");
}

/// <summary>Elasticsearch's byte sizes: 40mb, 1gb, 512kb, 100b (ByteSizeValue).</summary>
public static class ByteSize
{
    public static long? TryParse(string text)
    {
        var m = System.Text.RegularExpressions.Regex.Match(text.Trim().ToLowerInvariant(), @"^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|pb)?$");
        if (!m.Success) return null;
        var unit = m.Groups[2].Value switch { "kb" => 1L << 10, "mb" => 1L << 20, "gb" => 1L << 30, "tb" => 1L << 40, "pb" => 1L << 50, _ => 1L };
        return (long)(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * unit);
    }
}
