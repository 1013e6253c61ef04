namespace Xen.Nexus.Init;

/// <summary>
/// Finds Xen's CPUID leaves: from <c>XEN_CPUID_FIRST_LEAF</c> in steps of 0x100 for the <c>XenVMMXenVMM</c>
/// signature (Xen moves its leaves up when it also offers Hyper-V's), then reads the version from base+1.
/// </summary>
public sealed class DetectXenStep : INexusInitStep
{
    /// <summary>How far the scan looks: 0x40000000 to 0x4000ff00.</summary>
    public const uint LeafRange = 0x10000;

    /// <summary>The distance between candidate bases.</summary>
    public const uint LeafStep = 0x100;

    /// <inheritdoc/>
    public string Name => "detect";

    /// <inheritdoc/>
    public void Attach(XenNexus nexus)
    {
        var hv = nexus.Hypervisor;
        const uint first = CpuidLeavesH.XenCpuidFirstLeaf;
        for (var leaf = first; leaf < first + LeafRange; leaf += LeafStep)
        {
            var r = hv.Cpuid(leaf);
            if (r.Ebx != CpuidLeavesH.XenCpuidSignatureEbx || r.Ecx != CpuidLeavesH.XenCpuidSignatureEcx || r.Edx != CpuidLeavesH.XenCpuidSignatureEdx)
                continue;
            if (r.Eax < leaf + 2)
                throw new XenNotFoundException($"CPUID 0x{leaf:x8}: Xen's leaves end at 0x{r.Eax:x8}, before the hypercall page leaf");
            var version = hv.Cpuid(leaf + 1).Eax;
            nexus.CpuidBase = leaf;
            nexus.XenVersion = new Version((int)(version >> 16), (int)(version & 0xffff));
            nexus.Log($"{nexus.Options.DeviceName} at {nexus.Options.ParentName}: Xen {nexus.XenVersion} (cpuid 0x{leaf:x8})");
            return;
        }
        throw new XenNotFoundException($"no XenVMMXenVMM signature in CPUID 0x{first:x8}..0x{first + LeafRange - LeafStep:x8}");
    }

    /// <inheritdoc/>
    public void Detach(XenNexus nexus)
    {
        nexus.CpuidBase = 0;
        nexus.XenVersion = null;
    }
}
