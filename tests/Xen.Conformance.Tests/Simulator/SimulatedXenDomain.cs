namespace Xen.Conformance.Tests.Simulator;

/// <summary>
/// The suite's adapter over the simulator: a domain's own hypercall interface (<see cref="SimulatedGuest"/>, the
/// hypercall page installed through CPUID and WRMSR as a kernel does) with the argument struct in a frame of its memory.
/// </summary>
public sealed unsafe class SimulatedXenDomain : IXenDomain
{
    private readonly SimulatedGuest hv;
    private readonly ulong argumentAddress;

    public SimulatedXenDomain(SimulatedDomain domain)
    {
        Domain = domain;
        hv = domain.Guest;
        var leaf = hv.Cpuid(Xen.Abi.ArchX86.Cpuid.XenCpuidFirstLeaf + 2);
        hv.WriteMsr(leaf.Ebx, hv.Memory.AllocateFrames(1) << 12);
        argumentAddress = hv.Memory.AllocateFrames(1) << 12;
    }

    public SimulatedDomain Domain { get; }

    public ushort DomainId => Domain.DomainId;

    public long Hypercall(uint op, ulong cmd, Span<byte> argument, ulong? count = null)
    {
        var frame = new Span<byte>(hv.Memory.Map(argumentAddress, 4096), 4096);
        frame.Clear();
        argument.CopyTo(frame);
        ulong address = argument.IsEmpty ? 0 : argumentAddress;
        long rc = count is { } n ? hv.Hypercall(op, cmd, address, n) : hv.Hypercall(op, cmd, address);
        frame[..argument.Length].CopyTo(argument);
        return rc;
    }
}
