using System.Globalization;
using XenGen.HeaderImporter.Clang;

namespace XenGen.HeaderImporter;

/// <summary>
/// <c>io/xs_wire.h</c> builds its <c>xsd_errors</c> table only when the includer's <c>&lt;errno.h&gt;</c> defines
/// <c>EINVAL</c> and friends. With no C library involved, the errno macros are defined from Xen's own
/// <c>errno.h</c> (its <c>XEN_ERRNO(name, value)</c> list, which the header lets an includer expand): the values
/// the hypervisor and the XenStore wire protocol use.
/// </summary>
internal static class ErrnoDefines
{
    private const string Prefix = "__xengen_errno_";

    public static IReadOnlyList<string> Read(ClangIndex index, HeaderTree tree, TargetArch arch, string interfaceVersion)
    {
        if (!tree.Headers.Contains("errno.h")) return [];
        var settings = new ParseSettings(tree, arch, interfaceVersion, []);
        string main = Path.Combine(tree.IncludeDir, "__xengen_errno_probe.c");
        string text = $"#define XEN_ERRNO(name, value) static const int {Prefix}##name = value;\n#include <xen/errno.h>\n";
        using var tu = TranslationUnit.Parse(index, main, settings.Arguments, new Dictionary<string, string> { [main] = text }, CXTranslationUnitFlags.None);
        var defines = new List<string>();
        foreach (var c in tu.Root.Children())
        {
            if (c.Kind != CXCursorKind.VarDecl || !c.Spelling.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            var v = EvalResult.Evaluate(c);
            if (v is { Kind: CXEvalResultKind.Int }) defines.Add($"{c.Spelling[Prefix.Length..]}={v.Value.Signed.ToString(CultureInfo.InvariantCulture)}");
        }
        return defines;
    }
}
