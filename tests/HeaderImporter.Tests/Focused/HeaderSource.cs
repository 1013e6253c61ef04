using System.Text;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>Header text as the tests scan it: read from the fetched tree, with comments blanked out.</summary>
internal static class HeaderSource
{
    public static string Read(HeaderTree tree, string header) => File.ReadAllText(Path.Combine(tree.XenDir, header));

    /// <summary>The text with each comment replaced by spaces (newlines kept, so line numbers stay).</summary>
    public static string WithoutComments(HeaderTree tree, string header)
    {
        string s = Read(tree, header);
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                int end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? s.Length : end + 2;
                for (int j = i; j < end; j++) sb.Append(s[j] == '\n' ? '\n' : ' ');
                i = end - 1;
            }
            else if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '/')
            {
                while (i < s.Length && s[i] != '\n') { sb.Append(' '); i++; }
                if (i < s.Length) sb.Append('\n');
            }
            else if (s[i] == '"')
            {
                // String literals are kept as they are (they may contain "/*").
                int j = i + 1;
                while (j < s.Length && s[j] != '"' && s[j] != '\n') j += s[j] == '\\' ? 2 : 1;
                j = Math.Min(j, s.Length - 1);
                sb.Append(s, i, j - i + 1);
                i = j;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }
}
