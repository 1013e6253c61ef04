namespace Xen.Simulator.Tests.Support;

/// <summary>
/// A guest kernel's view for tests: the hypercall page installed through CPUID and WRMSR, an argument page in its
/// memory, and helpers that write an argument struct there, make the hypercall and read the struct back.
/// </summary>
public sealed unsafe class Guest
{
    public Guest(SimulatedDomain domain, bool installHypercallPage = true)
    {
        Domain = domain;
        Hv = domain.Guest;
        ArgumentFrame = Hv.Memory.AllocateFrames(1);
        if (installHypercallPage)
        {
            InstallHypercallPage();
        }
    }

    public SimulatedDomain Domain { get; }

    public IHypervisor Hv { get; }

    public ulong ArgumentFrame { get; }

    public ulong ArgumentAddress => ArgumentFrame << 12;

    public ushort DomainId => Domain.DomainId;

    public void InstallHypercallPage()
    {
        var leaf = Hv.Cpuid(Xen.Abi.ArchX86.Cpuid.XenCpuidFirstLeaf + 2);
        var page = Hv.Memory.AllocateFrames(1);
        Hv.WriteMsr(leaf.Ebx, page << 12);
    }

    /// <summary>Writes <paramref name="arg"/> at the argument page, calls op(cmd, &amp;arg), and reads it back.</summary>
    public long Call<T>(uint op, uint cmd, ref T arg) where T : unmanaged
    {
        var p = (T*)Hv.Memory.Map(ArgumentAddress, (nuint)sizeof(T));
        *p = arg;
        var rc = Hv.Hypercall(op, cmd, ArgumentAddress);
        arg = *p;
        return rc;
    }

    public long EventChannelOp<T>(int cmd, ref T arg) where T : unmanaged =>
        Call(XenConst._HypervisorEventChannelOp, (uint)cmd, ref arg);

    /// <summary>GNTTABOP_*(cmd, &amp;arg, 1).</summary>
    public long GrantTableOp<T>(int cmd, ref T arg) where T : unmanaged
    {
        var p = (T*)Hv.Memory.Map(ArgumentAddress, (nuint)sizeof(T));
        *p = arg;
        var rc = Hv.Hypercall(XenConst._HypervisorGrantTableOp, (ulong)cmd, ArgumentAddress, 1);
        arg = *p;
        return rc;
    }

    public static long Err(XenErrno errno) => -(long)errno;

    public uint AllocUnbound(ushort remote)
    {
        var op = new EvtchnAllocUnbound { Dom = (ushort)XenConst.DomidSelf, RemoteDom = remote };
        Assert.Equal(0, EventChannelOp(Evtchn.EvtchnopAllocUnbound, ref op));
        return op.Port;
    }

    public uint BindInterdomain(ushort remote, uint remotePort)
    {
        var op = new EvtchnBindInterdomain { RemoteDom = remote, RemotePort = remotePort };
        Assert.Equal(0, EventChannelOp(Evtchn.EvtchnopBindInterdomain, ref op));
        return op.LocalPort;
    }

    public long Send(uint port)
    {
        var op = new EvtchnSend { Port = port };
        return EventChannelOp(Evtchn.EvtchnopSend, ref op);
    }

    public long SetParam(uint index, ulong value, ushort domid = (ushort)XenConst.DomidSelf)
    {
        var op = new Xen.Abi.Hvm.XenHvmParam { Domid = domid, Index = index, Value = value };
        return Call(XenConst._HypervisorHvmOp, HvmOps.HvmopSetParam, ref op);
    }

    public (long Rc, ulong Value) GetParam(uint index, ushort domid = (ushort)XenConst.DomidSelf)
    {
        var op = new Xen.Abi.Hvm.XenHvmParam { Domid = domid, Index = index };
        var rc = Call(XenConst._HypervisorHvmOp, HvmOps.HvmopGetParam, ref op);
        return (rc, op.Value);
    }

    /// <summary>Maps shared_info at a new frame (XENMEM_add_to_physmap) and returns it.</summary>
    public SharedInfo* MapSharedInfo()
    {
        var gfn = Hv.Memory.AllocateFrames(1);
        var xatp = new XenAddToPhysmap { Domid = (ushort)XenConst.DomidSelf, Space = XenMem.XenmapspaceSharedInfo, Gpfn = gfn };
        Assert.Equal(0, Call(XenConst._HypervisorMemoryOp, XenMem.XenmemAddToPhysmap, ref xatp));
        return (SharedInfo*)Hv.Memory.Map(gfn << 12, 4096);
    }

    public static VcpuInfo* VcpuInfoOf(SharedInfo* shared, int vcpu) => ((VcpuInfo*)&shared->VcpuInfo) + vcpu;

    public static bool Bit(ulong* words, uint bit) => (words[bit / 64] & (1UL << (int)(bit % 64))) != 0;
}
