using System;
using System.Collections.Generic;
using System.Text;

namespace XenGen.RingGenerator
{
    /// <summary>Turns the headers' comments into XML documentation lines (without indentation or <c>///</c>).</summary>
    internal static class Docs
    {
        /// <summary>
        /// A summary from the header's comment (or the XML text <paramref name="fallback"/> when it has none) and a remark naming
        /// the C declaration, so every generated member is documented and can be traced back to its header.
        /// </summary>
        public static EquatableArray<string> Build(string? comment, string fallback, string cRemark)
        {
            var text = CommentLines(comment);
            if (text.Count == 0) text.Add(fallback);
            var lines = new List<string>();
            if (text.Count == 1)
            {
                lines.Add("<summary>" + text[0] + "</summary>");
            }
            else
            {
                lines.Add("<summary>");
                lines.AddRange(text);
                lines.Add("</summary>");
            }
            lines.Add("<remarks>" + cRemark + "</remarks>");
            return lines.ToEquatable();
        }

        /// <summary>Code text for a remark: escaped and wrapped in <c>&lt;c&gt;</c>.</summary>
        public static string Code(string text) => "<c>" + Escape(text) + "</c>";

        public static string Escape(string text)
        {
            var sb = new StringBuilder(text.Length);
            foreach (char c in text)
            {
                switch (c)
                {
                    case '&': sb.Append("&amp;"); break;
                    case '<': sb.Append("&lt;"); break;
                    case '>': sb.Append("&gt;"); break;
                    case '\t': sb.Append("    "); break;
                    default:
                        if (c >= ' ' || c == '\n') sb.Append(c);
                        break;
                }
            }
            return sb.ToString();
        }

        /// <summary>The comment's lines: leading '*' decoration removed, blank edges trimmed, XML-escaped.</summary>
        private static List<string> CommentLines(string? comment)
        {
            var result = new List<string>();
            if (string.IsNullOrWhiteSpace(comment)) return result;
            foreach (var raw in comment!.Replace("\r\n", "\n").Split('\n'))
            {
                string line = raw.Trim();
                while (line.StartsWith("*", StringComparison.Ordinal) || line.StartsWith("/", StringComparison.Ordinal)) line = line.Substring(1);
                while (line.EndsWith("*/", StringComparison.Ordinal)) line = line.Substring(0, line.Length - 2);
                line = line.Trim();
                if (line.Length == 0 && (result.Count == 0 || result[result.Count - 1].Length == 0)) continue;
                result.Add(Escape(line));
            }
            while (result.Count > 0 && result[result.Count - 1].Length == 0) result.RemoveAt(result.Count - 1);
            for (int i = 0; i < result.Count; i++)
            {
                if (result[i].Length == 0) result[i] = "<para/>";
            }
            return result;
        }
    }
}
