using System.Text;

namespace XenGen.HeaderImporter.Tests.Support;

/// <summary>
/// A readable unified diff of two texts for a failing comparison: one hunk from the first differing line to the
/// last (the common head and tail are trimmed), with three lines of context, cut after <c>maxLines</c> changed lines.
/// </summary>
public static class TextDiff
{
    /// <summary>Null when the texts are equal; otherwise the diff, headed by the two names.</summary>
    public static string? Unified(string expected, string actual, string expectedName, string actualName, int maxLines = 40)
    {
        if (expected == actual) return null;
        string[] a = expected.Split('\n'), b = actual.Split('\n');
        int head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head]) head++;
        int tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[^(tail + 1)] == b[^(tail + 1)]) tail++;
        const int context = 3;
        int start = Math.Max(0, head - context);
        int endA = Math.Min(a.Length, a.Length - tail + context), endB = Math.Min(b.Length, b.Length - tail + context);

        var text = new StringBuilder();
        text.Append("--- ").Append(expectedName).Append('\n').Append("+++ ").Append(actualName).Append('\n');
        text.Append($"@@ -{start + 1},{endA - start} +{start + 1},{endB - start} @@\n");
        for (int i = start; i < head; i++) text.Append(' ').Append(a[i]).Append('\n');
        int shown = 0;
        for (int i = head; i < a.Length - tail && shown < maxLines; i++, shown++) text.Append('-').Append(a[i]).Append('\n');
        for (int i = head; i < b.Length - tail && shown < 2 * maxLines; i++, shown++) text.Append('+').Append(b[i]).Append('\n');
        if (a.Length - tail - head + b.Length - tail - head > shown)
        {
            text.Append($"... ({a.Length - tail - head} lines removed and {b.Length - tail - head} added in all; first difference at line {head + 1})\n");
            return text.ToString();
        }
        for (int i = a.Length - tail; i < endA; i++) text.Append(' ').Append(a[i]).Append('\n');
        return text.ToString();
    }
}
