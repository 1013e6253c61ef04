using System.Runtime.InteropServices;

namespace Xen.Kernel.Pvh;

/// <summary>
/// struct hvm_start_info (arch-x86/hvm/start_info.h), what a PVH loader passes in %ebx. Written twice: Xen.Abi's
/// HvmStartInfo is the generated one, but it is built on the BCL; Xen.Kernel.Tests holds every offset and the
/// magic equal to Xen.Abi's.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 56)]
public struct HvmStartInfo
{
    /// <summary>XEN_HVM_START_MAGIC_VALUE</summary>
    public const uint MagicValue = 0x336ec578;

    [FieldOffset(0)] public uint Magic;
    [FieldOffset(4)] public uint Version;
    [FieldOffset(8)] public uint Flags;
    [FieldOffset(12)] public uint NrModules;
    [FieldOffset(16)] public ulong ModlistPaddr;
    [FieldOffset(24)] public ulong CmdlinePaddr;
    [FieldOffset(32)] public ulong RsdpPaddr;
    [FieldOffset(40)] public ulong MemmapPaddr;
    [FieldOffset(48)] public uint MemmapEntries;
    [FieldOffset(52)] public uint Reserved;
}
