namespace Xen.Conformance.Tests.Simulator;

/// <summary>
/// The suite's adapter over the simulator: a domain's own hypercall interface (<see cref="SimulatedGuest"/>, the
/// hypercall page installed through CPUID and WRMSR as a kernel does) with the argument struct in a frame of its
/// memory. Like a Linux HVM guest at boot, it places its shared_info in its physmap (XENMEM_add_to_physmap).
/// </summary>
public sealed unsafe class SimulatedXenDomain : IXenDomain
{
    private const int PageSize = 4096;
    private readonly SimulatedGuest hv;
    private readonly ulong argumentAddress;

    public SimulatedXenDomain(SimulatedDomain domain)
    {
        Domain = domain;
        hv = domain.Guest;
        var leaf = hv.Cpuid(Xen.Abi.ArchX86.Cpuid.XenCpuidFirstLeaf + 2);
        hv.WriteMsr(leaf.Ebx, hv.Memory.AllocateFrames(1) << 12);
        argumentAddress = hv.Memory.AllocateFrames(1) << 12;
        var place = new XenAddToPhysmap
        {
            Domid = (ushort)XenConst.DomidSelf,
            Space = XenMem.XenmapspaceSharedInfo,
            Gpfn = hv.Memory.AllocateFrames(1),
        };
        long rc = Hypercall(XenConst._HypervisorMemoryOp, XenMem.XenmemAddToPhysmap, XenDomainExtensions.Bytes(ref place));
        if (rc != 0) throw new InvalidOperationException($"dom{domain.DomainId}: XENMEM_add_to_physmap of shared_info answered {Answers.Rc(rc)}");
    }

    public SimulatedDomain Domain { get; }

    public ushort DomainId => Domain.DomainId;

    public long Hypercall(uint op, ulong cmd, Span<byte> argument, ulong? count = null)
    {
        var frame = Argument(argument);
        ulong address = argument.IsEmpty ? 0 : argumentAddress;
        long rc = count is { } n ? hv.Hypercall(op, cmd, address, n) : hv.Hypercall(op, cmd, address);
        frame[..argument.Length].CopyTo(argument);
        return rc;
    }

    public long Hypercall(uint op, Span<byte> argument)
    {
        var frame = Argument(argument);
        long rc = hv.Hypercall(op, argumentAddress);
        frame[..argument.Length].CopyTo(argument);
        return rc;
    }

    /// <summary>
    /// The simulator has no foreign-mapping hypercall (Linux dom0's privcmd maps through Xen's page tables), so this
    /// reads the frame where the target's physmap has it, refused as Xen refuses an unprivileged mapper.
    /// </summary>
    public byte[] ReadForeignFrame(ushort domain, ulong frame)
    {
        if (!Domain.IsPrivileged) throw new InvalidOperationException($"dom{DomainId} may not map dom{domain}'s frames (EPERM)");
        var target = Domain.Xen.Domain(domain) ?? throw new InvalidOperationException($"dom{domain}: no such domain (ESRCH)");
        if (frame >= target.Memory.FrameCount) throw new InvalidOperationException($"dom{domain} frame 0x{frame:x}: past its memory (EINVAL)");
        return new ReadOnlySpan<byte>(target.Memory.Map(frame << 12, PageSize), PageSize).ToArray();
    }

    private Span<byte> Argument(ReadOnlySpan<byte> argument)
    {
        var frame = new Span<byte>(hv.Memory.Map(argumentAddress, PageSize), PageSize);
        frame.Clear();
        argument.CopyTo(frame);
        return frame;
    }
}
