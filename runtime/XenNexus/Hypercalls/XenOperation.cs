namespace Xen.Nexus.Hypercalls;

/// <summary>
/// One hypercall sub-operation: the <c>__HYPERVISOR_*</c> number, the command (<c>EVTCHNOP_*</c>,
/// <c>XENMEM_*</c>, ...) and Xen's name for it, which every error reports.
/// </summary>
/// <param name="Hypercall">The <c>__HYPERVISOR_*</c> number.</param>
/// <param name="Command">The sub-operation number.</param>
/// <param name="Name">Xen's name for the sub-operation, such as <c>EVTCHNOP_bind_virq</c>.</param>
/// <param name="Form">How the hypercall takes its arguments.</param>
public readonly record struct XenOperation(uint Hypercall, int Command, string Name, HypercallForm Form = HypercallForm.CommandArgument)
{
    /// <summary>Xen's name of the sub-operation.</summary>
    public override string ToString() => Name;
}
