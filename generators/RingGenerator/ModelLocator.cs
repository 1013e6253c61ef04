using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Text;

namespace XenGen.RingGenerator
{
    /// <summary>
    /// Finds a model element in the model file's text, for diagnostics: the <c>"id"</c> or <c>"name"</c> member that
    /// names it within its top-level section (<c>records</c>, <c>enums</c>, <c>constants</c>, <c>tables</c>,
    /// <c>rings</c>). The text is scanned only when a diagnostic asks; an element not found gives the whole file.
    /// </summary>
    internal sealed class ModelLocator
    {
        private readonly string _path;
        private readonly string _text;
        private SourceText? _source;
        private Dictionary<string, (int Start, int End)>? _sections;

        public ModelLocator(string path, string text)
        {
            _path = path;
            _text = text;
        }

        public ModelLocation File => ModelLocation.File(_path);

        public ModelLocation Record(string id) => Find("records", "id", id);

        public ModelLocation Enum(string id) => Find("enums", "id", id);

        public ModelLocation Constant(string name) => Find("constants", "name", name);

        public ModelLocation Table(string name) => Find("tables", "name", name);

        public ModelLocation Ring(string name) => Find("rings", "name", name);

        private ModelLocation Find(string section, string key, string value)
        {
            _sections ??= Sections(_text);
            if (!_sections.TryGetValue(section, out var range)) return File;
            var pattern = new Regex("\"" + key + "\"\\s*:\\s*\"" + Regex.Escape(Escape(value)) + "\"", RegexOptions.CultureInvariant);
            var match = pattern.Match(_text, range.Start, range.End - range.Start);
            if (!match.Success) return File;
            _source ??= SourceText.From(_text);
            var span = new TextSpan(match.Index, match.Length);
            var lines = _source.Lines.GetLinePositionSpan(span);
            return new ModelLocation(_path, span.Start, span.Length, lines.Start.Line, lines.Start.Character, lines.End.Line, lines.End.Character);
        }

        /// <summary>The extent of each member of the top-level object, by name, found by one scan that skips strings.</summary>
        private static Dictionary<string, (int, int)> Sections(string text)
        {
            var sections = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
            int depth = 0;
            string? current = null;
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '"')
                {
                    int end = i + 1;
                    while (end < text.Length && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
                    if (depth == 1 && current == null) { current = text.Substring(i + 1, Math.Max(0, end - i - 1)); start = end; }
                    i = end;
                }
                else if (c == '{' || c == '[') depth++;
                else if (c == '}' || c == ']')
                {
                    depth--;
                    if (depth == 1 && current != null) { sections[current] = (start, i + 1); current = null; }
                }
                else if (c == ',' && depth == 1 && current != null) { sections[current] = (start, i); current = null; }
            }
            return sections;
        }

        private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");
    }
}
