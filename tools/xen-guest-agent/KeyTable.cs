using Xen.GuestAgent.Publishing;

namespace Xen.GuestAgent.Tool;

/// <summary>The <c>--dry-run</c> table: every key (relative to the guest's home) and its value, ordered by key.</summary>
internal static class KeyTable
{
    public static void Write(TextWriter output, KeyLayout layout, IReadOnlyDictionary<string, string> keys, DateTimeOffset now)
    {
        var rows = keys.Select(pair => (Key: pair.Key, Value: pair.Value)).ToList();
        if (layout.UpdatedValue(now) is { } updated) rows.Add((KeyLayout.UpdatedKey + " (after each change)", updated));
        int width = Math.Max("key".Length, rows.Max(row => row.Key.Length));
        output.WriteLine($"{"key".PadRight(width)}  value");
        output.WriteLine($"{new string('-', width)}  {new string('-', Math.Max(5, rows.Max(row => row.Value.Length)))}");
        foreach (var (key, value) in rows) output.WriteLine($"{key.PadRight(width)}  {value}");
    }
}
