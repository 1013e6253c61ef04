using System.Collections.Concurrent;
using Xen.Simulator.Cpu;
using Xen.Simulator.Devices;
using Xen.Simulator.Events;
using Xen.Simulator.Faults;
using Xen.Simulator.Grants;
using Xen.Simulator.Memory;

namespace Xen.Simulator;

/// <summary>
/// A domain of the simulated Xen: its id, vCPUs and memory (a memfd), Xen's own pages for it (shared_info, grant
/// table frames, in a second memfd), its event channels, grant table, HVM parameters and shutdown state. The guest
/// reaches it only through <see cref="Guest"/>; the members here are the toolstack's and the test's view.
/// </summary>
public sealed unsafe class SimulatedDomain : IDisposable
{
    private const ulong SharedInfoFrame = 0;
    private readonly VcpuContext[] _vcpus;
    private readonly ulong[] _hvmParams = new ulong[HvmParams.HvmNrParams];
    private readonly ConcurrentQueue<Exception> _interruptFaults = new();
    private readonly TaskCompletionSource<ShutdownRecord> _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SimulatedDomain(SimulatedXen xen, ushort domid, bool privileged, DomainConfiguration configuration)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(configuration.Vcpus);
        Xen = xen;
        DomainId = domid;
        IsPrivileged = privileged;
        Configuration = configuration;
        Memory = new GuestPhysicalMemory($"xen-dom{domid}", configuration.MemoryFrames);
        XenPages = MemFd.Create($"xen-dom{domid}-xenheap", 1 + configuration.MaxGrantFrames);
        SharedInfo = (SharedInfo*)XenPages.View;
        WriteWallclock(xen.BootTime);
        _vcpus = new VcpuContext[configuration.Vcpus];
        for (var i = 0; i < _vcpus.Length; i++)
        {
            _vcpus[i] = new VcpuContext(i, i < Abi.ArchX86.Xen.XenLegacyMaxVcpus ? ((VcpuInfo*)&SharedInfo->VcpuInfo) + i : null);
        }

        Features = DefaultFeatures(privileged);
        Events = new EventChannelTable(configuration.MaxEventChannelPort, new TwoLevelEventChannels(this));
        Grants = new DomainGrantTable(this);
        Guest = new SimulatedGuest(this);
    }

    /// <summary>The hypervisor the domain runs on.</summary>
    public SimulatedXen Xen { get; }

    /// <summary>The domain id (0 for dom0).</summary>
    public ushort DomainId { get; }

    /// <summary>Whether the domain is privileged (dom0): it may name other domains in hypercalls.</summary>
    public bool IsPrivileged { get; }

    /// <summary>The limits it was built with.</summary>
    public DomainConfiguration Configuration { get; }

    /// <summary>How many vCPUs it has.</summary>
    public int VcpuCount => _vcpus.Length;

    /// <summary>Its guest-physical memory.</summary>
    public GuestPhysicalMemory Memory { get; }

    /// <summary>The machine as the guest sees it: the only way guest code reaches Xen.</summary>
    public SimulatedGuest Guest { get; }

    /// <summary>XENVER_get_features submap 0 (XENFEAT_* bits); the defaults are what Xen 4.17 gives an HVM guest.</summary>
    public uint Features { get; set; }

    /// <summary>Fault injection for this domain's hypercalls.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>What the guest did on the emulated-device unplug ports.</summary>
    public UnplugPorts Unplug { get; } = new();

    /// <summary>Whether the guest switched to FIFO event channels (EVTCHNOP_init_control).</summary>
    public bool UsesFifoEventChannels => Events.Abi is FifoEventChannels;

    /// <summary>How many vCPUs have registered their vcpu_info (VCPUOP_register_vcpu_info).</summary>
    public int RegisteredVcpuInfos
    {
        get { lock (Lock) return _vcpus.Count(v => v.InfoRegistered); }
    }

    /// <summary>How many vCPUs have a FIFO control block (EVTCHNOP_init_control); 0 on the 2-level ABI.</summary>
    public int FifoControlBlocks
    {
        get { lock (Lock) return Events.Abi is FifoEventChannels fifo ? Enumerable.Range(0, _vcpus.Length).Count(fifo.HasControlBlock) : 0; }
    }

    /// <summary>Whether the domain has shut down (SCHEDOP_shutdown).</summary>
    public bool IsShutDown => _shutdown.Task.IsCompleted;

    /// <summary>Completes with the reason when the domain shuts down.</summary>
    public Task<ShutdownRecord> Shutdown => _shutdown.Task;

    /// <summary>Exceptions thrown by the guest's interrupt handlers (a kernel would have crashed).</summary>
    public IReadOnlyCollection<Exception> InterruptFaults => _interruptFaults;

    /// <summary>The guest frame the hypercall page was written to, once WRMSR installed it.</summary>
    public ulong? HypercallPageFrame { get; internal set; }

    internal MemFd XenPages { get; }

    internal SharedInfo* SharedInfo { get; }

    internal EventChannelTable Events { get; }

    internal DomainGrantTable Grants { get; }

    internal object Lock => Xen.Lock;

    /// <summary>Reads HVM parameter <paramref name="index"/> as the toolstack would.</summary>
    public ulong GetHvmParam(uint index) => _hvmParams[index];

    /// <summary>Sets HVM parameter <paramref name="index"/> as the toolstack would (no guest restrictions).</summary>
    public void SetHvmParam(uint index, ulong value)
    {
        lock (Lock)
        {
            _hvmParams[index] = value;
            if (index == HvmParams.HvmParamCallbackIrq)
            {
                ReassertCallbacks();
            }
        }
    }

    /// <summary>Raises <paramref name="virq"/>: a per-vCPU VIRQ on <paramref name="vcpu"/>, a global one wherever it is bound.</summary>
    /// <returns>Whether a port was bound to it.</returns>
    public bool RaiseVirq(uint virq, int vcpu = 0)
    {
        lock (Lock)
        {
            var port = Vcpu(Virqs.IsGlobal(virq) ? 0 : vcpu).VirqPorts[virq];
            if (port == 0)
            {
                return false;
            }

            Events.Abi.SetPending(Events[port]);
            return true;
        }
    }

    /// <summary>Whether <paramref name="port"/> is pending in the domain's current ABI (false for an invalid port).</summary>
    public bool IsEventPending(uint port)
    {
        lock (Lock)
        {
            return Events.IsValid(port) && Events.Abi.IsPending(Events[port]);
        }
    }

    internal VcpuContext Vcpu(int id) => _vcpus[id];

    internal bool IsValidVcpu(ulong id) => id < (ulong)_vcpus.Length;

    internal ulong HvmParam(uint index) => _hvmParams[index];

    internal void StoreHvmParam(uint index, ulong value) => _hvmParams[index] = value;

    /// <summary>Xen's place for shared_info, to map into the guest's physmap.</summary>
    internal MachineFrame SharedInfoMachineFrame => new(XenPages, SharedInfoFrame);

    /// <summary>The guest frame where XENMEM_add_to_physmap last placed shared_info; null before.</summary>
    internal ulong? SharedInfoGfn { get; set; }

    /// <summary>
    /// shared_info's wallclock: the time of day at Xen's boot (system time 0), which Xen gives each domain it
    /// creates. An even wc_version says the record is not being written.
    /// </summary>
    private void WriteWallclock(DateTimeOffset boot)
    {
        long seconds = boot.ToUnixTimeSeconds();
        SharedInfo->WcVersion = 2;
        SharedInfo->WcSec = (uint)seconds;
        SharedInfo->WcSecHi = (uint)(seconds >> 32);
        SharedInfo->WcNsec = (uint)(boot.ToUnixTimeMilliseconds() % 1000 * 1_000_000);
    }

    /// <summary>Grant table frame <paramref name="index"/> in Xen's pages.</summary>
    internal MachineFrame GrantMachineFrame(uint index) => new(XenPages, 1 + index);

    /// <summary>vcpu_mark_events_pending: sets evtchn_upcall_pending and, if it was clear, raises the callback.</summary>
    internal void MarkEventsPending(int vcpu)
    {
        var info = Vcpu(vcpu).Info;
        if (info is null || AtomicBits.TestAndSet(&info->EvtchnUpcallPending))
        {
            return;
        }

        RaiseCallback(vcpu);
    }

    /// <summary>Raises the callback vector on <paramref name="vcpu"/>, if the guest chose one.</summary>
    internal void RaiseCallback(int vcpu)
    {
        if (CallbackVector(vcpu) is byte vector)
        {
            Guest.RaiseInterrupt(vcpu, vector);
        }
    }

    /// <summary>The vector Xen injects for events on <paramref name="vcpu"/>: its own upcall vector, else HVM_PARAM_CALLBACK_IRQ of the vector type.</summary>
    internal byte? CallbackVector(int vcpu)
    {
        var own = Vcpu(vcpu).UpcallVector;
        if (own != 0)
        {
            return own;
        }

        var via = _hvmParams[HvmParams.HvmParamCallbackIrq];
        var type = (via & HvmParams.HvmParamCallbackIrqTypeMask) >> 56;
        return type == HvmParams.HvmParamCallbackTypeVector && via != 0 ? (byte)via : null;
    }

    /// <summary>Whether <paramref name="vector"/> is still asserted on <paramref name="vcpu"/>: Xen injects the callback while evtchn_upcall_pending is set.</summary>
    internal bool CallbackStillAsserted(int vcpu, byte vector)
    {
        var info = Vcpu(vcpu).Info;
        return info is not null && Volatile.Read(ref info->EvtchnUpcallPending) != 0 && CallbackVector(vcpu) == vector
            && !IsShutDown;
    }

    /// <summary>After the callback changes: raise it on every vCPU whose upcall is already pending.</summary>
    internal void ReassertCallbacks()
    {
        for (var vcpu = 0; vcpu < _vcpus.Length; vcpu++)
        {
            var info = _vcpus[vcpu].Info;
            if (info != null && Volatile.Read(ref info->EvtchnUpcallPending) != 0)
            {
                RaiseCallback(vcpu);
            }
        }
    }

    internal void RecordInterruptFault(Exception e) => _interruptFaults.Enqueue(e);

    internal void RecordShutdown(ShutdownRecord record) => _shutdown.TrySetResult(record);

    private static uint DefaultFeatures(bool privileged)
    {
        var features = (1U << Abi.Features.XenfeatMemoryOpVnodeSupported)
            | (1U << Abi.Features.XenfeatWritablePageTables)
            | (1U << Abi.Features.XenfeatAutoTranslatedPhysmap)
            | (1U << Abi.Features.XenfeatHvmSafePvclock)
            | (1U << Abi.Features.XenfeatHvmCallbackVector)
            | (1U << Abi.Features.XenfeatLinuxRsdpUnrestricted);
        return privileged ? features | (1U << Abi.Features.XenfeatDom0) : features;
    }

    /// <summary>Stops the vCPUs and releases the domain's memory.</summary>
    public void Dispose()
    {
        Guest.Dispose();
        Grants.Dispose();
        Memory.Dispose();
        XenPages.Dispose();
    }
}
