namespace XenGen.Tool.Headers;

/// <summary>Reads the binary sources of apt's two source file formats; <c>deb-src</c> and disabled entries are skipped.</summary>
internal static class AptSourcesParser
{
    /// <summary>Parses deb822 text (<c>*.sources</c>): stanzas of <c>Field: value</c> separated by blank lines.</summary>
    public static IReadOnlyList<AptSource> ParseDeb822(string text)
    {
        var sources = new List<AptSource>();
        foreach (var stanza in Stanzas(text))
        {
            string Field(string name) => stanza.TryGetValue(name, out var v) ? v : "";
            if (Field("Enabled").Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
                continue;
            if (!Words(Field("Types")).Contains("deb"))
                continue;
            var suites = Words(Field("Suites"));
            var components = Words(Field("Components"));
            var signedBy = stanza.TryGetValue("Signed-By", out var key) ? key : null;
            foreach (var uri in Words(Field("URIs")))
                sources.Add(new AptSource(uri, suites, components, signedBy));
        }
        return sources;
    }

    /// <summary>Parses one-line text (<c>sources.list</c>): <c>deb [opt=value ...] uri suite [component ...]</c>.</summary>
    public static IReadOnlyList<AptSource> ParseOneLine(string text)
    {
        var sources = new List<AptSource>();
        foreach (var rawLine in text.Split('\n'))
        {
            var hash = rawLine.IndexOf('#');
            var line = (hash >= 0 ? rawLine[..hash] : rawLine).Trim();
            if (!line.StartsWith("deb ", StringComparison.Ordinal) && !line.StartsWith("deb\t", StringComparison.Ordinal))
                continue;
            var rest = line[3..].TrimStart();
            string? signedBy = null;
            if (rest.StartsWith('['))
            {
                var close = rest.IndexOf(']');
                if (close < 0)
                    continue;
                foreach (var option in Words(rest[1..close]))
                {
                    if (option.StartsWith("signed-by=", StringComparison.OrdinalIgnoreCase))
                        signedBy = option["signed-by=".Length..];
                }
                rest = rest[(close + 1)..];
            }
            var words = Words(rest);
            if (words.Count < 2)
                continue;
            sources.Add(new AptSource(words[0], [words[1]], words.Skip(2).ToList(), signedBy));
        }
        return sources;
    }

    private static List<string> Words(string value) =>
        value.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).ToList();

    // Continuation lines (leading space or tab) stay in the value, joined by '\n', so a multi-line
    // inline Signed-By key can be written back exactly.
    private static IEnumerable<Dictionary<string, string>> Stanzas(string text)
    {
        var stanza = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? lastField = null;
        foreach (var rawLine in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (rawLine.StartsWith('#'))
                continue;
            if (rawLine.Trim().Length == 0)
            {
                if (stanza.Count > 0)
                    yield return stanza;
                stanza = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                lastField = null;
                continue;
            }
            if ((rawLine[0] == ' ' || rawLine[0] == '\t') && lastField is not null)
            {
                stanza[lastField] += "\n" + rawLine.TrimEnd();
                continue;
            }
            var colon = rawLine.IndexOf(':');
            if (colon <= 0)
                continue;
            lastField = rawLine[..colon].Trim();
            stanza[lastField] = rawLine[(colon + 1)..].Trim();
        }
        if (stanza.Count > 0)
            yield return stanza;
    }
}
