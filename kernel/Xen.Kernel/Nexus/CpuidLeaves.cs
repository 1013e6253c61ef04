namespace Xen.Kernel.Nexus;

/// <summary>
/// Xen's CPUID leaves (arch-x86/cpuid.h). Written twice: Xen.Abi's CpuidLeavesH has these, but Xen.Abi is built
/// on the BCL and this assembly is its own corelib; Xen.Kernel.Tests holds them equal to Xen.Abi's.
/// </summary>
public static class CpuidLeaves
{
    /// <summary>XEN_CPUID_FIRST_LEAF</summary>
    public const uint FirstLeaf = 0x40000000;

    /// <summary>XEN_CPUID_SIGNATURE_EBX, _ECX, _EDX: "XenVMMXenVMM"</summary>
    public const uint SignatureEbx = 0x566e6558, SignatureEcx = 0x65584d4d, SignatureEdx = 0x4d4d566e;

    /// <summary>How far the scan looks (0x40000000 to 0x4000ff00) and the distance between bases, as DetectXenStep.</summary>
    public const uint LeafRange = 0x10000, LeafStep = 0x100;
}
