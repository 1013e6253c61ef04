using System.Net;
using Xen.GuestAgent.Collectors;

namespace Xen.GuestAgent.Publishing;

/// <summary>Everything the agent publishes, collected: the layouts turn it into keys.</summary>
/// <param name="Os">The operating system.</param>
/// <param name="Memory">The memory, when <c>/proc/meminfo</c> could be read.</param>
/// <param name="Vifs">The Xen vifs and their addresses, by devid.</param>
/// <param name="ShutdownFeatures">Whether the agent acts on <c>control/shutdown</c> (then it advertises <c>control/feature-poweroff</c> and <c>-reboot</c>).</param>
public sealed record GuestState(OsInfo Os, MemoryInfo? Memory, IReadOnlyList<VifAddresses> Vifs, bool ShutdownFeatures);

/// <summary>One vif's addresses in their slots (null: a free slot).</summary>
/// <param name="Devid">The vif's devid (<c>device/vif/N</c>).</param>
/// <param name="Interface">The guest's interface name.</param>
/// <param name="Ipv4">IPv4 slots.</param>
/// <param name="Ipv6">IPv6 slots.</param>
public sealed record VifAddresses(int Devid, string Interface, IReadOnlyList<IPAddress?> Ipv4, IReadOnlyList<IPAddress?> Ipv6);
