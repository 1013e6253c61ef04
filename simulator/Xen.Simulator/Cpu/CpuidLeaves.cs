using XenCpuid = Xen.Abi.ArchX86.Cpuid;

namespace Xen.Simulator.Cpu;

/// <summary>
/// Xen's CPUID leaves from XEN_CPUID_FIRST_LEAF (arch-x86/cpuid.h): signature and maximum leaf, version,
/// hypercall pages and MSR base, time (zero), HVM features (vCPU id, domid, per-vCPU upcall vector), PV (zero).
/// Leaves outside Xen's range read as zero: the simulated processor has no other features.
/// </summary>
internal static class CpuidLeaves
{
    private const uint First = XenCpuid.XenCpuidFirstLeaf;

    /// <summary>CPUID <paramref name="leaf"/> for vCPU <paramref name="vcpu"/> of domain <paramref name="domain"/>.</summary>
    internal static CpuidResult Read(SimulatedDomain domain, int vcpu, uint leaf)
    {
        var version = domain.Xen.Options;
        return (leaf - First) switch
        {
            0 => new CpuidResult(First + XenCpuid.XenCpuidMaxNumLeaves, XenCpuid.XenCpuidSignatureEbx,
                XenCpuid.XenCpuidSignatureEcx, XenCpuid.XenCpuidSignatureEdx),
            1 => new CpuidResult(((uint)version.Major << 16) | (uint)version.Minor, 0, 0, 0),
            2 => new CpuidResult(XenMsrs.HypercallPages, XenMsrs.Base, 0, 0),
            4 => new CpuidResult(
                XenCpuid.XenHvmCpuidVcpuIdPresent | XenCpuid.XenHvmCpuidDomidPresent | XenCpuid.XenHvmCpuidUpcallVector,
                (uint)vcpu, domain.DomainId, 0),
            _ => default,
        };
    }
}
