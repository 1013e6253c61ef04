namespace Xen.Nexus.Platform;

/// <summary>
/// The machine as a Xen guest's kernel sees it, and all the nexus may touch: hypercalls, CPUID, MSRs, port I/O, its
/// own guest-physical memory and the interrupt vector Xen raises for event channels. A kernel target implements it
/// with the instructions themselves and the hypercall page; the simulator implements it with a model of Xen.
/// </summary>
/// <remarks>
/// Hypercall arguments are what Xen takes: numbers, or guest-physical addresses of argument structs (the generated
/// Xen.Abi types) that the caller wrote into <see cref="Memory"/>. Nothing is passed by reference to a managed object,
/// so the same nexus code drives the simulator and real Xen.
/// </remarks>
public interface IHypervisor
{
    /// <summary>
    /// Makes hypercall <paramref name="op"/> (a <c>__HYPERVISOR_*</c> number) with up to five arguments through the
    /// hypercall page, as the guest's vCPU <see cref="CurrentVcpu"/>.
    /// </summary>
    /// <returns>Xen's return value: 0 or a result on success, a negated errno (<c>-ENOSYS</c>, <c>-EINVAL</c>, ...) on failure.</returns>
    /// <exception cref="HypervisorFaultException">No hypercall page is installed yet (on Xen, the call would fault).</exception>
    long Hypercall(uint op, ulong arg1 = 0, ulong arg2 = 0, ulong arg3 = 0, ulong arg4 = 0, ulong arg5 = 0);

    /// <summary>Executes CPUID for <paramref name="leaf"/> and <paramref name="subleaf"/>.</summary>
    CpuidResult Cpuid(uint leaf, uint subleaf = 0);

    /// <summary>Writes <paramref name="value"/> to model-specific register <paramref name="msr"/> (WRMSR).</summary>
    /// <exception cref="HypervisorFaultException">The MSR does not exist (on hardware, #GP).</exception>
    void WriteMsr(uint msr, ulong value);

    /// <summary>Reads a byte, word or doubleword from I/O port <paramref name="port"/>.</summary>
    uint In(ushort port, PortWidth width);

    /// <summary>Writes <paramref name="value"/> (of <paramref name="width"/>) to I/O port <paramref name="port"/>.</summary>
    void Out(ushort port, uint value, PortWidth width);

    /// <summary>The guest's own physical memory.</summary>
    IGuestMemory Memory { get; }

    /// <summary>How many vCPUs the guest has; they are numbered from 0.</summary>
    int VcpuCount { get; }

    /// <summary>The vCPU the caller runs on.</summary>
    int CurrentVcpu { get; }

    /// <summary>
    /// Installs <paramref name="handler"/> for interrupt <paramref name="vector"/> (the IDT entry and local APIC of a
    /// kernel). It runs in the interrupting vCPU's interrupt context, with that vCPU's number; on one vCPU a handler
    /// never runs twice at once, and an interrupt raised while it runs is delivered again after it returns.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The vector is reserved (below 32).</exception>
    void SetInterruptHandler(byte vector, Action<int> handler);

    /// <summary>Removes the handler of <paramref name="vector"/>; an interrupt on it is then dropped.</summary>
    void ClearInterruptHandler(byte vector);
}
