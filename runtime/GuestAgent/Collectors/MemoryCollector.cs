namespace Xen.GuestAgent.Collectors;

/// <summary>Reads <c>/proc/meminfo</c> (its <c>MemTotal</c>, <c>MemAvailable</c> and <c>MemFree</c> lines, in kB).</summary>
public sealed class MemoryCollector(string path = "/proc/meminfo")
{
    /// <summary>Collects.</summary>
    /// <returns>The memory, or null when the file cannot be read or lacks <c>MemTotal</c> (named in <paramref name="problem"/>).</returns>
    public MemoryInfo? Collect(out string? problem)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"{path}: {e.Message}";
            return null;
        }
        ulong? total = null, available = null, free = null;
        foreach (string line in text.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            string key = line[..colon];
            if (key is not ("MemTotal" or "MemAvailable" or "MemFree")) continue;
            string[] value = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (value.Length == 0 || !ulong.TryParse(value[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong kib)) continue;
            if (key == "MemTotal") total = kib;
            else if (key == "MemAvailable") available = kib;
            else free = kib;
        }
        if (total is null)
        {
            problem = $"{path}: no MemTotal line";
            return null;
        }
        problem = null;
        return new MemoryInfo(total.Value, available ?? free ?? 0);
    }
}
