namespace Xen.GuestAgent.Collectors;

/// <summary>
/// Reads <c>os-release</c> (os-release(5): <c>/etc/os-release</c>, else <c>/usr/lib/os-release</c>), the kernel
/// release (<c>/proc/sys/kernel/osrelease</c>, what <c>uname -r</c> prints) and, on Debian, <c>/etc/debian_version</c>
/// for the minor version that <c>VERSION_ID</c> leaves out.
/// </summary>
public sealed class OsInfoCollector(string root = "/")
{
    /// <summary>Collects; missing files give <c>linux</c>/<c>Linux</c> and no versions, never an exception.</summary>
    public OsInfo Collect()
    {
        var fields = ReadOsRelease();
        string id = fields.GetValueOrDefault("ID") is { Length: > 0 } i ? i : "linux";
        string name = fields.GetValueOrDefault("NAME") is { Length: > 0 } n ? n : "Linux";
        string pretty = fields.GetValueOrDefault("PRETTY_NAME") is { Length: > 0 } p ? p
            : fields.GetValueOrDefault("VERSION") is { Length: > 0 } v ? $"{name} {v}" : name;
        string? versionId = fields.GetValueOrDefault("VERSION_ID") is { Length: > 0 } vid ? vid : null;
        string[] parts = versionId?.Split('.') ?? [];
        string? major = parts.Length > 0 && IsNumber(parts[0]) ? parts[0] : null;
        string? minor = parts.Length > 1 && IsNumber(parts[1]) ? parts[1] : null;
        if (minor is null && major is not null && id == "debian" && ReadLine("etc/debian_version") is { } debian)
        {
            string[] debianParts = debian.Split('.');
            if (debianParts.Length > 1 && debianParts[0] == major && IsNumber(debianParts[1])) minor = debianParts[1];
        }
        string kernel = ReadLine("proc/sys/kernel/osrelease") ?? "unknown";
        return new OsInfo(id, name, pretty, versionId, major, minor, kernel);
    }

    private Dictionary<string, string> ReadOsRelease()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string? text = ReadAll("etc/os-release") ?? ReadAll("usr/lib/os-release");
        if (text is null) return fields;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            int eq = line.IndexOf('=');
            if (line.StartsWith('#') || eq <= 0) continue;
            fields[line[..eq]] = Unquote(line[(eq + 1)..]);
        }
        return fields;
    }

    /// <summary>os-release values are shell-quoted: one pair of double or single quotes, backslash escapes inside double quotes.</summary>
    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'') return value[1..^1];
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"') return value;
        var inner = value.AsSpan(1, value.Length - 2);
        var result = new System.Text.StringBuilder(inner.Length);
        for (int i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length) i++;
            result.Append(inner[i]);
        }
        return result.ToString();
    }

    private static bool IsNumber(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);

    private string? ReadAll(string relative)
    {
        try
        {
            return File.ReadAllText(Path.Combine(root, relative));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private string? ReadLine(string relative) => ReadAll(relative)?.Split('\n')[0].Trim() is { Length: > 0 } line ? line : null;
}
