using System.Runtime.InteropServices;
using System.Text;
using Xen.Drivers.Ethernet.Frames;

namespace Xen.Drivers.Ethernet.Tap;

/// <summary>
/// A Linux TAP interface opened on <c>/dev/net/tun</c> with <c>IFF_TAP | IFF_NO_PI | IFF_VNET_HDR</c>: every frame
/// read or written is prefixed by a <see cref="VirtioNetHeader"/> carrying its checksum and segmentation state.
/// The interface lives while this object does (it is not persistent); it may be moved to another network namespace.
/// </summary>
public sealed unsafe class TapDevice : IDisposable
{
    private const string CloneDevice = "/dev/net/tun";
    private int fd;

    private TapDevice(int fd, string name)
    {
        this.fd = fd;
        Name = name;
    }

    /// <summary>The interface's name.</summary>
    public string Name { get; }

    /// <summary>Creates TAP interface <paramref name="name"/> (<c>TUNSETIFF</c>).</summary>
    /// <exception cref="IOException">The clone device cannot be opened or the kernel refused the interface.</exception>
    public static TapDevice Create(string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name);
        if (bytes.Length is 0 or >= LinuxTun.IfNameSize || name.Any(c => c is '/' or ' ' or ':' || char.IsControl(c)))
            throw new ArgumentException($"TAP name \"{name}\": 1 to {LinuxTun.IfNameSize - 1} characters, no '/', ':' or spaces", nameof(name));
        var fd = TapNative.Open(CloneDevice, TapNative.ORdWr | TapNative.OCloExec);
        if (fd < 0) throw Error($"open {CloneDevice}");
        var request = stackalloc byte[LinuxTun.IfreqSize];
        new Span<byte>(request, LinuxTun.IfreqSize).Clear();
        bytes.CopyTo(new Span<byte>(request, LinuxTun.IfNameSize));
        *(short*)(request + LinuxTun.IfreqFlagsOffset) = LinuxTun.IffTap | LinuxTun.IffNoPi | LinuxTun.IffVnetHdr;
        var headerSize = VirtioNetHeader.Size;
        if (TapNative.Ioctl(fd, LinuxTun.TunSetIff, request) < 0 || TapNative.Ioctl(fd, LinuxTun.TunSetVnetHdrSz, &headerSize) < 0)
        {
            var error = Error($"TUNSETIFF {name}");
            TapNative.Close(fd);
            throw error;
        }
        return new TapDevice(fd, name);
    }

    /// <summary>
    /// Tells the kernel which frames this end takes (<c>TUNSETOFFLOAD</c>): with none, the kernel checksums and
    /// segments every frame before we read it.
    /// </summary>
    public void SetOffload(OffloadFeatures accepted)
    {
        uint flags = 0;
        if ((accepted & (OffloadFeatures.ChecksumIPv4 | OffloadFeatures.ChecksumIPv6)) != 0)
        {
            flags |= LinuxTun.TunFCsum;
            if ((accepted & OffloadFeatures.TcpV4Segmentation) != 0) flags |= LinuxTun.TunFTso4;
            if ((accepted & OffloadFeatures.TcpV6Segmentation) != 0) flags |= LinuxTun.TunFTso6;
        }
        if (TapNative.Ioctl(Fd, LinuxTun.TunSetOffload, flags) < 0) throw Error($"TUNSETOFFLOAD {Name}");
    }

    /// <summary>
    /// Reads one frame into <paramref name="frame"/>, waiting at most <paramref name="timeoutMs"/>.
    /// </summary>
    /// <returns>The frame's length, or 0 when none arrived in time.</returns>
    /// <exception cref="ObjectDisposedException">The device was closed.</exception>
    public int Read(Span<byte> frame, out VirtioNetHeader header, int timeoutMs)
    {
        header = default;
        var poll = new TapNative.PollFd { Fd = Fd, Events = TapNative.PollIn };
        var ready = TapNative.Poll(&poll, 1, timeoutMs);
        if (ready < 0 && Marshal.GetLastPInvokeError() == TapNative.EIntr) return 0;
        if (ready < 0) throw Error($"poll {Name}");
        if (ready == 0) return 0;
        fixed (byte* data = frame) return ReadOne(data, frame.Length, out header);
    }

    private int ReadOne(byte* data, int capacity, out VirtioNetHeader header)
    {
        header = default;
        var vectors = stackalloc TapNative.IoVec[2];
        VirtioNetHeader h;
        vectors[0] = new TapNative.IoVec { Base = &h, Length = VirtioNetHeader.Size };
        vectors[1] = new TapNative.IoVec { Base = data, Length = (nuint)capacity };
        var n = TapNative.ReadV(Fd, vectors, 2);
        if (n < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is TapNative.EAgain or TapNative.EIntr) return 0;
            throw Error($"read {Name}");
        }
        if (n < VirtioNetHeader.Size) return 0;
        header = h;
        return (int)n - VirtioNetHeader.Size;
    }

    /// <summary>Writes one frame with its header.</summary>
    /// <returns>False when the kernel refused the frame (a malformed header, the interface down).</returns>
    public bool Write(in VirtioNetHeader header, ReadOnlySpan<byte> frame)
    {
        var h = header;
        fixed (byte* data = frame)
        {
            var vectors = stackalloc TapNative.IoVec[2];
            vectors[0] = new TapNative.IoVec { Base = &h, Length = VirtioNetHeader.Size };
            vectors[1] = new TapNative.IoVec { Base = data, Length = (nuint)frame.Length };
            return TapNative.WriteV(Fd, vectors, 2) == VirtioNetHeader.Size + frame.Length;
        }
    }

    private int Fd => fd >= 0 ? fd : throw new ObjectDisposedException(nameof(TapDevice), $"TAP {Name} is closed");

    /// <summary>Closes the device; the interface goes away.</summary>
    public void Dispose()
    {
        var old = Interlocked.Exchange(ref fd, -1);
        if (old >= 0) TapNative.Close(old);
    }

    private static IOException Error(string operation)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{operation}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }
}
