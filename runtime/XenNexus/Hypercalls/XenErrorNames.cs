using Xen.Abi;

namespace Xen.Nexus.Hypercalls;

/// <summary>
/// Xen's C names of its errno values (<c>XEN_EINVAL</c>) and grant status codes (<c>GNTST_bad_gntref</c>), from the
/// generated C-name lookups of <see cref="XenErrno"/> and of <c>grant_table.h</c>'s constants (no reflection, so a
/// trimmed or freestanding image names them too).
/// </summary>
public static class XenErrorNames
{
    /// <summary>The name of errno <paramref name="errno"/>, such as <c>XEN_EINVAL</c>; <c>XEN_E?(n)</c> for a number Xen does not define.</summary>
    public static string Errno(uint errno) => ((XenErrno)errno).CName() ?? $"XEN_E?({errno})";

    /// <summary>The name of grant status <paramref name="status"/>, such as <c>GNTST_bad_gntref</c>.</summary>
    public static string GrantStatus(int status) => GrantTableH.CNameOf(status, "GNTST_") ?? $"GNTST_?({status})";
}
