using System.Runtime.InteropServices;

namespace Xen.GuestAgent.Network;

/// <summary>
/// An <c>AF_NETLINK</c>/<c>NETLINK_ROUTE</c> socket joined to the link and address multicast groups, read by a
/// <c>poll</c> with no timeout (no timer, no wake-up while nothing happens) beside an <c>eventfd</c> that
/// <see cref="Wake"/> signals to stop it. Messages not sent by the kernel (port id 0) are dropped: any local process
/// may send to our port.
/// </summary>
internal sealed partial class NetlinkSocket : IDisposable
{
    private const int ReceiveBufferBytes = 1 << 20;

    private readonly int _fd;
    private readonly int _wake;
    private uint _sequence;
    private int _disposed;

    private NetlinkSocket(int fd, int wake)
    {
        _fd = fd;
        _wake = wake;
    }

    /// <summary>Opens the socket and joins <c>RTMGRP_LINK</c>, <c>RTMGRP_IPV4_IFADDR</c> and <c>RTMGRP_IPV6_IFADDR</c>.</summary>
    /// <exception cref="IOException">The kernel refused (named with the call and errno).</exception>
    public static NetlinkSocket Open()
    {
        int fd = Socket(NetlinkAbi.AfNetlink, NetlinkAbi.SockRaw | NetlinkAbi.SockCloexec, NetlinkAbi.NetlinkRoute);
        if (fd < 0) throw Failure("socket(AF_NETLINK, NETLINK_ROUTE)");
        int wake = EventFd(0, NetlinkAbi.EfdCloexec);
        if (wake < 0)
        {
            var failure = Failure("eventfd");
            _ = Close(fd);
            throw failure;
        }
        var socket = new NetlinkSocket(fd, wake);
        try
        {
            int size = ReceiveBufferBytes;
            // A bigger queue makes an overrun (ENOBUFS) rarer; one is still handled by a fresh dump.
            _ = SetSockOpt(fd, NetlinkAbi.SolSocket, NetlinkAbi.SoRcvbuf, ref size, sizeof(int));
            var address = new SockaddrNl
            {
                Family = NetlinkAbi.AfNetlink,
                Groups = NetlinkAbi.RtmgrpLink | NetlinkAbi.RtmgrpIpv4Ifaddr | NetlinkAbi.RtmgrpIpv6Ifaddr,
            };
            if (Bind(fd, ref address, Marshal.SizeOf<SockaddrNl>()) != 0) throw Failure("bind(AF_NETLINK, RTMGRP_LINK|RTMGRP_IPV4_IFADDR|RTMGRP_IPV6_IFADDR)");
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Asks the kernel for every link (<c>RTM_GETLINK</c>) or address (<c>RTM_GETADDR</c>), answered by messages ending in <c>NLMSG_DONE</c>.</summary>
    public void RequestDump(ushort type)
    {
        // nlmsghdr followed by an ifinfomsg/ifaddrmsg of family AF_UNSPEC (all zero): every family.
        int bodySize = type == NetlinkAbi.RtmGetlink ? Marshal.SizeOf<IfInfoMsg>() : Marshal.SizeOf<IfAddrMsg>();
        Span<byte> request = stackalloc byte[Marshal.SizeOf<NlMsgHdr>() + bodySize];
        request.Clear();
        var header = new NlMsgHdr
        {
            Len = (uint)request.Length,
            Type = type,
            Flags = NetlinkAbi.NlmFRequest | NetlinkAbi.NlmFDump,
            Seq = ++_sequence,
        };
        MemoryMarshal.Write(request, in header);
        var kernel = new SockaddrNl { Family = NetlinkAbi.AfNetlink };
        if (SendTo(_fd, ref MemoryMarshal.GetReference(request), request.Length, 0, ref kernel, Marshal.SizeOf<SockaddrNl>()) != request.Length)
        {
            throw Failure(type == NetlinkAbi.RtmGetlink ? "sendto(RTM_GETLINK dump)" : "sendto(RTM_GETADDR dump)");
        }
    }

    /// <summary>Waits for the next datagram from the kernel.</summary>
    /// <returns>Its length; -1 after an overrun (<c>ENOBUFS</c>: messages were lost, dump again); 0 after <see cref="Wake"/>.</returns>
    public int Receive(Span<byte> buffer)
    {
        Span<PollFd> fds = stackalloc PollFd[2];
        while (true)
        {
            fds[0] = new PollFd { Fd = _fd, Events = NetlinkAbi.Pollin };
            fds[1] = new PollFd { Fd = _wake, Events = NetlinkAbi.Pollin };
            if (Poll(ref MemoryMarshal.GetReference(fds), 2, -1) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == NetlinkAbi.Eintr) continue;
                throw Failure("poll(AF_NETLINK)", errno);
            }
            if (fds[1].Revents != 0) return 0;
            if (fds[0].Revents == 0) continue;
            var from = default(SockaddrNl);
            int fromLength = Marshal.SizeOf<SockaddrNl>();
            nint n = RecvFrom(_fd, ref MemoryMarshal.GetReference(buffer), buffer.Length, 0, ref from, ref fromLength);
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == NetlinkAbi.Eintr) continue;
                if (errno == NetlinkAbi.Enobufs) return -1;
                throw Failure("recvfrom(AF_NETLINK)", errno);
            }
            if (from.Pid != 0) continue;
            return (int)n;
        }
    }

    /// <summary>Makes a blocked (or the next) <see cref="Receive"/> return 0.</summary>
    public void Wake()
    {
        long one = 1;
        _ = Write(_wake, ref one, sizeof(long));
    }

    /// <summary>Closes the descriptors; call once no thread is in <see cref="Receive"/> (after <see cref="Wake"/> and a join).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _ = Close(_fd);
        _ = Close(_wake);
    }

    private static IOException Failure(string call, int? errno = null)
    {
        int code = errno ?? Marshal.GetLastPInvokeError();
        return new IOException($"{call}: {Marshal.GetPInvokeErrorMessage(code)} (errno {code})");
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int Bind(int fd, ref SockaddrNl address, int length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSockOpt(int fd, int level, int name, ref int value, int length);

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    private static partial nint SendTo(int fd, ref byte buffer, nint length, int flags, ref SockaddrNl to, int toLength);

    [LibraryImport("libc", EntryPoint = "recvfrom", SetLastError = true)]
    private static partial nint RecvFrom(int fd, ref byte buffer, nint length, int flags, ref SockaddrNl from, ref int fromLength);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, nuint count, int timeout);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, ref long value, nint length);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
