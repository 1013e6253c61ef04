using System.Text.RegularExpressions;

namespace XenGen.HeaderImporter;

/// <summary>
/// Finds, in the header text, the object-like macros that could be constants. Clang decides which of them
/// really are (see <see cref="ConstantProbes"/>); this only keeps out what can never be an expression, so
/// that a probe cannot derail the parse (braces, semicolons, empty bodies).
/// </summary>
internal static partial class MacroScanner
{
    [GeneratedRegex(@"^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)(.*)$")]
    private static partial Regex DefineLine();

    /// <summary>Candidate macro names of the whole tree, sorted ordinally.</summary>
    public static IReadOnlyList<string> Candidates(HeaderTree tree)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string header in tree.Headers)
        {
            var text = tree.Text(header);
            for (int line = 1; line <= text.LineCount; line++)
            {
                var m = DefineLine().Match(text.Line(line));
                if (!m.Success) continue;
                string body = m.Groups[2].Value;
                if (body.StartsWith('(')) continue; // function-like
                int next = line;
                while (body.TrimEnd().EndsWith('\\')) body = body.TrimEnd().TrimEnd('\\') + " " + text.Line(++next);
                if (IsExpressionLike(StripComments(body))) names.Add(m.Groups[1].Value);
            }
        }
        return names.ToList();
    }

    private static bool IsExpressionLike(string body)
    {
        string b = body.Trim();
        if (b.Length == 0) return false;
        if (b.IndexOfAny(['{', '}', ';']) >= 0) return false;
        int depth = 0;
        foreach (char c in b)
        {
            if (c == '(') depth++;
            else if (c == ')' && --depth < 0) return false;
        }
        return depth == 0;
    }

    private static string StripComments(string s)
    {
        int open;
        while ((open = s.IndexOf("/*", StringComparison.Ordinal)) >= 0)
        {
            int close = s.IndexOf("*/", open + 2, StringComparison.Ordinal);
            s = close < 0 ? s.Substring(0, open) : s.Remove(open, close + 2 - open);
        }
        int line = s.IndexOf("//", StringComparison.Ordinal);
        return line >= 0 ? s.Substring(0, line) : s;
    }
}
