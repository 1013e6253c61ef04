using System.Runtime.Intrinsics.X86;

namespace Xen.Nexus.Platform.Kernel;

/// <summary>
/// <see cref="IHypervisor"/> on the machine itself, for the kernel target (a freestanding PVH image): CPUID from
/// <see cref="X86Base.CpuId"/>, WRMSR and port I/O through machine-code thunks, hypercalls through a thunk into the
/// hypercall page Xen wrote when the nexus wrote its address to the MSR (entry <c>op</c> at <c>op * 32</c>).
/// </summary>
/// <remarks>
/// It compiles and is built in CI but cannot run here: WRMSR and IN/OUT fault outside ring 0 and there is no
/// hypervisor. The kernel supplies its direct map, a frame range, its vCPU numbering and its IDT.
/// </remarks>
public sealed unsafe class KernelHypervisor : IHypervisor
{
    private const int HypercallEntrySize = 32;

    private readonly delegate* unmanaged<nint, ulong, ulong, ulong, ulong, ulong, long> hypercall;
    private readonly delegate* unmanaged<uint, ulong, void> writeMsr;
    private readonly delegate* unmanaged<uint, uint>[] inThunks = new delegate* unmanaged<uint, uint>[3];
    private readonly delegate* unmanaged<uint, uint, void>[] outThunks = new delegate* unmanaged<uint, uint, void>[3];
    private readonly Func<int> currentVcpu;
    private readonly Action<byte, Action<int>?> setVector;
    private readonly KernelGuestMemory memory;
    private nint hypercallPage;

    /// <summary>Creates the machine over the kernel's memory, vCPU numbering and IDT.</summary>
    /// <param name="memory">The kernel's guest memory.</param>
    /// <param name="vcpuCount">vCPUs brought up.</param>
    /// <param name="currentVcpu">The running vCPU (from the kernel's per-CPU data).</param>
    /// <param name="setVector">Installs (or, with null, removes) an IDT entry calling the handler with the vCPU.</param>
    public KernelHypervisor(KernelGuestMemory memory, int vcpuCount, Func<int> currentVcpu, Action<byte, Action<int>?> setVector)
    {
        this.memory = memory;
        VcpuCount = vcpuCount;
        this.currentVcpu = currentVcpu;
        this.setVector = setVector;
        hypercall = (delegate* unmanaged<nint, ulong, ulong, ulong, ulong, ulong, long>)ExecutableMemory.Place(X86Thunks.Hypercall);
        writeMsr = (delegate* unmanaged<uint, ulong, void>)ExecutableMemory.Place(X86Thunks.WriteMsr);
        foreach (var width in new[] { PortWidth.Byte, PortWidth.Word, PortWidth.Dword })
        {
            inThunks[Index(width)] = (delegate* unmanaged<uint, uint>)ExecutableMemory.Place(X86Thunks.In(width));
            outThunks[Index(width)] = (delegate* unmanaged<uint, uint, void>)ExecutableMemory.Place(X86Thunks.Out(width));
        }
    }

    /// <inheritdoc/>
    public IGuestMemory Memory => memory;

    /// <inheritdoc/>
    public int VcpuCount { get; }

    /// <inheritdoc/>
    public int CurrentVcpu => currentVcpu();

    /// <inheritdoc/>
    public long Hypercall(uint op, ulong arg1 = 0, ulong arg2 = 0, ulong arg3 = 0, ulong arg4 = 0, ulong arg5 = 0)
    {
        if (hypercallPage == 0)
            throw new HypervisorFaultException($"hypercall {op} before the hypercall page is installed");
        return hypercall(hypercallPage + (nint)(op * HypercallEntrySize), arg1, arg2, arg3, arg4, arg5);
    }

    /// <inheritdoc/>
    public CpuidResult Cpuid(uint leaf, uint subleaf = 0)
    {
        var (eax, ebx, ecx, edx) = X86Base.CpuId((int)leaf, (int)subleaf);
        return new CpuidResult((uint)eax, (uint)ebx, (uint)ecx, (uint)edx);
    }

    /// <inheritdoc/>
    /// <remarks>A write to Xen's hypercall-page MSR (CPUID base+2's EBX) for page 0 also records where entries are.</remarks>
    public void WriteMsr(uint msr, ulong value)
    {
        writeMsr(msr, value);
        if ((value & (XenPage.Size - 1)) == 0 && IsHypercallPageMsr(msr))
            hypercallPage = (nint)memory.Map(value, XenPage.Size);
    }

    /// <inheritdoc/>
    public uint In(ushort port, PortWidth width) => inThunks[Index(width)](port);

    /// <inheritdoc/>
    public void Out(ushort port, uint value, PortWidth width) => outThunks[Index(width)](port, value);

    /// <inheritdoc/>
    public void SetInterruptHandler(byte vector, Action<int> handler)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vector, (byte)32);
        setVector(vector, handler);
    }

    /// <inheritdoc/>
    public void ClearInterruptHandler(byte vector) => setVector(vector, null);

    private bool IsHypercallPageMsr(uint msr)
    {
        const uint first = CpuidLeavesH.XenCpuidFirstLeaf;
        for (var leaf = first; leaf < first + 0x10000; leaf += 0x100)
        {
            var r = Cpuid(leaf);
            if (r.Ebx == CpuidLeavesH.XenCpuidSignatureEbx && r.Ecx == CpuidLeavesH.XenCpuidSignatureEcx && r.Edx == CpuidLeavesH.XenCpuidSignatureEdx)
                return Cpuid(leaf + 2).Ebx == msr;
        }
        return false;
    }

    private static int Index(PortWidth width) => width switch { PortWidth.Byte => 0, PortWidth.Word => 1, _ => 2 };
}
