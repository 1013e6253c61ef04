namespace XenGen.Tool.Diff;

/// <summary>
/// Which parts of a model are tools-only interfaces: the toolstack's (libxc, libxl) contract with Xen, versioned by
/// their own interface numbers and free to change between releases, as opposed to the guest-visible ABI that a
/// guest kernel or driver is built against.
/// </summary>
/// <remarks>
/// The model records each declaration's header but not the preprocessor conditions around it, so the rule is by
/// header: a header is tools-only when Xen makes it unusable, or leaves it empty, unless <c>__XEN_TOOLS__</c> (or
/// <c>__XEN__</c>) is defined. That is <c>domctl.h</c> and <c>sysctl.h</c>, which stop with <c>#error</c>, and
/// <c>vm_event.h</c>, <c>device_tree_defs.h</c> and <c>arch-x86/guest-acpi.h</c>, whose whole content is inside
/// such a block. Declarations inside a smaller <c>__XEN_TOOLS__</c> block of another header (parts of <c>xen.h</c>,
/// <c>memory.h</c>, <c>hvm/hvm_op.h</c>, <c>hvm/params.h</c>, <c>arch-x86/xen.h</c>, ...) count as guest-visible:
/// the report errs towards the stricter reading.
/// </remarks>
public static class ToolsOnlyRule
{
    /// <summary>The tools-only headers, relative to <c>xen/</c>.</summary>
    public static IReadOnlyList<string> Headers { get; } =
        ["arch-x86/guest-acpi.h", "device_tree_defs.h", "domctl.h", "sysctl.h", "vm_event.h"];

    /// <summary>True when <paramref name="header"/> (relative to <c>xen/</c>) is a tools-only interface.</summary>
    public static bool IsToolsOnly(string header) => Headers.Contains(header, StringComparer.Ordinal);
}
