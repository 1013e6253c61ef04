using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Xen.XenStore.Protocol;

/// <summary>
/// The message header of <c>io/xs_wire.h</c> (<see cref="XsdSockmsg"/>) as bytes: its size, and reading and
/// writing it at the start of a frame. The layout is the generated struct's; nothing is copied by hand.
/// </summary>
public static class XsHeader
{
    /// <summary>The size of <c>struct xsd_sockmsg</c> in bytes.</summary>
    public static int Size => Unsafe.SizeOf<XsdSockmsg>();

    /// <summary>The largest payload a message may carry in either direction (<c>XENSTORE_PAYLOAD_MAX</c>).</summary>
    public static int PayloadMax => XsWire.XenstorePayloadMax;

    /// <summary>The largest frame: a header followed by <see cref="PayloadMax"/> bytes.</summary>
    public static int FrameMax => Size + PayloadMax;

    /// <summary>Reads the header at the start of <paramref name="source"/>, which holds at least <see cref="Size"/> bytes.</summary>
    /// <param name="source">The frame's bytes.</param>
    /// <returns>The header, in the byte order of the peer (Xen peers share this machine's).</returns>
    public static XsdSockmsg Read(ReadOnlySpan<byte> source) => MemoryMarshal.Read<XsdSockmsg>(source);

    /// <summary>Writes <paramref name="header"/> at the start of <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <see cref="Size"/> bytes.</param>
    /// <param name="header">The header.</param>
    public static void Write(Span<byte> destination, in XsdSockmsg header) => MemoryMarshal.Write(destination, in header);

    /// <summary>Builds a header.</summary>
    /// <param name="type">The message type.</param>
    /// <param name="requestId">The request id, echoed in replies.</param>
    /// <param name="transactionId">The transaction id, 0 outside a transaction.</param>
    /// <param name="length">The payload length.</param>
    /// <returns>The header.</returns>
    public static XsdSockmsg Create(XsdSockmsgType type, uint requestId, uint transactionId, int length) =>
        new() { Type = (uint)type, ReqId = requestId, TxId = transactionId, Len = (uint)length };
}
