using System.Runtime.InteropServices;

namespace Xen.GuestAgent.Network;

/// <summary>
/// The rtnetlink numbers the agent uses, from <c>linux/netlink.h</c>, <c>linux/rtnetlink.h</c>, <c>linux/if_addr.h</c>,
/// <c>linux/if_link.h</c>, <c>sys/socket.h</c>, <c>poll.h</c> and <c>sys/eventfd.h</c>. Not Xen numbers, so not in Xen.Abi; each is proven against the
/// headers by clang in the tests (<see cref="UapiNameAttribute"/>).
/// </summary>
internal static class NetlinkAbi
{
    [UapiName("AF_NETLINK")] public const int AfNetlink = 16;
    [UapiName("AF_INET")] public const int AfInet = 2;
    [UapiName("AF_INET6")] public const int AfInet6 = 10;
    [UapiName("AF_UNSPEC")] public const int AfUnspec = 0;
    [UapiName("SOCK_RAW")] public const int SockRaw = 3;
    [UapiName("SOCK_CLOEXEC")] public const int SockCloexec = 0x80000;
    [UapiName("NETLINK_ROUTE")] public const int NetlinkRoute = 0;
    [UapiName("SOL_SOCKET")] public const int SolSocket = 1;
    [UapiName("SO_RCVBUF")] public const int SoRcvbuf = 8;
    [UapiName("EFD_CLOEXEC")] public const int EfdCloexec = 0x80000;
    [UapiName("POLLIN")] public const short Pollin = 0x1;
    [UapiName("ENOBUFS")] public const int Enobufs = 105;
    [UapiName("EINTR")] public const int Eintr = 4;

    [UapiName("RTMGRP_LINK")] public const uint RtmgrpLink = 0x1;
    [UapiName("RTMGRP_IPV4_IFADDR")] public const uint RtmgrpIpv4Ifaddr = 0x10;
    [UapiName("RTMGRP_IPV6_IFADDR")] public const uint RtmgrpIpv6Ifaddr = 0x100;

    [UapiName("NLMSG_ALIGNTO")] public const int NlmsgAlignTo = 4;
    [UapiName("RTA_ALIGNTO")] public const int RtaAlignTo = 4;
    [UapiName("NLMSG_NOOP")] public const ushort NlmsgNoop = 0x1;
    [UapiName("NLMSG_ERROR")] public const ushort NlmsgError = 0x2;
    [UapiName("NLMSG_DONE")] public const ushort NlmsgDone = 0x3;
    [UapiName("NLMSG_OVERRUN")] public const ushort NlmsgOverrun = 0x4;
    [UapiName("NLM_F_REQUEST")] public const ushort NlmFRequest = 0x1;
    [UapiName("NLM_F_MULTI")] public const ushort NlmFMulti = 0x2;
    [UapiName("NLM_F_DUMP")] public const ushort NlmFDump = 0x300;
    [UapiName("NLM_F_ACK")] public const ushort NlmFAck = 0x4;
    [UapiName("NLM_F_EXCL")] public const ushort NlmFExcl = 0x200;
    [UapiName("NLM_F_CREATE")] public const ushort NlmFCreate = 0x400;

    [UapiName("RTM_NEWLINK")] public const ushort RtmNewlink = 16;
    [UapiName("RTM_DELLINK")] public const ushort RtmDellink = 17;
    [UapiName("RTM_GETLINK")] public const ushort RtmGetlink = 18;
    [UapiName("RTM_NEWADDR")] public const ushort RtmNewaddr = 20;
    [UapiName("RTM_DELADDR")] public const ushort RtmDeladdr = 21;
    [UapiName("RTM_GETADDR")] public const ushort RtmGetaddr = 22;

    [UapiName("IFA_ADDRESS")] public const ushort IfaAddress = 1;
    [UapiName("IFA_LOCAL")] public const ushort IfaLocal = 2;
    [UapiName("IFLA_IFNAME")] public const ushort IflaIfname = 3;
    [UapiName("IFNAMSIZ")] public const int Ifnamsiz = 16;
}

/// <summary><c>struct sockaddr_nl</c>.</summary>
[UapiName("struct sockaddr_nl")]
[StructLayout(LayoutKind.Sequential)]
internal struct SockaddrNl
{
    [UapiName("nl_family")] public ushort Family;
    [UapiName("nl_pad")] public ushort Pad;
    [UapiName("nl_pid")] public uint Pid;
    [UapiName("nl_groups")] public uint Groups;
}

/// <summary><c>struct nlmsghdr</c>: every netlink message starts with one.</summary>
[UapiName("struct nlmsghdr")]
[StructLayout(LayoutKind.Sequential)]
internal struct NlMsgHdr
{
    [UapiName("nlmsg_len")] public uint Len;
    [UapiName("nlmsg_type")] public ushort Type;
    [UapiName("nlmsg_flags")] public ushort Flags;
    [UapiName("nlmsg_seq")] public uint Seq;
    [UapiName("nlmsg_pid")] public uint Pid;
}

/// <summary><c>struct nlmsgerr</c>'s first field, the negative errno (the echoed header follows).</summary>
[UapiName("struct nlmsgerr", IsPrefix = true)]
[StructLayout(LayoutKind.Sequential)]
internal struct NlMsgErr
{
    [UapiName("error")] public int Error;
}

/// <summary><c>struct ifaddrmsg</c>: the body of <c>RTM_NEWADDR</c>/<c>RTM_DELADDR</c>.</summary>
[UapiName("struct ifaddrmsg")]
[StructLayout(LayoutKind.Sequential)]
internal struct IfAddrMsg
{
    [UapiName("ifa_family")] public byte Family;
    [UapiName("ifa_prefixlen")] public byte PrefixLen;
    [UapiName("ifa_flags")] public byte Flags;
    [UapiName("ifa_scope")] public byte Scope;
    [UapiName("ifa_index")] public uint Index;
}

/// <summary><c>struct ifinfomsg</c>: the body of <c>RTM_NEWLINK</c>/<c>RTM_DELLINK</c>.</summary>
[UapiName("struct ifinfomsg")]
[StructLayout(LayoutKind.Sequential)]
internal struct IfInfoMsg
{
    [UapiName("ifi_family")] public byte Family;
    [UapiName("__ifi_pad")] public byte Pad;
    [UapiName("ifi_type")] public ushort Type;
    [UapiName("ifi_index")] public int Index;
    [UapiName("ifi_flags")] public uint Flags;
    [UapiName("ifi_change")] public uint Change;
}

/// <summary><c>struct rtattr</c>: the header of each attribute after the body.</summary>
[UapiName("struct rtattr")]
[StructLayout(LayoutKind.Sequential)]
internal struct RtAttr
{
    [UapiName("rta_len")] public ushort Len;
    [UapiName("rta_type")] public ushort Type;
}

/// <summary><c>struct pollfd</c>.</summary>
[UapiName("struct pollfd")]
[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    [UapiName("fd")] public int Fd;
    [UapiName("events")] public short Events;
    [UapiName("revents")] public short Revents;
}
