namespace Xen.Simulator.Grants;

/// <summary>One maptrack entry of a mapping domain: which granter's reference is mapped where, and how.</summary>
internal sealed record GrantMapping(SimulatedDomain Granter, uint Ref, ulong HostAddress, bool ReadOnly);
