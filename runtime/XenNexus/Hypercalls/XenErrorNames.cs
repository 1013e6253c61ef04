using System.Reflection;
using Xen.Abi;

namespace Xen.Nexus.Hypercalls;

/// <summary>
/// Xen's C names of its errno values (<c>XEN_EINVAL</c>) and grant status codes (<c>GNTST_bad_gntref</c>), derived
/// once from the generated <see cref="XenErrno"/> enum and <c>GNTST_*</c> constants by the generator's naming rule
/// in reverse.
/// </summary>
public static class XenErrorNames
{
    private static readonly Dictionary<uint, string> Errnos = BuildErrnos();
    private static readonly Dictionary<int, string> GrantStatuses = BuildGrantStatuses();

    /// <summary>The name of errno <paramref name="errno"/>, such as <c>XEN_EINVAL</c>; <c>XEN_E?(n)</c> for a number Xen does not define.</summary>
    public static string Errno(uint errno) => Errnos.TryGetValue(errno, out var name) ? name : $"XEN_E?({errno})";

    /// <summary>The name of grant status <paramref name="status"/>, such as <c>GNTST_bad_gntref</c>.</summary>
    public static string GrantStatus(int status) => GrantStatuses.TryGetValue(status, out var name) ? name : $"GNTST_?({status})";

    private static Dictionary<uint, string> BuildErrnos()
    {
        var names = new Dictionary<uint, string>();
        // Declaration order: of two names for one value (EAGAIN, EWOULDBLOCK) the first, the errno's own, wins.
        foreach (var field in typeof(XenErrno).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var value = (uint)field.GetValue(null)!;
            names.TryAdd(value, "XEN_" + field.Name["Xen".Length..].ToUpperInvariant());
        }
        return names;
    }

    private static Dictionary<int, string> BuildGrantStatuses()
    {
        const string prefix = "Gntst";
        var names = new Dictionary<int, string>();
        foreach (var field in typeof(GrantTableH).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (!field.Name.StartsWith(prefix, StringComparison.Ordinal) || field.FieldType != typeof(int))
                continue;
            names.TryAdd((int)field.GetValue(null)!, "GNTST_" + SnakeCase(field.Name[prefix.Length..]));
        }
        return names;
    }

    /// <summary><c>BadGntref</c> → <c>bad_gntref</c>: the generator's PascalCase back to Xen's lower snake case.</summary>
    internal static string SnakeCase(string pascal)
    {
        var text = new System.Text.StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
                text.Append('_');
            text.Append(char.ToLowerInvariant(pascal[i]));
        }
        return text.ToString();
    }
}
