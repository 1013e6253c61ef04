using Xen.Simulator.Cpu;
using Xen.Simulator.Hypercalls;
using Xen.Simulator.Memory;

namespace Xen.Simulator;

/// <summary>
/// A domain's machine as its kernel sees it (<see cref="IHypervisor"/>): hypercalls through the hypercall page once
/// WRMSR installed it, Xen's CPUID leaves, the emulated-device unplug ports, guest memory, and one interrupt context
/// per vCPU that runs the handlers of raised vectors. Code not in a handler runs on vCPU 0 unless
/// <see cref="RunOnVcpu"/> says otherwise.
/// </summary>
public sealed class SimulatedGuest : IHypervisor, IDisposable
{
    [ThreadStatic] private static SimulatedGuest? t_guest;
    [ThreadStatic] private static int t_vcpu;

    private readonly Action<int>?[] _handlers = new Action<int>?[256];
    private readonly VirtualCpu[] _cpus;

    internal SimulatedGuest(SimulatedDomain domain)
    {
        Domain = domain;
        _cpus = new VirtualCpu[domain.VcpuCount];
        for (var i = 0; i < _cpus.Length; i++)
        {
            _cpus[i] = new VirtualCpu(this, i) { StillAsserted = domain.CallbackStillAsserted };
        }
    }

    /// <summary>The domain this guest is.</summary>
    public SimulatedDomain Domain { get; }

    /// <inheritdoc/>
    public IGuestMemory Memory => Domain.Memory;

    /// <inheritdoc/>
    public int VcpuCount => _cpus.Length;

    /// <inheritdoc/>
    public int CurrentVcpu => ReferenceEquals(t_guest, this) ? t_vcpu : 0;

    /// <summary>How many interrupts vCPU <paramref name="vcpu"/> has taken.</summary>
    public long InterruptsDelivered(int vcpu) => Interlocked.Read(ref _cpus[vcpu].Delivered);

    /// <summary>Runs <paramref name="action"/> on this thread as vCPU <paramref name="vcpu"/> of this guest (its hypercalls are that vCPU's).</summary>
    public void RunOnVcpu(int vcpu, Action action)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)vcpu, (uint)_cpus.Length, nameof(vcpu));
        var (guest, previous) = (t_guest, t_vcpu);
        (t_guest, t_vcpu) = (this, vcpu);
        try
        {
            action();
        }
        finally
        {
            (t_guest, t_vcpu) = (guest, previous);
        }
    }

    /// <summary>Runs <paramref name="func"/> as vCPU <paramref name="vcpu"/> and returns its result.</summary>
    public T RunOnVcpu<T>(int vcpu, Func<T> func)
    {
        T result = default!;
        RunOnVcpu(vcpu, () => { result = func(); });
        return result;
    }

    /// <inheritdoc/>
    public long Hypercall(uint op, ulong arg1 = 0, ulong arg2 = 0, ulong arg3 = 0, ulong arg4 = 0, ulong arg5 = 0)
    {
        if (Domain.HypercallPageFrame is null)
        {
            throw new HypervisorFaultException($"hypercall {op} with no hypercall page (WRMSR {XenMsrs.Base:x} first)");
        }

        if (Domain.IsShutDown)
        {
            throw new HypervisorFaultException($"hypercall {op} from dom{Domain.DomainId}, which has shut down");
        }

        if (Domain.Faults.Check(op, arg1) is { } errno)
        {
            return Errno.Of(errno);
        }

        var call = new HypercallContext(Domain, CurrentVcpu);
        return op switch
        {
            XenConst._HypervisorXenVersion => XenVersionOp.Handle(call, arg1, arg2),
            XenConst._HypervisorHvmOp => HvmOp.Handle(call, arg1, arg2),
            XenConst._HypervisorMemoryOp => MemoryOp.Handle(call, arg1, arg2),
            XenConst._HypervisorEventChannelOp => EventChannelOp.Handle(call, arg1, arg2),
            XenConst._HypervisorGrantTableOp => GrantTableOp.Handle(call, arg1, arg2, arg3),
            XenConst._HypervisorVcpuOp => VcpuOp.Handle(call, arg1, arg2, arg3),
            XenConst._HypervisorSchedOp => SchedOp.Handle(call, arg1, arg2),
            XenConst._HypervisorDomctl => DomctlOp.Handle(call, arg1),
            _ => Errno.NoSys,
        };
    }

    /// <inheritdoc/>
    public CpuidResult Cpuid(uint leaf, uint subleaf = 0) => CpuidLeaves.Read(Domain, CurrentVcpu, leaf);

    /// <inheritdoc/>
    public unsafe void WriteMsr(uint msr, ulong value)
    {
        if (msr != XenMsrs.Base)
        {
            throw new HypervisorFaultException($"WRMSR {msr:x}: no such MSR (#GP)");
        }

        var pageIndex = Frames.Offset(value);
        var gfn = Frames.Of(value);
        if (pageIndex >= XenMsrs.HypercallPages || gfn >= Domain.Memory.FrameCount)
        {
            throw new HypervisorFaultException($"WRMSR {msr:x} = {value:x}: no hypercall page {pageIndex} at frame {gfn:x} (#GP)");
        }

        HypercallPage.Write(Domain.Memory.Map(Frames.Address(gfn), Frames.Size));
        Domain.HypercallPageFrame = gfn;
    }

    /// <inheritdoc/>
    public uint In(ushort port, PortWidth width) => Domain.Unplug.In(port, width);

    /// <inheritdoc/>
    public void Out(ushort port, uint value, PortWidth width) => Domain.Unplug.Out(port, value, width);

    /// <inheritdoc/>
    public void SetInterruptHandler(byte vector, Action<int> handler)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vector, (byte)32);
        ArgumentNullException.ThrowIfNull(handler);
        Volatile.Write(ref _handlers[vector], handler);
        lock (Domain.Lock)
        {
            Domain.ReassertCallbacks();
        }
    }

    /// <inheritdoc/>
    public void ClearInterruptHandler(byte vector) => Volatile.Write(ref _handlers[vector], null);

    internal Action<int>? HandlerFor(byte vector) => Volatile.Read(ref _handlers[vector]);

    internal void RaiseInterrupt(int vcpu, byte vector) => _cpus[vcpu].Raise(vector);

    /// <summary>Stops the interrupt contexts.</summary>
    public void Dispose()
    {
        foreach (var cpu in _cpus)
        {
            cpu.Dispose();
        }
    }
}
