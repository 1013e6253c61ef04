using System.Runtime.InteropServices;
using Xen.Abi.Sys;
using Xen.Linux.Devices;
using Xen.Services;

namespace Xen.Linux.Grants;

/// <summary>
/// Granting on <c>/dev/xen/gntalloc</c>: <c>IOCTL_GNTALLOC_ALLOC_GREF</c> makes zeroed pages and grants them, an
/// <c>mmap</c> of the device at the returned offset shows them here. As libxengnttab does, the references are released
/// (<c>IOCTL_GNTALLOC_DEALLOC_GREF</c>) as soon as they are mapped, so the kernel ends the peer's access when this
/// process unmaps them, and defers freeing a page the peer still maps.
/// </summary>
public sealed unsafe class LinuxGrantService : IGrantService, IDisposable
{
    /// <summary>The device's usual path.</summary>
    public const string DefaultPath = "/dev/xen/gntalloc";

    private readonly XenDevice device;

    /// <summary>Grants through <paramref name="device"/>; the service disposes it.</summary>
    public LinuxGrantService(XenDevice device) => this.device = device;

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="XenDeviceException">The device cannot be opened.</exception>
    public static LinuxGrantService Open(string path = DefaultPath) => new(XenDevice.Open(path));

    /// <inheritdoc/>
    /// <exception cref="XenDeviceException">The kernel refused (<c>ENOSPC</c>: no grant reference or page left).</exception>
    public GrantedPages Grant(ushort domain, int pageCount, bool readOnly = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageCount);
        // The struct ends in gref_ids[1]: room for pageCount references.
        nuint size = (nuint)(sizeof(IoctlGntallocAllocGref) + (pageCount - 1) * sizeof(uint));
        var op = (IoctlGntallocAllocGref*)NativeMemory.AllocZeroed(size);
        try
        {
            op->Domid = domain;
            op->Flags = readOnly ? (ushort)0 : (ushort)GntallocH.GntallocFlagWritable;
            op->Count = (uint)pageCount;
            device.Ioctl(GntallocH.IoctlGntallocAllocGref, op, "IOCTL_GNTALLOC_ALLOC_GREF");
            var refs = new ReadOnlySpan<uint>(op->GrefIds, pageCount).ToArray();
            nuint length = (nuint)pageCount * GrantedPages.XenPageSize;
            byte* address;
            try
            {
                address = device.Map(length, writable: true, op->Index);
            }
            finally
            {
                Dealloc(op->Index, (uint)pageCount);
            }
            return new Pages(this, address, refs, readOnly);
        }
        finally
        {
            NativeMemory.Free(op);
        }
    }

    private void Dealloc(ulong index, uint count)
    {
        var op = new IoctlGntallocDeallocGref { Index = index, Count = count };
        device.Ioctl(GntallocH.IoctlGntallocDeallocGref, &op, "IOCTL_GNTALLOC_DEALLOC_GREF");
    }

    /// <summary>Closes the device; pages still granted stay mapped until disposed.</summary>
    public void Dispose() => device.Dispose();

    private sealed class Pages(LinuxGrantService owner, byte* address, uint[] references, bool readOnly)
        : GrantedPages(address, references.Length, references, readOnly)
    {
        protected override void Release() => owner.device.Unmap(Address, (nuint)Length);
    }
}
