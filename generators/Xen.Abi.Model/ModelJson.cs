using System;
using System.Collections.Generic;
using System.Globalization;
using Xen.Abi.Model.Json;

namespace Xen.Abi.Model
{
    /// <summary>
    /// The JSON form of <see cref="AbiModel"/> (<c>&lt;release&gt;/&lt;arch&gt;.abi.json</c>). Members are written
    /// in a fixed order and optional ones are left out, so equal models give byte-identical files.
    /// </summary>
    public static class ModelJson
    {
        /// <summary>Serialises a model.</summary>
        public static string Write(AbiModel m)
        {
            var o = JsonNode.NewObject()
                .Set("schemaVersion", JsonNode.Num(m.SchemaVersion))
                .Set("release", JsonNode.Str(m.Release))
                .Set("arch", JsonNode.Str(m.Arch))
                .Set("triple", JsonNode.Str(m.Triple))
                .Set("interfaceVersion", JsonNode.Str(m.InterfaceVersion))
                .Set("headerTreeSha256", JsonNode.Str(m.HeaderTreeSha256))
                .Set("defines", StrArray(m.Defines))
                .Set("headers", Array(m.Headers, h => JsonNode.NewObject().Set("path", JsonNode.Str(h.Path))
                    .SetOptional("skipped", JsonNode.StrOrNull(h.Skipped)).SetOptional("includedBy", JsonNode.StrOrNull(h.IncludedBy))))
                .Set("records", Array(m.Records, WriteRecord))
                .Set("typedefs", Array(m.Typedefs, t => Decl(JsonNode.NewObject().Set("name", JsonNode.Str(t.Name)), t).Set("type", WriteType(t.Type))))
                .Set("enums", Array(m.Enums, WriteEnum))
                .Set("constants", Array(m.Constants, WriteConstant))
                .Set("tables", Array(m.Tables, WriteTable))
                .Set("rings", Array(m.Rings, WriteRing))
                .Set("guestHandles", Array(m.GuestHandles, g => JsonNode.NewObject()
                    .Set("record", JsonNode.Str(g.Record)).Set("target", JsonNode.Str(g.Target))
                    .Set("size", JsonNode.Num(g.Size)).Set("align", JsonNode.Num(g.Align))));
            return JsonText.Write(o);
        }

        /// <summary>Parses a model; <paramref name="source"/> names the input in every error.</summary>
        /// <exception cref="JsonFormatException">The text is not JSON or not a model of this schema version.</exception>
        public static AbiModel Read(string text, string source)
        {
            var root = JsonText.Parse(text, source);
            var r = new Reader(source);
            var o = r.Obj(root, "$");
            int version = (int)r.Long(o, "schemaVersion", "$");
            if (version != AbiModel.CurrentSchemaVersion)
            {
                throw new JsonFormatException($"{source}: schemaVersion {version} is not supported (expected {AbiModel.CurrentSchemaVersion}); re-import with this version of xengen");
            }
            var m = new AbiModel
            {
                SchemaVersion = version,
                Release = r.Str(o, "release", "$"),
                Arch = r.Str(o, "arch", "$"),
                Triple = r.Str(o, "triple", "$"),
                InterfaceVersion = r.Str(o, "interfaceVersion", "$"),
                HeaderTreeSha256 = r.Str(o, "headerTreeSha256", "$"),
            };
            m.Defines = r.List(o, "defines", "$", (n, p) => r.AsStr(n, p));
            m.Headers = r.List(o, "headers", "$", (n, p) =>
            {
                var h = r.Obj(n, p);
                return new HeaderEntry { Path = r.Str(h, "path", p), Skipped = r.OptStr(h, "skipped", p), IncludedBy = r.OptStr(h, "includedBy", p) };
            });
            m.Records = r.List(o, "records", "$", (n, p) => ReadRecord(r, n, p));
            m.Typedefs = r.List(o, "typedefs", "$", (n, p) =>
            {
                var t = r.Obj(n, p);
                return ReadDecl(r, t, p, new TypedefDecl { Name = r.Str(t, "name", p), Type = ReadType(r, r.Req(t, "type", p), p + ".type") });
            });
            m.Enums = r.List(o, "enums", "$", (n, p) => ReadEnum(r, n, p));
            m.Constants = r.List(o, "constants", "$", (n, p) => ReadConstant(r, n, p));
            m.Tables = r.List(o, "tables", "$", (n, p) => ReadTable(r, n, p));
            m.Rings = r.List(o, "rings", "$", (n, p) => ReadRing(r, n, p));
            m.GuestHandles = r.List(o, "guestHandles", "$", (n, p) =>
            {
                var g = r.Obj(n, p);
                return new GuestHandle { Record = r.Str(g, "record", p), Target = r.Str(g, "target", p), Size = r.Long(g, "size", p), Align = r.Long(g, "align", p) };
            });
            return m;
        }

        private static JsonNode Decl(JsonNode o, Declared d) =>
            o.Set("header", JsonNode.Str(d.Header)).Set("line", JsonNode.Num(d.Line)).SetOptional("doc", JsonNode.StrOrNull(d.Doc));

        private static T ReadDecl<T>(Reader r, JsonNode o, string path, T d) where T : Declared
        {
            d.Header = r.Str(o, "header", path);
            d.Line = (int)r.Long(o, "line", path);
            d.Doc = r.OptStr(o, "doc", path);
            return d;
        }

        private static JsonNode WriteRecord(RecordDecl rec)
        {
            var o = JsonNode.NewObject()
                .Set("id", JsonNode.Str(rec.Id))
                .Set("kind", JsonNode.Str(rec.Kind))
                .SetOptional("tag", JsonNode.StrOrNull(rec.Tag))
                .SetOptional("typedef", JsonNode.StrOrNull(rec.Typedef))
                .SetOptional("parent", JsonNode.StrOrNull(rec.Parent))
                .Set("size", JsonNode.Num(rec.Size))
                .Set("align", JsonNode.Num(rec.Align));
            Decl(o, rec);
            return o.Set("fields", Array(rec.Fields, f => JsonNode.NewObject()
                .Set("name", JsonNode.StrOrNull(f.Name))
                .Set("type", WriteType(f.Type))
                .Set("offsetBits", JsonNode.Num(f.OffsetBits))
                .Set("size", JsonNode.Num(f.Size))
                .SetOptional("bitWidth", f.BitWidth.HasValue ? JsonNode.Num(f.BitWidth.Value) : null)
                .SetOptional("flexible", f.Flexible ? JsonNode.Bool(true) : null)
                .SetOptional("doc", JsonNode.StrOrNull(f.Doc))));
        }

        private static RecordDecl ReadRecord(Reader r, JsonNode n, string p)
        {
            var o = r.Obj(n, p);
            var rec = ReadDecl(r, o, p, new RecordDecl
            {
                Id = r.Str(o, "id", p),
                Kind = r.OneOf(o, "kind", p, "struct", "union"),
                Tag = r.OptStr(o, "tag", p),
                Typedef = r.OptStr(o, "typedef", p),
                Parent = r.OptStr(o, "parent", p),
                Size = r.Long(o, "size", p),
                Align = r.Long(o, "align", p),
            });
            rec.Fields = r.List(o, "fields", p, (fn, fp) =>
            {
                var f = r.Obj(fn, fp);
                return new FieldDecl
                {
                    Name = r.OptStr(f, "name", fp),
                    Type = ReadType(r, r.Req(f, "type", fp), fp + ".type"),
                    OffsetBits = r.Long(f, "offsetBits", fp),
                    Size = r.Long(f, "size", fp),
                    BitWidth = r.OptLong(f, "bitWidth", fp) is long w ? (int)w : (int?)null,
                    Flexible = r.OptBool(f, "flexible", fp),
                    Doc = r.OptStr(f, "doc", fp),
                };
            });
            return rec;
        }

        private static JsonNode WriteType(TypeRef t) => JsonNode.NewObject()
            .Set("kind", JsonNode.Str(t.Kind))
            .Set("c", JsonNode.Str(t.C))
            .Set("size", JsonNode.Num(t.Size))
            .Set("align", JsonNode.Num(t.Align))
            .SetOptional("signed", t.Signed.HasValue ? JsonNode.Bool(t.Signed.Value) : null)
            .SetOptional("record", JsonNode.StrOrNull(t.Record))
            .SetOptional("enum", JsonNode.StrOrNull(t.Enum))
            .SetOptional("pointee", JsonNode.StrOrNull(t.Pointee))
            .SetOptional("count", t.Count.HasValue ? JsonNode.Num(t.Count.Value) : null)
            .SetOptional("element", t.Element is null ? null : WriteType(t.Element));

        private static TypeRef ReadType(Reader r, JsonNode n, string p)
        {
            var o = r.Obj(n, p);
            var el = o.Get("element");
            return new TypeRef
            {
                Kind = r.OneOf(o, "kind", p, TypeKinds.Void, TypeKinds.Bool, TypeKinds.Char, TypeKinds.Int, TypeKinds.Float,
                    TypeKinds.Pointer, TypeKinds.Record, TypeKinds.Enum, TypeKinds.Array, TypeKinds.Other),
                C = r.Str(o, "c", p),
                Size = r.Long(o, "size", p),
                Align = r.Long(o, "align", p),
                Signed = o.Get("signed") is null ? (bool?)null : r.OptBool(o, "signed", p),
                Record = r.OptStr(o, "record", p),
                Enum = r.OptStr(o, "enum", p),
                Pointee = r.OptStr(o, "pointee", p),
                Count = r.OptLong(o, "count", p),
                Element = el is null ? null : ReadType(r, el, p + ".element"),
            };
        }

        private static JsonNode WriteEnum(EnumDecl e)
        {
            var o = JsonNode.NewObject()
                .Set("id", JsonNode.Str(e.Id))
                .SetOptional("tag", JsonNode.StrOrNull(e.Tag))
                .SetOptional("typedef", JsonNode.StrOrNull(e.Typedef))
                .Set("size", JsonNode.Num(e.Size))
                .Set("signed", JsonNode.Bool(e.Signed));
            Decl(o, e);
            return o.Set("constants", Array(e.Constants, c => JsonNode.NewObject()
                .Set("name", JsonNode.Str(c.Name)).Set("value", Number(c.Value)).SetOptional("doc", JsonNode.StrOrNull(c.Doc))));
        }

        private static EnumDecl ReadEnum(Reader r, JsonNode n, string p)
        {
            var o = r.Obj(n, p);
            var e = ReadDecl(r, o, p, new EnumDecl
            {
                Id = r.Str(o, "id", p),
                Tag = r.OptStr(o, "tag", p),
                Typedef = r.OptStr(o, "typedef", p),
                Size = r.Long(o, "size", p),
                Signed = r.OptBool(o, "signed", p),
            });
            e.Constants = r.List(o, "constants", p, (cn, cp) =>
            {
                var c = r.Obj(cn, cp);
                return new EnumConstant { Name = r.Str(c, "name", cp), Value = r.Integer(c, "value", cp), Doc = r.OptStr(c, "doc", cp) };
            });
            return e;
        }

        private static JsonNode WriteConstant(ConstantDecl c)
        {
            var o = JsonNode.NewObject()
                .Set("name", JsonNode.Str(c.Name))
                .Set("kind", JsonNode.Str(c.Kind))
                .Set("expansion", JsonNode.Str(c.Expansion));
            if (c.Kind == ConstantKinds.Int)
            {
                o.Set("cType", JsonNode.Str(c.CType ?? "")).Set("size", JsonNode.Num(c.Size)).Set("signed", JsonNode.Bool(c.Signed)).Set("value", Number(c.Value));
            }
            else
            {
                o.Set("value", JsonNode.Str(c.Value));
            }
            return Decl(o, c);
        }

        private static ConstantDecl ReadConstant(Reader r, JsonNode n, string p)
        {
            var o = r.Obj(n, p);
            string kind = r.OneOf(o, "kind", p, ConstantKinds.Int, ConstantKinds.String);
            var c = new ConstantDecl { Name = r.Str(o, "name", p), Kind = kind, Expansion = r.Str(o, "expansion", p) };
            if (kind == ConstantKinds.Int)
            {
                c.CType = r.Str(o, "cType", p);
                c.Size = r.Long(o, "size", p);
                c.Signed = r.OptBool(o, "signed", p);
                c.Value = r.Integer(o, "value", p);
            }
            else
            {
                c.Value = r.Str(o, "value", p);
            }
            return ReadDecl(r, o, p, c);
        }

        private static JsonNode WriteTable(ConstantTable t)
        {
            var o = JsonNode.NewObject()
                .Set("name", JsonNode.Str(t.Name))
                .Set("record", JsonNode.Str(t.Record))
                .Set("columns", StrArray(t.Columns))
                .Set("columnKinds", StrArray(t.ColumnKinds));
            Decl(o, t);
            var rows = JsonNode.NewArray();
            foreach (var row in t.Rows)
            {
                var cells = JsonNode.NewArray();
                for (int i = 0; i < row.Count; i++)
                {
                    cells.Add(t.ColumnKinds[i] == ConstantKinds.Int ? Number(row[i]) : JsonNode.Str(row[i]));
                }
                rows.Add(cells);
            }
            return o.Set("rows", rows);
        }

        private static ConstantTable ReadTable(Reader r, JsonNode n, string p)
        {
            var o = r.Obj(n, p);
            var t = ReadDecl(r, o, p, new ConstantTable
            {
                Name = r.Str(o, "name", p),
                Record = r.Str(o, "record", p),
                Columns = r.List(o, "columns", p, (x, xp) => r.AsStr(x, xp)),
                ColumnKinds = r.List(o, "columnKinds", p, (x, xp) => r.AsStr(x, xp)),
            });
            if (t.Columns.Count != t.ColumnKinds.Count)
            {
                throw r.Error(p, "columns and columnKinds differ in length");
            }
            t.Rows = r.List(o, "rows", p, (rowNode, rp) =>
            {
                var cells = r.Arr(rowNode, rp).Items;
                if (cells.Count != t.Columns.Count) throw r.Error(rp, $"row has {cells.Count} cells, expected {t.Columns.Count}");
                var row = new List<string>();
                for (int i = 0; i < cells.Count; i++)
                {
                    row.Add(t.ColumnKinds[i] == ConstantKinds.Int ? r.AsInteger(cells[i], rp + "[" + i + "]") : r.AsStr(cells[i], rp + "[" + i + "]"));
                }
                return row;
            });
            return t;
        }

        private static JsonNode WriteRing(RingDecl g)
        {
            var o = JsonNode.NewObject()
                .Set("name", JsonNode.Str(g.Name))
                .Set("kind", JsonNode.Str(g.Kind))
                .SetOptional("macro", JsonNode.StrOrNull(g.Macro))
                .SetOptional("request", JsonNode.StrOrNull(g.Request))
                .SetOptional("requestRecord", JsonNode.StrOrNull(g.RequestRecord))
                .SetOptional("response", JsonNode.StrOrNull(g.Response))
                .SetOptional("responseRecord", JsonNode.StrOrNull(g.ResponseRecord))
                .SetOptional("sharedRing", JsonNode.StrOrNull(g.SharedRing))
                .SetOptional("entry", JsonNode.StrOrNull(g.Entry))
                .SetOptional("interface", JsonNode.StrOrNull(g.Interface));
            Decl(o, g);
            if (g.Channels.Count > 0)
            {
                o.Set("channels", Array(g.Channels, c => JsonNode.NewObject()
                    .Set("buffer", JsonNode.Str(c.Buffer)).Set("consumer", JsonNode.Str(c.Consumer))
                    .Set("producer", JsonNode.Str(c.Producer)).Set("size", JsonNode.Num(c.Size))));
            }
            return o;
        }

        private static RingDecl ReadRing(Reader r, JsonNode n, string p)
        {
            var o = r.Obj(n, p);
            var g = ReadDecl(r, o, p, new RingDecl
            {
                Name = r.Str(o, "name", p),
                Kind = r.OneOf(o, "kind", p, RingKinds.Ring, RingKinds.FlexRing, RingKinds.FlexRingAndIntf, RingKinds.ByteRing),
                Macro = r.OptStr(o, "macro", p),
                Request = r.OptStr(o, "request", p),
                RequestRecord = r.OptStr(o, "requestRecord", p),
                Response = r.OptStr(o, "response", p),
                ResponseRecord = r.OptStr(o, "responseRecord", p),
                SharedRing = r.OptStr(o, "sharedRing", p),
                Entry = r.OptStr(o, "entry", p),
                Interface = r.OptStr(o, "interface", p),
            });
            if (o.Get("channels") != null)
            {
                g.Channels = r.List(o, "channels", p, (cn, cp) =>
                {
                    var c = r.Obj(cn, cp);
                    return new ByteRingChannel { Buffer = r.Str(c, "buffer", cp), Consumer = r.Str(c, "consumer", cp), Producer = r.Str(c, "producer", cp), Size = r.Long(c, "size", cp) };
                });
            }
            return g;
        }

        private static JsonNode Number(string decimalText)
        {
            if (!IsInteger(decimalText)) throw new ArgumentException($"'{decimalText}' is not a decimal integer", nameof(decimalText));
            return JsonNode.NumText(decimalText);
        }

        private static bool IsInteger(string s)
        {
            if (s.Length == 0) return false;
            int start = s[0] == '-' ? 1 : 0;
            if (start == s.Length) return false;
            for (int i = start; i < s.Length; i++)
            {
                if (s[i] < '0' || s[i] > '9') return false;
            }
            return true;
        }

        private static JsonNode StrArray(List<string> items) => Array(items, JsonNode.Str);

        private static JsonNode Array<T>(List<T> items, Func<T, JsonNode> write)
        {
            var a = JsonNode.NewArray();
            foreach (var item in items) a.Add(write(item));
            return a;
        }

        /// <summary>Typed access to a parsed document; every error names the input and the JSON path.</summary>
        private sealed class Reader
        {
            private readonly string _source;

            public Reader(string source) => _source = source;

            public JsonFormatException Error(string path, string what) => new JsonFormatException($"{_source}: {path}: {what}");

            public JsonNode Obj(JsonNode n, string path) => n.Kind == JsonKind.Object ? n : throw Error(path, "expected an object");

            public JsonNode Arr(JsonNode n, string path) => n.Kind == JsonKind.Array ? n : throw Error(path, "expected an array");

            public JsonNode Req(JsonNode o, string name, string path) => o.Get(name) ?? throw Error(path, $"missing member \"{name}\"");

            public string AsStr(JsonNode n, string path) => n.Kind == JsonKind.String ? n.Text! : throw Error(path, "expected a string");

            public string Str(JsonNode o, string name, string path) => AsStr(Req(o, name, path), path + "." + name);

            public string? OptStr(JsonNode o, string name, string path)
            {
                var n = o.Get(name);
                return n is null || n.Kind == JsonKind.Null ? null : AsStr(n, path + "." + name);
            }

            public string OneOf(JsonNode o, string name, string path, params string[] allowed)
            {
                string s = Str(o, name, path);
                if (System.Array.IndexOf(allowed, s) < 0) throw Error(path + "." + name, $"'{s}' is not one of {string.Join(", ", allowed)}");
                return s;
            }

            public string AsInteger(JsonNode n, string path) =>
                n.Kind == JsonKind.Number && IsInteger(n.Text!) ? n.Text! : throw Error(path, "expected an integer");

            public string Integer(JsonNode o, string name, string path) => AsInteger(Req(o, name, path), path + "." + name);

            public long Long(JsonNode o, string name, string path)
            {
                string s = Integer(o, name, path);
                return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : throw Error(path + "." + name, "integer out of range");
            }

            public long? OptLong(JsonNode o, string name, string path) => o.Get(name) is null ? (long?)null : Long(o, name, path);

            public bool OptBool(JsonNode o, string name, string path)
            {
                var n = o.Get(name);
                if (n is null) return false;
                return n.Kind == JsonKind.Bool ? n.Text == "true" : throw Error(path + "." + name, "expected true or false");
            }

            public List<T> List<T>(JsonNode o, string name, string path, Func<JsonNode, string, T> read)
            {
                var arr = Arr(Req(o, name, path), path + "." + name);
                var list = new List<T>(arr.Items.Count);
                for (int i = 0; i < arr.Items.Count; i++) list.Add(read(arr.Items[i], $"{path}.{name}[{i}]"));
                return list;
            }
        }
    }
}
