namespace Xen.Nexus.Events;

/// <summary>
/// Runs when event channel <paramref name="port"/> fires, in the upcall of <paramref name="vcpu"/>, with the port
/// masked until it returns.
/// </summary>
public delegate void EventChannelHandler(uint port, int vcpu);
