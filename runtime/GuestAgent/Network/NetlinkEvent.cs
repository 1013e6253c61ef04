using System.Net;

namespace Xen.GuestAgent.Network;

/// <summary>What one rtnetlink message said.</summary>
internal enum NetlinkEventKind
{
    /// <summary><c>RTM_NEWLINK</c>: an interface exists (or changed); <see cref="NetlinkEvent.Name"/> when the message carried it.</summary>
    LinkChanged,

    /// <summary><c>RTM_DELLINK</c>: the interface is gone, and its addresses with it.</summary>
    LinkRemoved,

    /// <summary><c>RTM_NEWADDR</c>.</summary>
    AddressAdded,

    /// <summary><c>RTM_DELADDR</c>.</summary>
    AddressRemoved,

    /// <summary><c>NLMSG_DONE</c>: a dump ended.</summary>
    DumpDone,

    /// <summary><c>NLMSG_ERROR</c> with a nonzero errno (<see cref="NetlinkEvent.Error"/>).</summary>
    Error,
}

/// <summary>One decoded rtnetlink message.</summary>
/// <param name="Kind">What it said.</param>
/// <param name="Index">The interface index (links and addresses).</param>
/// <param name="Name">The interface name (<c>IFLA_IFNAME</c>), when carried.</param>
/// <param name="Address">The address (<c>IFA_LOCAL</c>, else <c>IFA_ADDRESS</c>).</param>
/// <param name="Error">The positive errno of an <see cref="NetlinkEventKind.Error"/>.</param>
internal readonly record struct NetlinkEvent(NetlinkEventKind Kind, int Index, string? Name = null, IPAddress? Address = null, int Error = 0);
