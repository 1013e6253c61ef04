using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Xen.GuestAgent.Network;

namespace Xen.Linux.Agent;

/// <summary>
/// Adds an IPv4 address to an interface with one rtnetlink request, <c>RTM_NEWADDR</c> with <c>NLM_F_CREATE</c>,
/// <c>NLM_F_EXCL</c> and <c>NLM_F_ACK</c> (what <c>ip addr add</c> sends), on a socket opened beforehand: the add is
/// then one system call and its acknowledgement, not a process start. The layouts are the agent's, proven by clang.
/// </summary>
internal sealed partial class RtnetlinkAddressRequest : IDisposable
{
    private const int AckTimeoutMilliseconds = 5000;

    private readonly int _fd;
    private uint _sequence;

    private RtnetlinkAddressRequest(int fd) => _fd = fd;

    /// <summary>Opens an <c>AF_NETLINK</c>/<c>NETLINK_ROUTE</c> socket joined to no group.</summary>
    /// <exception cref="IOException">The kernel refused, with the errno.</exception>
    public static RtnetlinkAddressRequest Open()
    {
        int fd = Socket(NetlinkAbi.AfNetlink, NetlinkAbi.SockRaw | NetlinkAbi.SockCloexec, NetlinkAbi.NetlinkRoute);
        return fd >= 0 ? new RtnetlinkAddressRequest(fd) : throw Failure("socket(AF_NETLINK, NETLINK_ROUTE)", Marshal.GetLastPInvokeError());
    }

    /// <summary>The kernel's index of interface <paramref name="name"/> (sysfs <c>/sys/class/net/NAME/ifindex</c>).</summary>
    /// <exception cref="IOException">No such interface.</exception>
    public static int IndexOf(string name)
    {
        string path = $"/sys/class/net/{name}/ifindex";
        if (name.Contains('/') || !File.Exists(path)) throw new IOException($"no interface {name} ({path})");
        return int.Parse(File.ReadAllText(path).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Adds <paramref name="address"/>/<paramref name="prefixLength"/> to interface <paramref name="index"/> and waits for the kernel's acknowledgement.</summary>
    /// <exception cref="IOException">The kernel refused (its errno) or did not answer within 5 s.</exception>
    public void AddIpv4(int index, IPAddress address, int prefixLength)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork || prefixLength is < 0 or > 32)
            throw new ArgumentException($"{address}/{prefixLength}: not an IPv4 address and prefix length", nameof(address));
        int header = Marshal.SizeOf<NlMsgHdr>(), body = Marshal.SizeOf<IfAddrMsg>(), attribute = Marshal.SizeOf<RtAttr>() + 4;
        Span<byte> request = stackalloc byte[header + body + 2 * attribute];
        request.Clear();
        uint sequence = ++_sequence;
        var message = new NlMsgHdr
        {
            Len = (uint)request.Length,
            Type = NetlinkAbi.RtmNewaddr,
            Flags = NetlinkAbi.NlmFRequest | NetlinkAbi.NlmFAck | NetlinkAbi.NlmFCreate | NetlinkAbi.NlmFExcl,
            Seq = sequence,
        };
        MemoryMarshal.Write(request, in message);
        var ifa = new IfAddrMsg { Family = NetlinkAbi.AfInet, PrefixLen = (byte)prefixLength, Index = (uint)index };
        MemoryMarshal.Write(request[header..], in ifa);
        // IFA_LOCAL is the interface's own address; for a non point-to-point link IFA_ADDRESS is the same.
        WriteAttribute(request[(header + body)..], NetlinkAbi.IfaLocal, address);
        WriteAttribute(request[(header + body + attribute)..], NetlinkAbi.IfaAddress, address);
        var kernel = new SockaddrNl { Family = NetlinkAbi.AfNetlink };
        var to = MemoryMarshal.AsBytes(new Span<SockaddrNl>(ref kernel));
        if (SendTo(_fd, ref MemoryMarshal.GetReference(request), request.Length, 0, ref MemoryMarshal.GetReference(to), to.Length) != request.Length)
            throw Failure("sendto(RTM_NEWADDR)", Marshal.GetLastPInvokeError());
        WaitForAck(sequence, $"RTM_NEWADDR {address}/{prefixLength} on interface {index}");
    }

    private static void WriteAttribute(Span<byte> into, ushort type, IPAddress address)
    {
        var rta = new RtAttr { Len = (ushort)(Marshal.SizeOf<RtAttr>() + 4), Type = type };
        MemoryMarshal.Write(into, in rta);
        address.TryWriteBytes(into[Marshal.SizeOf<RtAttr>()..], out _);
    }

    private void WaitForAck(uint sequence, string what)
    {
        Span<byte> reply = stackalloc byte[4096];
        int header = Marshal.SizeOf<NlMsgHdr>();
        while (true)
        {
            var fds = new PollFd { Fd = _fd, Events = NetlinkAbi.Pollin };
            int ready = Poll(ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(new Span<PollFd>(ref fds))), 1, AckTimeoutMilliseconds);
            if (ready < 0 && Marshal.GetLastPInvokeError() == NetlinkAbi.Eintr) continue;
            if (ready <= 0) throw new IOException($"{what}: no answer from the kernel within {AckTimeoutMilliseconds} ms");
            nint n = Recv(_fd, ref MemoryMarshal.GetReference(reply), reply.Length, 0);
            if (n < 0) throw Failure($"recv({what})", Marshal.GetLastPInvokeError());
            if (n < header + Marshal.SizeOf<NlMsgErr>()) throw new IOException($"{what}: a {n}-byte answer, too short for an acknowledgement");
            var answer = MemoryMarshal.Read<NlMsgHdr>(reply);
            if (answer.Seq != sequence || answer.Type != NetlinkAbi.NlmsgError) continue;
            int error = MemoryMarshal.Read<NlMsgErr>(reply[header..]).Error;
            if (error != 0) throw Failure(what, -error);
            return;
        }
    }

    private static IOException Failure(string call, int errno) => new($"{call}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");

    /// <summary>Closes the socket.</summary>
    public void Dispose() => _ = Close(_fd);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    private static partial nint SendTo(int fd, ref byte buffer, nint length, int flags, ref byte to, int toLength);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Recv(int fd, ref byte buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref byte fds, nuint count, int timeout);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
