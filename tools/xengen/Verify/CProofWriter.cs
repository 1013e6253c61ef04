using System.Text;
using System.Text.RegularExpressions;
using Xen.Abi.Model;

namespace XenGen.Tool.Verify;

/// <summary>
/// Writes C programs that state every fact of a model to the C compiler: a file of <c>_Static_assert</c>s
/// (sizes, alignments, field offsets and sizes, constant values and types, enumerators, typedef sizes) for any
/// target, and a program to run on the build machine for what C cannot state at compile time (bitfield
/// positions, string contents, constant tables).
/// </summary>
internal static partial class CProofWriter
{
    [GeneratedRegex("^E[A-Z0-9]*=")]
    private static partial Regex ErrnoDefine();

    /// <summary>
    /// The headers the model imported, <c>xen.h</c> first, as <c>#include</c> lines; a header that only compiles
    /// inside another comes in through that one.
    /// </summary>
    public static string Includes(AbiModel m)
    {
        var sb = new StringBuilder("#include <xen/xen.h>\n");
        foreach (var h in m.Headers.Where(h => h.Skipped is null && h.IncludedBy is null && h.Path != "xen.h")) sb.Append("#include <xen/").Append(h.Path).Append(">\n");
        return sb.ToString();
    }

    /// <summary>Defines for the compile: the model's own, without the errno values it supplied in place of a C library.</summary>
    public static IEnumerable<string> HostedDefines(AbiModel m) => m.Defines.Where(d => !ErrnoDefine().IsMatch(d));

    public static string StaticAsserts(AbiModel m, ProofCounts counts, List<string> unprovable) => StaticAsserts(m, Includes(m), counts, unprovable);

    /// <summary>The <c>_Static_assert</c>s of every fact of <paramref name="m"/>, after <paramref name="includes"/>.</summary>
    public static string StaticAsserts(AbiModel m, string includes, ProofCounts counts, List<string> unprovable)
    {
        var sb = new StringBuilder();
        sb.Append("/* ").Append(m.Release).Append(' ').Append(m.Arch).Append(": facts of the XenGen ABI model, checked by the C compiler. */\n");
        sb.Append("#include <stddef.h>\n#include <stdint.h>\n").Append(includes).Append('\n');
        void Assert(string condition, string what) =>
            sb.Append("_Static_assert(").Append(condition).Append(", ").Append(CLiteral.String(what)).Append(");\n");

        var access = RecordAccess.For(m);
        foreach (var r in m.Records)
        {
            if (!access.TryGetValue(r.Id, out var a))
            {
                unprovable.Add(r.Id);
                continue;
            }
            if (a.Nameable)
            {
                string type = a.Path.Length == 0 ? a.HostType : $"__typeof__((({a.HostType} *)0)->{a.Path})";
                Assert($"sizeof({type}) == {r.Size}", $"sizeof {r.Id}");
                Assert($"_Alignof({type}) == {r.Align}", $"_Alignof {r.Id}");
                counts.Records++;
            }
            foreach (var f in r.Fields)
            {
                if (string.IsNullOrEmpty(f.Name) || f.BitWidth != null) continue;
                string path = a.FieldPath(f.Name);
                Assert($"offsetof({a.HostType}, {path}) == {(a.AbsoluteBits + f.OffsetBits) / 8}", $"offsetof {r.Id}.{f.Name}");
                if (!f.Flexible) Assert($"sizeof((({a.HostType} *)0)->{path}) == {f.Size}", $"sizeof {r.Id}.{f.Name}");
                counts.Fields++;
            }
        }
        foreach (var c in m.Constants)
        {
            if (c.Kind == ConstantKinds.Int)
            {
                Assert($"({c.Name}) == {CLiteral.Integer(c.Value, c.Signed)}", $"value of {c.Name}");
                Assert($"_Generic(({c.Name}), {c.CType}: 1, default: 0)", $"type of {c.Name} is {c.CType}");
            }
            else
            {
                Assert($"sizeof({c.Name}) == {Encoding.UTF8.GetByteCount(c.Value) + 1}", $"length of {c.Name}");
            }
            counts.Constants++;
        }
        foreach (var e in m.Enums)
        {
            if (e.Tag != null) Assert($"sizeof(enum {e.Tag}) == {e.Size}", $"sizeof enum {e.Tag}");
            foreach (var k in e.Constants)
            {
                Assert($"{k.Name} == {CLiteral.Integer(k.Value, signed: k.Value.StartsWith('-'))}", $"value of {k.Name}");
                counts.Constants++;
            }
        }
        foreach (var t in m.Typedefs)
        {
            if (t.Type.Size <= 0 || t.Type.Kind is TypeKinds.Other or TypeKinds.Void) continue;
            Assert($"sizeof({t.Name}) == {t.Type.Size}", $"sizeof {t.Name}");
            counts.Typedefs++;
        }
        return sb.ToString();
    }

    /// <summary>
    /// A hosted program for the build machine's own architecture: exits 0 when bitfield positions, string
    /// constants and constant tables match the model, else prints each mismatch and exits 1.
    /// </summary>
    public static string RuntimeChecks(AbiModel m, ProofCounts counts)
    {
        var sb = new StringBuilder();
        sb.Append("/* ").Append(m.Release).Append(' ').Append(m.Arch).Append(": facts C can only check at run time. */\n");
        sb.Append("#include <errno.h>\n#include <stdio.h>\n#include <string.h>\n#include <stdint.h>\n").Append(Includes(m));
        sb.Append("""

            static int failures;

            static void fail(const char *what) { printf("FAIL %s\n", what); failures++; }

            /* The set bits of an object must be exactly bits [first, first + width). */
            static void bits(const void *object, size_t size, long first, long width, const char *what)
            {
                const unsigned char *p = object;
                for (long i = 0; i < (long)size * 8; i++) {
                    int set = (p[i / 8] >> (i % 8)) & 1;
                    if (set != (i >= first && i < first + width)) { fail(what); return; }
                }
            }

            int main(void)
            {

            """);
        var access = RecordAccess.For(m);
        foreach (var r in m.Records)
        {
            if (!access.TryGetValue(r.Id, out var a)) continue;
            foreach (var f in r.Fields.Where(f => f.BitWidth is > 0 && !string.IsNullOrEmpty(f.Name)))
            {
                sb.Append($"    {{ {a.HostType} v; memset(&v, 0, sizeof v); v.{a.FieldPath(f.Name!)} = -1; ")
                  .Append($"bits(&v, sizeof v, {a.AbsoluteBits + f.OffsetBits}, {f.BitWidth}, {CLiteral.String($"bitfield {r.Id}.{f.Name}")}); }}\n");
                counts.Fields++;
            }
        }
        foreach (var c in m.Constants.Where(c => c.Kind == ConstantKinds.String))
        {
            sb.Append($"    if (strcmp({c.Name}, {CLiteral.String(c.Value)}) != 0) fail({CLiteral.String($"string {c.Name}")});\n");
        }
        foreach (var t in m.Tables)
        {
            sb.Append($"    if (sizeof({t.Name}) / sizeof({t.Name}[0]) != {t.Rows.Count}) fail({CLiteral.String($"row count of {t.Name}")});\n");
            for (int i = 0; i < t.Rows.Count; i++)
            {
                for (int j = 0; j < t.Columns.Count; j++)
                {
                    string cell = $"{t.Name}[{i}].{t.Columns[j]}";
                    string check = t.ColumnKinds[j] == ConstantKinds.Int
                        ? $"(long long){cell} != {t.Rows[i][j]}LL"
                        : $"strcmp({cell}, {CLiteral.String(t.Rows[i][j])}) != 0";
                    sb.Append($"    if ({check}) fail({CLiteral.String($"{t.Name}[{i}].{t.Columns[j]}")});\n");
                }
                counts.Constants++;
            }
        }
        sb.Append("    return failures != 0;\n}\n");
        return sb.ToString();
    }
}
