using Xen.Kernel.Machine;

namespace Xen.Kernel.Nexus;

/// <summary>
/// The names of features.h's <c>XENFEAT_*</c> bits without the prefix, as FeaturesStep prints them (the test holds
/// each BitN to Xen.Abi's name of bit N, and the set to the bits Xen.Abi names).
/// </summary>
public static class FeatureNames
{
    public const string Bit0 = "writable_page_tables";
    public const string Bit1 = "writable_descriptor_tables";
    public const string Bit2 = "auto_translated_physmap";
    public const string Bit3 = "supervisor_mode_kernel";
    public const string Bit4 = "pae_pgdir_above_4gb";
    public const string Bit5 = "mmu_pt_update_preserve_ad";
    public const string Bit6 = "highmem_assist";
    public const string Bit7 = "gnttab_map_avail_bits";
    public const string Bit8 = "hvm_callback_vector";
    public const string Bit9 = "hvm_safe_pvclock";
    public const string Bit10 = "hvm_pirqs";
    public const string Bit11 = "dom0";
    public const string Bit13 = "memory_op_vnode_supported";
    public const string Bit14 = "ARM_SMCCC_supported";
    public const string Bit15 = "linux_rsdp_unrestricted";
    public const string Bit16 = "not_direct_mapped";
    public const string Bit17 = "direct_mapped";

    /// <summary>Bit <paramref name="bit"/>'s name on the log, or bitN when features.h names none (as the nexus).</summary>
    public static void Write(uint bit)
    {
        switch (bit)
        {
            case 0: Log.Write(Bit0); return;
            case 1: Log.Write(Bit1); return;
            case 2: Log.Write(Bit2); return;
            case 3: Log.Write(Bit3); return;
            case 4: Log.Write(Bit4); return;
            case 5: Log.Write(Bit5); return;
            case 6: Log.Write(Bit6); return;
            case 7: Log.Write(Bit7); return;
            case 8: Log.Write(Bit8); return;
            case 9: Log.Write(Bit9); return;
            case 10: Log.Write(Bit10); return;
            case 11: Log.Write(Bit11); return;
            case 13: Log.Write(Bit13); return;
            case 14: Log.Write(Bit14); return;
            case 15: Log.Write(Bit15); return;
            case 16: Log.Write(Bit16); return;
            case 17: Log.Write(Bit17); return;
        }
        Log.Write("bit");
        Log.WriteDecimal(bit);
    }
}
