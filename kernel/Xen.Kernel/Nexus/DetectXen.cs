using Xen.Kernel.Machine;

namespace Xen.Kernel.Nexus;

/// <summary>
/// The nexus's first step on the machine, as runtime/XenNexus's DetectXenStep: CPUID from XEN_CPUID_FIRST_LEAF in
/// steps of 0x100 for "XenVMMXenVMM", then the version from base+1; the same log lines.
/// </summary>
public static class DetectXen
{
    /// <summary>The base leaf where Xen's signature was found, or 0 (logged either way).</summary>
    public static uint Attach()
    {
        const uint first = CpuidLeaves.FirstLeaf;
        for (var leaf = first; leaf < first + CpuidLeaves.LeafRange; leaf += CpuidLeaves.LeafStep)
        {
            var r = Cpu.Cpuid(leaf);
            if (r.Ebx != CpuidLeaves.SignatureEbx || r.Ecx != CpuidLeaves.SignatureEcx || r.Edx != CpuidLeaves.SignatureEdx)
                continue;
            var version = Cpu.Cpuid(leaf + 1).Eax;
            Log.Write("xen0 at pvbus0: Xen ");
            Log.WriteDecimal(version >> 16);
            Log.Write('.');
            Log.WriteDecimal(version & 0xffff);
            Log.Write(" (cpuid ");
            Log.WriteHex(leaf, 8);
            Log.WriteLine(")");
            return leaf;
        }
        Log.Write("xen0: not found: no XenVMMXenVMM signature in CPUID ");
        Log.WriteHex(first, 8);
        Log.Write("..");
        Log.WriteHex(first + CpuidLeaves.LeafRange - CpuidLeaves.LeafStep, 8);
        Log.Write('\n');
        return 0;
    }
}
