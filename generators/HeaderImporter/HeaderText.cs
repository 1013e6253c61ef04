using System.Text;

namespace XenGen.HeaderImporter;

/// <summary>
/// The lines of one header, used to find the comment that documents a declaration. Xen documents with plain
/// <c>/* */</c> and <c>//</c> comments, above a declaration or after it on the same line.
/// </summary>
public sealed class HeaderText
{
    private readonly string[] _lines;

    /// <summary>Wraps the header's lines.</summary>
    public HeaderText(string[] lines) => _lines = lines;

    /// <summary>The number of lines.</summary>
    public int LineCount => _lines.Length;

    /// <summary>A 1-based line, or "" past the end.</summary>
    public string Line(int line) => line >= 1 && line <= _lines.Length ? _lines[line - 1] : "";

    /// <summary>
    /// The comment directly above <paramref name="line"/> (no blank line between), else the comment that ends
    /// <paramref name="line"/> itself; without delimiters and leading stars, or null. Licence blocks are not docs.
    /// </summary>
    public string? CommentFor(int line) => CommentFor(line, null);

    /// <summary>
    /// The comment that documents <paramref name="name"/>, declared on <paramref name="line"/>: as
    /// <see cref="CommentFor(int)"/>, except where the comments directly above are tagged with the field they document
    /// (<c>/* @first_sect: ... */</c> above <c>uint8_t first_sect, last_sect;</c>): then the one tagged
    /// <paramref name="name"/>, or null when none is.
    /// </summary>
    public string? CommentFor(int line, string? name)
    {
        string? doc = CommentAbove(line);
        if (doc is not null && name is not null && FieldTag(doc) is not null) doc = TaggedCommentAbove(line, name);
        else doc ??= TrailingComment(line);
        if (doc is null) return null;
        if (doc.Contains("Permission is hereby granted", StringComparison.Ordinal) || doc.StartsWith("SPDX-License-Identifier", StringComparison.Ordinal))
        {
            return null;
        }
        return doc.Length == 0 ? null : doc;
    }

    /// <summary>The field a comment names first (<c>@name:</c>), or null.</summary>
    private static string? FieldTag(string comment)
    {
        if (!comment.StartsWith('@')) return null;
        int colon = comment.IndexOf(':', StringComparison.Ordinal);
        if (colon < 2) return null;
        string tag = comment.Substring(1, colon - 1);
        return tag.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_') ? tag : null;
    }

    /// <summary>Among the tagged comments stacked directly above <paramref name="line"/>, the one tagged <paramref name="name"/>.</summary>
    private string? TaggedCommentAbove(int line, string name)
    {
        int next = line;
        while (CommentAbove(next) is { } comment && FieldTag(comment) is { } tag)
        {
            if (tag == name) return comment;
            next = CommentStart(next - 1);
        }
        return null;
    }

    /// <summary>The first line of the comment that ends on <paramref name="end"/>.</summary>
    private int CommentStart(int end)
    {
        if (Line(end).Trim().StartsWith("//", StringComparison.Ordinal))
        {
            while (end > 1 && Line(end - 1).Trim().StartsWith("//", StringComparison.Ordinal)) end--;
            return end;
        }
        while (end >= 1 && !Line(end).Contains("/*", StringComparison.Ordinal)) end--;
        return end;
    }

    private string? CommentAbove(int line)
    {
        int end = line - 1;
        if (end < 1) return null;
        string last = Line(end).Trim();
        if (last.StartsWith("//", StringComparison.Ordinal))
        {
            int first = end;
            while (first > 1 && Line(first - 1).Trim().StartsWith("//", StringComparison.Ordinal)) first--;
            var sb = new StringBuilder();
            for (int i = first; i <= end; i++) AppendLine(sb, Line(i).Trim().Substring(2));
            return sb.ToString().Trim();
        }
        if (!last.EndsWith("*/", StringComparison.Ordinal)) return null;
        int start = end;
        while (start >= 1 && !Line(start).Contains("/*", StringComparison.Ordinal)) start--;
        if (start < 1) return null;
        string opener = Line(start);
        // Only a comment that starts its line documents what follows; "x; /* ... */" documents x.
        if (!opener.TrimStart().StartsWith("/*", StringComparison.Ordinal)) return null;
        var text = new StringBuilder();
        for (int i = start; i <= end; i++) AppendLine(text, Line(i));
        return Clean(text.ToString());
    }

    private string? TrailingComment(int line)
    {
        string s = Line(line);
        int open = s.IndexOf("/*", StringComparison.Ordinal);
        if (open > 0 && s.Substring(0, open).Trim().Length > 0)
        {
            var text = new StringBuilder(s.Substring(open));
            int i = line;
            while (!text.ToString().Contains("*/", StringComparison.Ordinal) && i < _lines.Length)
            {
                text.Append('\n').Append(Line(++i));
            }
            return Clean(text.ToString());
        }
        int slashes = s.IndexOf("//", StringComparison.Ordinal);
        if (slashes > 0 && s.Substring(0, slashes).Trim().Length > 0) return s.Substring(slashes + 2).Trim();
        return null;
    }

    private static void AppendLine(StringBuilder sb, string s)
    {
        if (sb.Length > 0) sb.Append('\n');
        sb.Append(s);
    }

    /// <summary>Strips comment delimiters, leading stars and common indentation; keeps the line structure.</summary>
    private static string Clean(string comment)
    {
        int open = comment.IndexOf("/*", StringComparison.Ordinal);
        int close = comment.IndexOf("*/", open + 2, StringComparison.Ordinal);
        string body = close > open ? comment.Substring(open + 2, close - open - 2) : comment.Substring(open + 2);
        var lines = body.Replace("\t", "    ").Split('\n').Select(l => l.TrimEnd()).ToList();
        for (int i = 0; i < lines.Count; i++)
        {
            string t = lines[i].TrimStart();
            if (t.StartsWith('*')) t = t.Substring(1);
            lines[i] = i == 0 ? t.Trim() : t;
        }
        int indent = lines.Skip(1).Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        for (int i = 1; i < lines.Count; i++) lines[i] = lines[i].Length >= indent ? lines[i].Substring(indent) : lines[i].TrimStart();
        while (lines.Count > 0 && lines[0].Trim().Length == 0) lines.RemoveAt(0);
        while (lines.Count > 0 && lines[^1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
        return string.Join("\n", lines);
    }
}
