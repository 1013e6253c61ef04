using Xen.Simulator.Events;
using Xen.Simulator.Memory;

namespace Xen.Simulator.Hypercalls;

/// <summary>__HYPERVISOR_vcpu_op: VCPUOP_register_vcpu_info (the vCPU's vcpu_info moved into a guest frame, once).</summary>
internal static unsafe class VcpuOp
{
    internal static long Handle(HypercallContext call, ulong cmd, ulong vcpuid, ulong arg)
    {
        if (!call.Domain.IsValidVcpu(vcpuid))
        {
            return Errno.NoEntry;
        }

        return cmd switch
        {
            VcpuOps.VcpuopRegisterVcpuInfo => RegisterVcpuInfo(call, (int)vcpuid, arg),
            _ => Errno.NoSys,
        };
    }

    private static long RegisterVcpuInfo(HypercallContext call, int vcpu, ulong arg)
    {
        var info = call.Memory.Pointer<VcpuRegisterVcpuInfo>(arg);
        if (info is null)
        {
            return Errno.Fault;
        }

        if (info->Offset > Frames.Size - sizeof(VcpuInfo) || info->Mfn >= call.Domain.Memory.FrameCount)
        {
            return Errno.Invalid;
        }

        var domain = call.Domain;
        lock (domain.Lock)
        {
            var context = domain.Vcpu(vcpu);
            if (context.InfoRegistered)
            {
                return Errno.Invalid;
            }

            var moved = (VcpuInfo*)(domain.Memory.Base + Frames.Address(info->Mfn) + info->Offset);
            if (context.Info is not null)
            {
                *moved = *context.Info;
            }

            context.Info = moved;
            context.InfoRegistered = true;

            // As Xen does: mark everything pending so that nothing set in the old place is lost.
            moved->EvtchnUpcallPending = 1;
            Interlocked.Exchange(ref moved->EvtchnPendingSel, ulong.MaxValue);
            domain.RaiseCallback(vcpu);
        }

        return 0;
    }
}
