using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Xen.Abi.Model.Json
{
    /// <summary>Malformed JSON or a model document that does not have the expected shape.</summary>
    public sealed class JsonFormatException : Exception
    {
        /// <summary>Creates the exception with a message that already names the input and the place.</summary>
        public JsonFormatException(string message) : base(message) { }
    }

    /// <summary>
    /// Reads and writes JSON text. The writer's layout is fixed (two-space indent, LF, members in insertion
    /// order, a final newline) so the same model always gives the same bytes.
    /// </summary>
    public static class JsonText
    {
        /// <summary>Parses <paramref name="text"/>; errors name <paramref name="source"/> and the line and column.</summary>
        public static JsonNode Parse(string text, string source)
        {
            var p = new Parser(text, source);
            p.SkipSpace();
            var value = p.ParseValue(0);
            p.SkipSpace();
            if (!p.AtEnd)
            {
                throw p.Error("unexpected text after the top-level value");
            }
            return value;
        }

        /// <summary>Writes <paramref name="node"/> as indented JSON ending with a newline.</summary>
        public static string Write(JsonNode node)
        {
            var sb = new StringBuilder();
            WriteValue(sb, node, 0);
            sb.Append('\n');
            return sb.ToString();
        }

        private static void WriteValue(StringBuilder sb, JsonNode node, int depth)
        {
            switch (node.Kind)
            {
                case JsonKind.Null: sb.Append("null"); break;
                case JsonKind.Bool:
                case JsonKind.Number: sb.Append(node.Text); break;
                case JsonKind.String: WriteString(sb, node.Text!); break;
                case JsonKind.Array: WriteArray(sb, node, depth); break;
                case JsonKind.Object: WriteObject(sb, node, depth); break;
            }
        }

        private static void WriteArray(StringBuilder sb, JsonNode node, int depth)
        {
            var items = node.Items;
            if (items.Count == 0)
            {
                sb.Append("[]");
                return;
            }
            // Arrays of scalars stay on one line: array dimensions and table rows read better that way.
            bool flat = true;
            foreach (var item in items)
            {
                flat &= item.Kind != JsonKind.Array && item.Kind != JsonKind.Object;
            }
            if (flat)
            {
                sb.Append('[');
                for (int i = 0; i < items.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    WriteValue(sb, items[i], depth + 1);
                }
                sb.Append(']');
                return;
            }
            sb.Append("[\n");
            for (int i = 0; i < items.Count; i++)
            {
                Indent(sb, depth + 1);
                WriteValue(sb, items[i], depth + 1);
                sb.Append(i + 1 < items.Count ? ",\n" : "\n");
            }
            Indent(sb, depth);
            sb.Append(']');
        }

        private static void WriteObject(StringBuilder sb, JsonNode node, int depth)
        {
            var members = node.Members;
            if (members.Count == 0)
            {
                sb.Append("{}");
                return;
            }
            sb.Append("{\n");
            for (int i = 0; i < members.Count; i++)
            {
                Indent(sb, depth + 1);
                WriteString(sb, members[i].Key);
                sb.Append(": ");
                WriteValue(sb, members[i].Value, depth + 1);
                sb.Append(i + 1 < members.Count ? ",\n" : "\n");
            }
            Indent(sb, depth);
            sb.Append('}');
        }

        private static void Indent(StringBuilder sb, int depth) => sb.Append(' ', depth * 2);

        private static void WriteString(StringBuilder sb, string s)
        {
            sb.Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < 0x20 || c == 0x7f)
                        {
                            sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            sb.Append(c);
                        }
                        break;
                }
            }
            sb.Append('"');
        }

        private sealed class Parser
        {
            private const int MaxDepth = 64;
            private readonly string _text;
            private readonly string _source;
            private int _pos;

            public Parser(string text, string source)
            {
                _text = text;
                _source = source;
            }

            public bool AtEnd => _pos >= _text.Length;

            public JsonFormatException Error(string what)
            {
                int line = 1, col = 1;
                for (int i = 0; i < _pos && i < _text.Length; i++)
                {
                    if (_text[i] == '\n') { line++; col = 1; } else { col++; }
                }
                return new JsonFormatException($"{_source}:{line}:{col}: malformed JSON: {what}");
            }

            public void SkipSpace()
            {
                while (_pos < _text.Length && (_text[_pos] == ' ' || _text[_pos] == '\n' || _text[_pos] == '\r' || _text[_pos] == '\t'))
                {
                    _pos++;
                }
            }

            public JsonNode ParseValue(int depth)
            {
                if (depth > MaxDepth) throw Error("nesting deeper than " + MaxDepth);
                if (AtEnd) throw Error("unexpected end of input");
                char c = _text[_pos];
                switch (c)
                {
                    case '{': return ParseObject(depth);
                    case '[': return ParseArray(depth);
                    case '"': return JsonNode.Str(ParseString());
                    case 't': Expect("true"); return JsonNode.Bool(true);
                    case 'f': Expect("false"); return JsonNode.Bool(false);
                    case 'n': Expect("null"); return JsonNode.Null;
                    default:
                        if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber();
                        throw Error($"unexpected character '{c}'");
                }
            }

            private void Expect(string word)
            {
                if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) throw Error("expected " + word);
                _pos += word.Length;
            }

            private JsonNode ParseObject(int depth)
            {
                var obj = JsonNode.NewObject();
                _pos++;
                SkipSpace();
                if (!AtEnd && _text[_pos] == '}') { _pos++; return obj; }
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (true)
                {
                    SkipSpace();
                    if (AtEnd || _text[_pos] != '"') throw Error("expected a member name");
                    string name = ParseString();
                    if (!seen.Add(name)) throw Error($"duplicate member \"{name}\"");
                    SkipSpace();
                    if (AtEnd || _text[_pos] != ':') throw Error("expected ':'");
                    _pos++;
                    SkipSpace();
                    obj.Set(name, ParseValue(depth + 1));
                    SkipSpace();
                    if (AtEnd) throw Error("unterminated object");
                    if (_text[_pos] == ',') { _pos++; continue; }
                    if (_text[_pos] == '}') { _pos++; return obj; }
                    throw Error("expected ',' or '}'");
                }
            }

            private JsonNode ParseArray(int depth)
            {
                var arr = JsonNode.NewArray();
                _pos++;
                SkipSpace();
                if (!AtEnd && _text[_pos] == ']') { _pos++; return arr; }
                while (true)
                {
                    SkipSpace();
                    arr.Add(ParseValue(depth + 1));
                    SkipSpace();
                    if (AtEnd) throw Error("unterminated array");
                    if (_text[_pos] == ',') { _pos++; continue; }
                    if (_text[_pos] == ']') { _pos++; return arr; }
                    throw Error("expected ',' or ']'");
                }
            }

            private string ParseString()
            {
                _pos++;
                var sb = new StringBuilder();
                while (true)
                {
                    if (AtEnd) throw Error("unterminated string");
                    char c = _text[_pos++];
                    if (c == '"') return sb.ToString();
                    if (c < 0x20) throw Error("control character in string");
                    if (c != '\\') { sb.Append(c); continue; }
                    if (AtEnd) throw Error("unterminated escape");
                    char e = _text[_pos++];
                    switch (e)
                    {
                        case '"': sb.Append('"'); break;
                        case '\\': sb.Append('\\'); break;
                        case '/': sb.Append('/'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'n': sb.Append('\n'); break;
                        case 'r': sb.Append('\r'); break;
                        case 't': sb.Append('\t'); break;
                        case 'u':
                            if (_pos + 4 > _text.Length ||
                                !int.TryParse(_text.Substring(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                            {
                                throw Error("bad \\u escape");
                            }
                            sb.Append((char)code);
                            _pos += 4;
                            break;
                        default: throw Error($"unknown escape '\\{e}'");
                    }
                }
            }

            private JsonNode ParseNumber()
            {
                int start = _pos;
                if (_text[_pos] == '-') _pos++;
                int digits = _pos;
                while (!AtEnd && ((_text[_pos] >= '0' && _text[_pos] <= '9') || _text[_pos] == '.' || _text[_pos] == 'e' || _text[_pos] == 'E' || _text[_pos] == '+' || _text[_pos] == '-'))
                {
                    _pos++;
                }
                string text = _text.Substring(start, _pos - start);
                if (_pos == digits || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    throw Error($"bad number '{text}'");
                }
                return JsonNode.NumText(text);
            }
        }
    }
}
