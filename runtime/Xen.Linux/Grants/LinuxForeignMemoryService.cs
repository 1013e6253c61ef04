using Xen.Abi.Sys;
using Xen.Linux.Devices;
using Xen.Services;

namespace Xen.Linux.Grants;

/// <summary>
/// A backend's side of grants on <c>/dev/xen/gntdev</c>: <c>IOCTL_GNTDEV_MAP_GRANT_REF</c> reserves an offset of the
/// device for a peer's references and the <c>mmap</c> there maps them (Xen's <c>GNTTABOP_map_grant_ref</c>, read-only
/// when the mapping is); <c>IOCTL_GNTDEV_GRANT_COPY</c> is <c>GNTTABOP_copy</c> to and from this process's memory.
/// </summary>
public sealed unsafe class LinuxForeignMemoryService : IForeignMemoryService, IDisposable
{
    /// <summary>The device's usual path.</summary>
    public const string DefaultPath = "/dev/xen/gntdev";

    private readonly XenDevice device;

    /// <summary>Maps through <paramref name="device"/>; the service disposes it.</summary>
    public LinuxForeignMemoryService(XenDevice device) => this.device = device;

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="XenDeviceException">The device cannot be opened.</exception>
    public static LinuxForeignMemoryService Open(string path = DefaultPath) => new(XenDevice.Open(path));

    /// <inheritdoc/>
    public ForeignPages Map(ushort domain, ReadOnlySpan<uint> references, bool readOnly)
    {
        if (references.IsEmpty) throw new ArgumentException("no grant references to map", nameof(references));
        ulong index = Reserve(domain, references);
        nuint length = (nuint)references.Length * GrantedPages.XenPageSize;
        byte* address;
        try
        {
            address = device.Map(length, writable: !readOnly, index);
        }
        catch (XenDeviceException e)
        {
            Release(index, (uint)references.Length);
            // gntdev's mmap maps every reference and fails as a whole when Xen refuses one of them.
            string which = references.Length == 1 ? "" : $" (one of {references.Length} references from {references[0]} on)";
            throw new GrantRefusedException("GNTTABOP_map_grant_ref", domain, references[0], $"mmap of {device.Path}: {LibC.Describe(e.Errno)}{which}", e);
        }
        return new Mapping(this, address, domain, references.ToArray(), readOnly, index);
    }

    /// <inheritdoc/>
    public void CopyFrom(ushort domain, uint grantRef, int offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        fixed (byte* local = destination)
        {
            var segment = new IoctlGntdevGrantCopySegment { Len = (ushort)destination.Length, Flags = (ushort)GrantTableH.GntcopySourceGref };
            segment.Source.Foreign = new() { Ref = grantRef, Offset = (ushort)offset, Domid = domain };
            segment.Dest.Virt = (ulong)local;
            Copy(ref segment, domain, grantRef);
        }
    }

    /// <inheritdoc/>
    public void CopyTo(ushort domain, uint grantRef, int offset, ReadOnlySpan<byte> source)
    {
        CheckRange(offset, source.Length);
        fixed (byte* local = source)
        {
            var segment = new IoctlGntdevGrantCopySegment { Len = (ushort)source.Length, Flags = (ushort)GrantTableH.GntcopyDestGref };
            segment.Source.Virt = (ulong)local;
            segment.Dest.Foreign = new() { Ref = grantRef, Offset = (ushort)offset, Domid = domain };
            Copy(ref segment, domain, grantRef);
        }
    }

    /// <summary>Closes the device; mappings still open stay until disposed.</summary>
    public void Dispose() => device.Dispose();

    private void Copy(ref IoctlGntdevGrantCopySegment segment, ushort domain, uint grantRef)
    {
        fixed (IoctlGntdevGrantCopySegment* s = &segment)
        {
            var op = new IoctlGntdevGrantCopy { Count = 1, Segments = (ulong)s };
            device.Ioctl(GntdevH.IoctlGntdevGrantCopy, &op, "IOCTL_GNTDEV_GRANT_COPY");
        }
        if (segment.Status != GrantTableH.GntstOkay)
            throw new GrantRefusedException("GNTTABOP_copy", domain, grantRef, GrantTableH.CNameOf(segment.Status, "GNTST_") ?? $"GNTST_?({segment.Status})");
    }

    private ulong Reserve(ushort domain, ReadOnlySpan<uint> references)
    {
        // The struct ends in refs[1]: room for every reference.
        int size = sizeof(IoctlGntdevMapGrantRef) + (references.Length - 1) * sizeof(IoctlGntdevGrantRef);
        var buffer = new byte[size];
        fixed (byte* p = buffer)
        {
            var op = (IoctlGntdevMapGrantRef*)p;
            op->Count = (uint)references.Length;
            var refs = (IoctlGntdevGrantRef*)&op->Refs;
            for (int i = 0; i < references.Length; i++) refs[i] = new IoctlGntdevGrantRef { Domid = domain, Ref = references[i] };
            device.Ioctl(GntdevH.IoctlGntdevMapGrantRef, op, "IOCTL_GNTDEV_MAP_GRANT_REF");
            return op->Index;
        }
    }

    private void Release(ulong index, uint count)
    {
        var op = new IoctlGntdevUnmapGrantRef { Index = index, Count = count };
        device.Ioctl(GntdevH.IoctlGntdevUnmapGrantRef, &op, "IOCTL_GNTDEV_UNMAP_GRANT_REF");
    }

    private static void CheckRange(int offset, int length)
    {
        if (offset < 0 || length < 0 || offset + length > GrantedPages.XenPageSize)
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, {offset + length}) is not inside one {GrantedPages.XenPageSize}-byte page");
    }

    private sealed class Mapping(LinuxForeignMemoryService owner, byte* address, ushort domain, uint[] refs, bool readOnly, ulong index)
        : ForeignPages(address, domain, refs, readOnly)
    {
        protected override void Unmap()
        {
            owner.device.Unmap(Address, (nuint)Length);
            owner.Release(index, (uint)References.Count);
        }
    }
}
