namespace Xen.Nexus.Hypercalls;

/// <summary>How a hypercall takes its command and its argument struct's guest-physical address.</summary>
public enum HypercallForm
{
    /// <summary><c>op(cmd, arg)</c>: event_channel_op, memory_op, xen_version, hvm_op.</summary>
    CommandArgument,

    /// <summary><c>op(cmd, vcpuid, arg)</c>: vcpu_op.</summary>
    CommandVcpuArgument,

    /// <summary><c>op(cmd, uop, count)</c>: grant_table_op, an array of <c>count</c> structs.</summary>
    CommandArgumentCount,
}
