namespace Xen.Simulator.Hypercalls;

/// <summary>__HYPERVISOR_sched_op: SCHEDOP_yield, SCHEDOP_shutdown (the reason recorded; the domain stops).</summary>
internal static unsafe class SchedOp
{
    internal static long Handle(HypercallContext call, ulong cmd, ulong arg)
    {
        switch (cmd)
        {
            case Sched.SchedopYield:
                Thread.Yield();
                return 0;

            case Sched.SchedopShutdown:
                var shutdown = call.Memory.Pointer<SchedShutdown>(arg);
                if (shutdown is null)
                {
                    return Errno.Fault;
                }

                call.Domain.RecordShutdown(new ShutdownRecord(shutdown->Reason, call.Vcpu));
                return 0;

            default:
                return Errno.NoSys;
        }
    }
}
