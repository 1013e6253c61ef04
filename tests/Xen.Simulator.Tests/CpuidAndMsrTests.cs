using System.Text;
using XenCpuid = Xen.Abi.ArchX86.Cpuid;

namespace Xen.Simulator.Tests;

public sealed unsafe class CpuidAndMsrTests
{
    [Fact]
    public void Leaf_0x40000000_has_the_Xen_signature_and_the_maximum_leaf()
    {
        using var sim = new Simulation();
        var leaf = sim.DomU.Hv.Cpuid(XenCpuid.XenCpuidFirstLeaf);
        var signature = new byte[12];
        BitConverter.TryWriteBytes(signature.AsSpan(0), leaf.Ebx);
        BitConverter.TryWriteBytes(signature.AsSpan(4), leaf.Ecx);
        BitConverter.TryWriteBytes(signature.AsSpan(8), leaf.Edx);
        Assert.Equal("XenVMMXenVMM", Encoding.ASCII.GetString(signature));
        Assert.Equal((uint)XenCpuid.XenCpuidFirstLeaf + XenCpuid.XenCpuidMaxNumLeaves, leaf.Eax);
    }

    [Fact]
    public void Leaf_1_is_the_version_and_leaf_2_the_hypercall_pages_and_msr()
    {
        using var sim = new Simulation();
        Assert.Equal((4U << 16) | 17U, sim.DomU.Hv.Cpuid(XenCpuid.XenCpuidFirstLeaf + 1).Eax);
        var leaf2 = sim.DomU.Hv.Cpuid(XenCpuid.XenCpuidFirstLeaf + 2);
        Assert.Equal(1U, leaf2.Eax);
        Assert.Equal(0x4000_0000U, leaf2.Ebx);
    }

    [Fact]
    public void Leaf_4_gives_the_current_vcpu_and_the_domid()
    {
        using var sim = new Simulation();
        var guest = sim.DomU.Domain.Guest;
        var leaf = guest.RunOnVcpu(1, () => guest.Cpuid(XenCpuid.XenCpuidFirstLeaf + 4));
        Assert.NotEqual(0U, leaf.Eax & XenCpuid.XenHvmCpuidVcpuIdPresent);
        Assert.Equal(1U, leaf.Ebx);
        Assert.Equal((uint)sim.DomU.DomainId, leaf.Ecx);
    }

    [Fact]
    public void A_hypercall_before_the_hypercall_page_faults()
    {
        using var xen = new SimulatedXen();
        var domain = xen.CreateDomain();
        Assert.Throws<HypervisorFaultException>(() => domain.Guest.Hypercall(XenConst._HypervisorXenVersion));
    }

    [Fact]
    public void Wrmsr_writes_the_hypercall_page_into_the_frame()
    {
        using var xen = new SimulatedXen();
        var guest = xen.CreateDomain().Guest;
        var frame = guest.Memory.AllocateFrames(1);
        guest.WriteMsr(guest.Cpuid(XenCpuid.XenCpuidFirstLeaf + 2).Ebx, frame << 12);
        var page = guest.Memory.Map(frame << 12, 4096);
        var stub = Cpu.HypercallPage.Stub(XenConst._HypervisorEventChannelOp);
        Assert.Equal(stub, new ReadOnlySpan<byte>(page + XenConst._HypervisorEventChannelOp * 32, stub.Length).ToArray());
        Assert.Equal(frame, guest.Domain.HypercallPageFrame);
        Assert.Equal(4L << 16 | 17, guest.Hypercall(XenConst._HypervisorXenVersion, (ulong)Abi.Version.XenverVersion));
    }

    [Fact]
    public void An_unknown_msr_or_page_index_faults()
    {
        using var sim = new Simulation();
        Assert.Throws<HypervisorFaultException>(() => sim.DomU.Hv.WriteMsr(0x1234, 0));
        Assert.Throws<HypervisorFaultException>(() => sim.DomU.Hv.WriteMsr(0x4000_0000, (sim.DomU.ArgumentFrame << 12) | 1));
    }

    [Fact]
    public void An_unknown_hypercall_is_enosys()
    {
        using var sim = new Simulation();
        Assert.Equal(Guest.Err(XenErrno.XenEnosys), sim.DomU.Hv.Hypercall(XenConst._HypervisorKexecOp));
    }
}
