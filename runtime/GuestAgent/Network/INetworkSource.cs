namespace Xen.GuestAgent.Network;

/// <summary>Where the agent's interface addresses come from: netlink in a guest (<see cref="NetlinkMonitor"/>), a fixed list in a test.</summary>
public interface INetworkSource : IDisposable
{
    /// <summary>Raised, on any thread, after what <see cref="Snapshot"/> returns changed.</summary>
    event Action? Changed;

    /// <summary>Completes once the first complete picture is there.</summary>
    Task Ready { get; }

    /// <summary>Every interface with its addresses by slot, by interface index.</summary>
    /// <returns>A copy.</returns>
    IReadOnlyList<InterfaceAddresses> Snapshot();
}
