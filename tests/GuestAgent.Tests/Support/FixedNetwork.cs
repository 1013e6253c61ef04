using System.Net;
using Xen.GuestAgent.Network;

namespace Xen.GuestAgent.Tests.Support;

/// <summary>A network source whose interfaces the test sets (the in-process tests do not need netlink).</summary>
internal sealed class FixedNetwork : INetworkSource
{
    private IReadOnlyList<InterfaceAddresses> _interfaces = [];

    public event Action? Changed;

    public Task Ready => Task.CompletedTask;

    public IReadOnlyList<InterfaceAddresses> Snapshot() => _interfaces;

    /// <summary>eth0 (vif 0) with these IPv4 addresses in slots from 0.</summary>
    public void SetEth0(params string[] ipv4)
    {
        var slots = new IPAddress?[InterfaceTable.SlotsPerFamily];
        for (int i = 0; i < ipv4.Length; i++) slots[i] = IPAddress.Parse(ipv4[i]);
        _interfaces = [new InterfaceAddresses(2, "eth0", slots, new IPAddress?[InterfaceTable.SlotsPerFamily])];
        Changed?.Invoke();
    }

    public void Dispose()
    {
    }
}
