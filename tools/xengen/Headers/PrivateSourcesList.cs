using System.Text;

namespace XenGen.Tool.Headers;

/// <summary>
/// The apt sources xengen uses for one Debian codename, derived from the system's own sources so that no archive
/// host is written anywhere in XenGen: every source for the system's codename (and its <c>-security</c> and
/// <c>-updates</c> suites) is repeated with the wanted codename. The system's apt configuration is only read.
/// </summary>
internal static class PrivateSourcesList
{
    private static readonly string[] SuiteSuffixes = ["", "-security", "-updates"];

    /// <summary>Reads <c>sources.list</c> and <c>sources.list.d/*.list</c>, <c>*.sources</c> under <paramref name="etcApt"/>.</summary>
    public static IReadOnlyList<AptSource> ReadSystemSources(string etcApt = "/etc/apt")
    {
        var sources = new List<AptSource>();
        var oneLine = Path.Combine(etcApt, "sources.list");
        if (File.Exists(oneLine))
            sources.AddRange(AptSourcesParser.ParseOneLine(File.ReadAllText(oneLine)));
        var parts = Path.Combine(etcApt, "sources.list.d");
        if (Directory.Exists(parts))
        {
            foreach (var file in Directory.GetFiles(parts).Order(StringComparer.Ordinal))
            {
                if (file.EndsWith(".sources", StringComparison.Ordinal))
                    sources.AddRange(AptSourcesParser.ParseDeb822(File.ReadAllText(file)));
                else if (file.EndsWith(".list", StringComparison.Ordinal))
                    sources.AddRange(AptSourcesParser.ParseOneLine(File.ReadAllText(file)));
            }
        }
        return sources;
    }

    /// <summary>
    /// Keeps the sources serving <paramref name="systemCodename"/> (or its -security/-updates suites) and renames
    /// those suites to <paramref name="targetCodename"/>; other suites (backports, other codenames) are dropped.
    /// </summary>
    public static IReadOnlyList<AptSource> Derive(IEnumerable<AptSource> system, string systemCodename, string targetCodename)
    {
        var derived = new List<AptSource>();
        foreach (var source in system)
        {
            var suites = source.Suites
                .SelectMany(suite => SuiteSuffixes.Where(sfx => suite == systemCodename + sfx).Select(sfx => targetCodename + sfx))
                .Distinct()
                .ToList();
            if (suites.Count == 0 || source.Components.Count == 0)
                continue;
            var same = derived.FindIndex(d =>
                d.Uri == source.Uri && d.SignedBy == source.SignedBy && d.Components.SequenceEqual(source.Components));
            if (same >= 0)
                derived[same] = derived[same] with { Suites = derived[same].Suites.Union(suites).ToList() };
            else
                derived.Add(source with { Suites = suites });
        }
        return derived;
    }

    /// <summary>Writes sources in deb822 form (apt reads a <c>*.sources</c> file as deb822).</summary>
    public static string Render(IEnumerable<AptSource> sources)
    {
        var text = new StringBuilder();
        foreach (var s in sources)
        {
            if (text.Length > 0)
                text.Append('\n');
            text.Append("Types: deb\n");
            text.Append("URIs: ").Append(s.Uri).Append('\n');
            text.Append("Suites: ").Append(string.Join(' ', s.Suites)).Append('\n');
            text.Append("Components: ").Append(string.Join(' ', s.Components)).Append('\n');
            if (s.SignedBy is not null)
                text.Append(s.SignedBy.StartsWith('\n') ? "Signed-By:" : "Signed-By: ").Append(s.SignedBy).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The <c>VERSION_CODENAME</c> of an os-release file, e.g. <c>bookworm</c>.</summary>
    /// <exception cref="XenGenException">The file is missing or names no codename.</exception>
    public static string SystemCodename(string osRelease = "/etc/os-release")
    {
        if (File.Exists(osRelease))
        {
            foreach (var line in File.ReadLines(osRelease))
            {
                if (line.StartsWith("VERSION_CODENAME=", StringComparison.Ordinal))
                {
                    var value = line["VERSION_CODENAME=".Length..].Trim().Trim('"', '\'');
                    if (value.Length > 0)
                        return value;
                }
            }
        }
        throw new XenGenException($"{osRelease}: no VERSION_CODENAME; xengen derives its apt sources from a Debian system's own");
    }
}
