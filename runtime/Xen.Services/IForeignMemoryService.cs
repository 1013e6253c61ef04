namespace Xen.Services;

/// <summary>The backend side of grants: mapping a frontend's pages and copying to and from them.</summary>
public interface IForeignMemoryService
{
    /// <summary>Maps <paramref name="references"/> of <paramref name="domain"/>, contiguous, in order.</summary>
    /// <exception cref="Xen.Services.GrantRefusedException">The hypervisor refused a reference (not granted, wrong domain, read-only).</exception>
    ForeignPages Map(ushort domain, ReadOnlySpan<uint> references, bool readOnly);

    /// <summary><c>GNTTABOP_copy</c> from <paramref name="domain"/>'s grant into <paramref name="destination"/>.</summary>
    /// <exception cref="Xen.Services.GrantRefusedException">The hypervisor refused.</exception>
    void CopyFrom(ushort domain, uint grantRef, int offset, Span<byte> destination);

    /// <summary><c>GNTTABOP_copy</c> of <paramref name="source"/> into <paramref name="domain"/>'s grant.</summary>
    /// <exception cref="Xen.Services.GrantRefusedException">The hypervisor refused (read-only grant, ...).</exception>
    void CopyTo(ushort domain, uint grantRef, int offset, ReadOnlySpan<byte> source);
}
