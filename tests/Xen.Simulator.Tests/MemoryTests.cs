namespace Xen.Simulator.Tests;

public sealed unsafe class MemoryTests
{
    [Fact]
    public void Frames_are_allocated_zeroed_and_map_is_bounds_checked()
    {
        using var xen = new SimulatedXen();
        var domain = xen.CreateDomain(new DomainConfiguration { MemoryFrames = 16 });
        var memory = domain.Guest.Memory;
        var gfn = memory.AllocateFrames(2);
        var p = memory.Map(gfn << 12, 8192);
        p[100] = 7;
        memory.FreeFrames(gfn, 2);
        Assert.Equal(gfn, memory.AllocateFrames(2));
        Assert.Equal(0, p[100]);
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.Map(15 << 12, 4097));
        Assert.Throws<ArgumentException>(() => memory.FreeFrames(gfn + 1, 1));
        Assert.Throws<OutOfMemoryException>(() => memory.AllocateFrames(15));
    }

    [Fact]
    public void Dom0_is_domain_0_and_privileged_with_its_own_hypervisor()
    {
        using var sim = new Simulation();
        Assert.Equal(0, sim.Xen.Dom0.DomainId);
        Assert.True(sim.Xen.Dom0.IsPrivileged);
        Assert.False(sim.DomU.Domain.IsPrivileged);
        Assert.NotSame(sim.Dom0.Hv, sim.DomU.Hv);
        Assert.True(sim.Xen.Dom0.Memory.Descriptor >= 0);
    }

    [Fact]
    public void Add_to_physmap_places_shared_info_where_xen_updates_it()
    {
        using var sim = new Simulation();
        var shared = sim.DomU.MapSharedInfo();
        var port = sim.DomU.AllocUnbound(sim.DomU.DomainId);
        var local = sim.DomU.BindInterdomain(sim.DomU.DomainId, port);
        Assert.True(Guest.Bit(shared->EvtchnPending, local));
    }

    [Fact]
    public void Add_to_physmap_errors()
    {
        using var sim = new Simulation();
        var xatp = new XenAddToPhysmap { Domid = (ushort)XenConst.DomidSelf, Space = XenMem.XenmapspaceSharedInfo, Gpfn = 1UL << 40 };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.Call(XenConst._HypervisorMemoryOp, XenMem.XenmemAddToPhysmap, ref xatp));
        xatp = new XenAddToPhysmap { Domid = 0, Space = XenMem.XenmapspaceSharedInfo, Gpfn = 5 };
        Assert.Equal(Guest.Err(XenErrno.XenEperm), sim.DomU.Call(XenConst._HypervisorMemoryOp, XenMem.XenmemAddToPhysmap, ref xatp));
        xatp = new XenAddToPhysmap { Domid = (ushort)XenConst.DomidSelf, Space = XenMem.XenmapspaceGmfnForeign, Gpfn = 5 };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.Call(XenConst._HypervisorMemoryOp, XenMem.XenmemAddToPhysmap, ref xatp));
        Assert.Equal(Guest.Err(XenErrno.XenEfault), sim.DomU.Hv.Hypercall(XenConst._HypervisorMemoryOp, XenMem.XenmemAddToPhysmap, 1UL << 40));
    }
}
