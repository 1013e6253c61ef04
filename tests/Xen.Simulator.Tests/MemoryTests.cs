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

    [Fact]
    public void Guest_memory_is_a_memfd_another_process_reads_and_writes()
    {
        using var xen = new SimulatedXen();
        var domain = xen.CreateDomain(new DomainConfiguration { MemoryFrames = 16 });
        var memory = domain.Memory;
        var gfn = memory.AllocateFrames(1);
        var page = memory.Map(gfn << 12, 4096);
        page[10] = 0xA5;
        page[11] = 0x5A;
        var file = $"/proc/{Environment.ProcessId}/fd/{memory.Descriptor}";
        var offset = (gfn << 12) + 10;

        // od, another process, sees the guest's bytes at the frame's offset in the file.
        Assert.Equal("a5 5a", Run("od", "-An", "-tx1", $"-j{offset}", "-N2", file).Trim());
        // dd writes into the frame and the guest sees it.
        Run("sh", "-c", $"printf '\\042' | dd of={file} bs=1 seek={offset + 2} conv=notrunc status=none");
        Assert.Equal(0x22, page[12]);
        // The control: another offset does not hold the bytes (so the od check can fail).
        Assert.NotEqual("a5 5a", Run("od", "-An", "-tx1", $"-j{offset + 4096}", "-N2", file).Trim());
    }

    private static string Run(string program, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), $"{program} did not exit in 30 s");
        Assert.True(process.ExitCode == 0, $"{program}: {errors.Result}");
        return output.Result;
    }
}
