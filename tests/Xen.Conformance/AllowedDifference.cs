namespace Xen.Conformance;

/// <summary>
/// A difference between real Xen and the simulator that is known and explained: on case <see cref="Key"/>
/// (<c>guest xenver.get_features.submap0</c>) Xen answers <see cref="Xen"/> and the simulator <see cref="Simulator"/>.
/// </summary>
public sealed record AllowedDifference(string Key, string Xen, string Simulator, string Reason)
{
    /// <summary>The heading of the README section whose table lists them.</summary>
    public const string Heading = "## Differences the conformance suite allows";

    /// <summary>
    /// The rows of the table under <see cref="Heading"/> in <paramref name="markdown"/>: <c>| `case` | `Xen's` |
    /// `simulator's` | reason |</c>. A row that does not have the four cells is an error naming the line.
    /// </summary>
    public static IReadOnlyList<AllowedDifference> ParseReadme(string markdown, string source)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        int start = Array.IndexOf(lines, Heading);
        if (start < 0) throw new FormatException($"{source}: no section '{Heading}'");
        var rows = new List<AllowedDifference>();
        for (int i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            string line = lines[i].Trim();
            if (!line.StartsWith('|') || line.StartsWith("|--", StringComparison.Ordinal) || line.StartsWith("| case ", StringComparison.Ordinal)) continue;
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length != 4 || cells.Take(3).Any(c => c.Length < 2 || c[0] != '`' || c[^1] != '`'))
                throw new FormatException($"{source}:{i + 1}: a difference is | `side case` | `Xen's answer` | `the simulator's` | reason |, not: {line}");
            rows.Add(new AllowedDifference(cells[0].Trim('`'), cells[1].Trim('`'), cells[2].Trim('`'), cells[3]));
        }
        return rows;
    }
}
