using System.Text;

namespace XenGen.HeaderImporter;

/// <summary>
/// The in-memory main file of a parse: it includes one public header, then declares for every candidate macro
/// that is defined at that point a constant initialised with it. Clang then evaluates each initializer for the
/// target, exactly as a C compiler would, which is how integer constant expressions, casts, aliases of enum
/// constants and string literals get their values and types.
/// </summary>
internal static class ConstantProbes
{
    public const string Prefix = "__xengen_probe_";

    public static string MainFile(string header, IReadOnlyList<string> candidates) =>
        MainFile(header == "xen.h" ? [header] : ["xen.h", header], candidates);

    /// <summary>The main file including <paramref name="headers"/> in order, then probing <paramref name="candidates"/>.</summary>
    public static string MainFile(IEnumerable<string> headers, IReadOnlyList<string> candidates)
    {
        var sb = new StringBuilder();
        foreach (string header in headers) sb.Append("#include <xen/").Append(header).Append(">\n");
        foreach (string name in candidates)
        {
            sb.Append("#ifdef ").Append(name).Append('\n')
              .Append("static const __typeof__(").Append(name).Append(") ").Append(Prefix).Append(name).Append(" = ").Append(name).Append(";\n")
              .Append("#endif\n");
        }
        return sb.ToString();
    }
}
