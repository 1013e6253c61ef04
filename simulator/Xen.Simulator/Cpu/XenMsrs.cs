namespace Xen.Simulator.Cpu;

/// <summary>
/// Xen's MSRs. The public headers do not number them: arch-x86/cpuid.h says leaf 0x40000002 EBX gives their base,
/// and Xen (xen/arch/x86/cpuid.c) reports 0x40000000 for a domain without Viridian; a guest learns it from CPUID.
/// </summary>
internal static class XenMsrs
{
    /// <summary>The base Xen reports in leaf 0x40000002 EBX; WRMSR(base, gpa | page index) installs a hypercall page.</summary>
    internal const uint Base = 0x4000_0000;

    /// <summary>How many hypercall pages Xen offers (leaf 0x40000002 EAX).</summary>
    internal const uint HypercallPages = 1;
}
