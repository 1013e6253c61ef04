using System.Runtime.InteropServices;

namespace Xen.Conformance;

/// <summary>
/// One domain's way to Xen, as the suite needs it: a hypercall whose argument struct the adapter puts where Xen reads
/// it (guest memory in the simulator, a hypercall buffer of <c>/dev/xen/hypercall</c> on Linux) and copies back.
/// </summary>
public interface IXenDomain
{
    /// <summary>This domain's id.</summary>
    ushort DomainId { get; }

    /// <summary>
    /// Hypercall <paramref name="op"/>(<paramref name="cmd"/>, &amp;argument[, <paramref name="count"/>]); an empty
    /// <paramref name="argument"/> passes a null pointer. The argument is updated with what Xen wrote.
    /// </summary>
    /// <returns>Xen's return value (a negative errno on failure).</returns>
    long Hypercall(uint op, ulong cmd, Span<byte> argument, ulong? count = null);
}

/// <summary>Typed calls over <see cref="IXenDomain.Hypercall"/>.</summary>
public static class XenDomainExtensions
{
    /// <summary><c>HYPERVISOR_event_channel_op(cmd, &amp;op)</c>.</summary>
    public static long EventChannelOp<T>(this IXenDomain xen, int cmd, ref T op) where T : unmanaged =>
        xen.Hypercall(XenConst._HypervisorEventChannelOp, (ulong)cmd, Bytes(ref op));

    /// <summary><c>HYPERVISOR_grant_table_op(cmd, &amp;op, 1)</c>.</summary>
    public static long GrantTableOp<T>(this IXenDomain xen, int cmd, ref T op) where T : unmanaged =>
        xen.Hypercall(XenConst._HypervisorGrantTableOp, (ulong)cmd, Bytes(ref op), 1);

    /// <summary><c>HYPERVISOR_xen_version(cmd, &amp;arg)</c>.</summary>
    public static long XenVersion<T>(this IXenDomain xen, int cmd, ref T arg) where T : unmanaged =>
        xen.Hypercall(XenConst._HypervisorXenVersion, (ulong)cmd, Bytes(ref arg));

    /// <summary><c>HYPERVISOR_xen_version(cmd, NULL)</c>.</summary>
    public static long XenVersion(this IXenDomain xen, int cmd) =>
        xen.Hypercall(XenConst._HypervisorXenVersion, (ulong)cmd, default);

    private static Span<byte> Bytes<T>(ref T value) where T : unmanaged =>
        MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref value, 1));
}
