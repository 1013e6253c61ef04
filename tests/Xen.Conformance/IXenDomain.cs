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

    /// <summary>
    /// Hypercall <paramref name="op"/>(&amp;argument), the argument struct's address as the only argument (as
    /// <c>HYPERVISOR_domctl</c> takes it). The argument is updated with what Xen wrote.
    /// </summary>
    /// <returns>Xen's return value (a negative errno on failure).</returns>
    long Hypercall(uint op, Span<byte> argument);

    /// <summary>
    /// A copy of frame <paramref name="frame"/> of domain <paramref name="domain"/> (a gfn; for a PV domain its
    /// mfn), mapped as a privileged domain maps a foreign frame (privcmd's <c>IOCTL_PRIVCMD_MMAPBATCH_V2</c> on
    /// Linux) and read at once.
    /// </summary>
    /// <exception cref="InvalidOperationException">Xen refused the mapping; the message names the domain, frame and errno.</exception>
    byte[] ReadForeignFrame(ushort domain, ulong frame);
}

/// <summary>Typed calls over <see cref="IXenDomain.Hypercall(uint, ulong, Span{byte}, ulong?)"/> and <see cref="IXenDomain.Hypercall(uint, Span{byte})"/>.</summary>
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

    /// <summary><c>HYPERVISOR_domctl(&amp;op)</c>.</summary>
    public static long Domctl(this IXenDomain xen, ref XenDomctl op) =>
        xen.Hypercall(XenConst._HypervisorDomctl, Bytes(ref op));

    /// <summary><c>HYPERVISOR_xen_version(cmd, NULL)</c>.</summary>
    public static long XenVersion(this IXenDomain xen, int cmd) =>
        xen.Hypercall(XenConst._HypervisorXenVersion, (ulong)cmd, default);

    /// <summary>The bytes of <paramref name="value"/>, for <see cref="IXenDomain.Hypercall(uint, ulong, Span{byte}, ulong?)"/>.</summary>
    public static Span<byte> Bytes<T>(ref T value) where T : unmanaged =>
        MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref value, 1));
}
