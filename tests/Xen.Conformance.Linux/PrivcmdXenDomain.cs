using Xen.Abi.Sys;
using Xen.Linux.Devices;
using Xen.Linux.Hypercalls;

namespace Xen.Conformance.Linux;

/// <summary>
/// The suite's adapter over Linux: <c>IOCTL_PRIVCMD_HYPERCALL</c> with the argument struct in a page of
/// <c>/dev/xen/hypercall</c> (memory the kernel keeps present for Xen, as libxencall uses). The kernel passes Xen's
/// return through: a negative one comes back as errno, whose numbers on x86 Linux are xen/errno.h's. Foreign frames
/// are mapped as libxenforeignmemory does: an mmap of privcmd filled by <c>IOCTL_PRIVCMD_MMAPBATCH_V2</c>.
/// </summary>
internal sealed unsafe class PrivcmdXenDomain : IXenDomain, IDisposable
{
    private const string HypercallBufferPath = "/dev/xen/hypercall";
    private const int BufferSize = 4096;

    private readonly PrivcmdDevice privcmd;
    private readonly XenDevice mappingDevice;
    private readonly XenDevice bufferDevice;
    private readonly byte* buffer;

    public PrivcmdXenDomain(ushort domainId)
    {
        DomainId = domainId;
        privcmd = PrivcmdDevice.Open();
        mappingDevice = XenDevice.Open(PrivcmdDevice.DefaultPath);
        bufferDevice = XenDevice.Open(HypercallBufferPath);
        buffer = bufferDevice.Map(BufferSize, writable: true, 0);
    }

    public ushort DomainId { get; }

    public long Hypercall(uint op, ulong cmd, Span<byte> argument, ulong? count = null)
    {
        if (argument.Length > BufferSize) throw new ArgumentOutOfRangeException(nameof(argument), argument.Length, $"more than one {BufferSize}-byte hypercall buffer");
        var target = new Span<byte>(buffer, BufferSize);
        target.Clear();
        argument.CopyTo(target);
        ulong address = argument.IsEmpty ? 0 : (ulong)buffer;
        try
        {
            return count is { } n ? privcmd.Hypercall(op, [cmd, address, n]) : privcmd.Hypercall(op, [cmd, address]);
        }
        catch (XenDeviceException e)
        {
            return -e.Errno;
        }
        finally
        {
            target[..argument.Length].CopyTo(argument);
        }
    }

    public long Hypercall(uint op, Span<byte> argument)
    {
        if (argument.Length > BufferSize) throw new ArgumentOutOfRangeException(nameof(argument), argument.Length, $"more than one {BufferSize}-byte hypercall buffer");
        var target = new Span<byte>(buffer, BufferSize);
        target.Clear();
        argument.CopyTo(target);
        try
        {
            return privcmd.Hypercall(op, [(ulong)buffer]);
        }
        catch (XenDeviceException e)
        {
            return -e.Errno;
        }
        finally
        {
            target[..argument.Length].CopyTo(argument);
        }
    }

    public byte[] ReadForeignFrame(ushort domain, ulong frame)
    {
        byte* page = mappingDevice.Map(BufferSize, writable: false, 0);
        try
        {
            int error = 0;
            var batch = new PrivcmdMmapbatchV2 { Num = 1, Dom = domain, Addr = (ulong)page, Arr = (ulong)&frame, Err = (ulong)&error };
            try
            {
                mappingDevice.Ioctl(Privcmd.IoctlPrivcmdMmapbatchV2, &batch, "IOCTL_PRIVCMD_MMAPBATCH_V2");
            }
            catch (XenDeviceException e)
            {
                throw new InvalidOperationException($"dom{domain} frame 0x{frame:x}: {e.Message}", e);
            }
            if (error != 0) throw new InvalidOperationException($"dom{domain} frame 0x{frame:x}: Xen refused the mapping ({Answers.ErrnoName(-error)})");
            return new ReadOnlySpan<byte>(page, BufferSize).ToArray();
        }
        finally
        {
            mappingDevice.Unmap(page, BufferSize);
        }
    }

    public void Dispose()
    {
        mappingDevice.Dispose();
        bufferDevice.Unmap(buffer, BufferSize);
        bufferDevice.Dispose();
        privcmd.Dispose();
    }
}
