using System.Text.RegularExpressions;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>Finds, in header text, the members declared with a given type name (<c>T a, b[2];</c>).</summary>
internal static class DeclaratorScan
{
    /// <summary>(header, member name) of every declaration <c>typeName a, b[N];</c> in the given headers, outside #define lines.</summary>
    public static SortedSet<string> Members(HeaderTree tree, IEnumerable<string> headers, string typeName)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var declaration = new Regex($@"(?<![\w#])\b{Regex.Escape(typeName)}\s+([^;{{}}]+);");
        foreach (string header in headers)
        {
            var lines = HeaderSource.WithoutComments(tree, header).Split('\n');
            bool inDefine = false;
            var kept = new List<string>();
            foreach (string line in lines)
            {
                bool startsDefine = Regex.IsMatch(line, @"^\s*#\s*define\b");
                if (!(startsDefine || inDefine)) kept.Add(line);
                inDefine = (startsDefine || inDefine) && line.TrimEnd().EndsWith('\\');
            }
            foreach (Match m in declaration.Matches(string.Join("\n", kept)))
            {
                // Split at top-level commas only: "x[sizeof(a, b)]" is one declarator.
                foreach (string declarator in SplitTopLevel(m.Groups[1].Value))
                {
                    var name = Regex.Match(declarator, @"^\s*\**\s*([A-Za-z_]\w*)");
                    if (name.Success) found.Add($"{header}: {name.Groups[1].Value}");
                }
            }
        }
        return found;
    }

    private static IEnumerable<string> SplitTopLevel(string s)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] is '(' or '[') depth++;
            else if (s[i] is ')' or ']') depth--;
            else if (s[i] == ',' && depth == 0) { yield return s[start..i]; start = i + 1; }
        }
        yield return s[start..];
    }
}
