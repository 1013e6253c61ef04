using Xen.Simulator.Events;
using Xen.Simulator.Memory;

namespace Xen.Simulator.Hypercalls;

/// <summary>EVTCHNOP_init_control, EVTCHNOP_expand_array, EVTCHNOP_set_priority: the FIFO ABI's set-up (event_fifo.c).</summary>
internal static unsafe class FifoControlOp
{
    internal static long InitControl(HypercallContext call, EvtchnInitControl* op)
    {
        var domain = call.Domain;
        if (!domain.Xen.Options.OfferFifoEventChannels)
        {
            return Errno.NoSys;
        }

        if (!domain.IsValidVcpu(op->Vcpu))
        {
            return Errno.NoEntry;
        }

        if (op->Offset > Frames.Size - sizeof(EvtchnFifoControlBlock) || (op->Offset & 7) != 0
            || op->ControlGfn >= domain.Memory.FrameCount)
        {
            return Errno.Invalid;
        }

        if (domain.Events.Abi is not FifoEventChannels fifo)
        {
            var pending = domain.Events.All.Where(c => domain.Events.Abi.IsPending(c)).Select(c => c.Port).ToArray();
            fifo = new FifoEventChannels(domain, pending);
            foreach (var channel in domain.Events.All)
            {
                channel.Priority = Events.EventChannel.DefaultPriority;
            }

            domain.Events.Abi = fifo;
        }
        else if (fifo.HasControlBlock((int)op->Vcpu))
        {
            return Errno.Invalid;
        }

        fifo.SetControlBlock((int)op->Vcpu,
            (EvtchnFifoControlBlock*)(domain.Memory.Base + Frames.Address(op->ControlGfn) + op->Offset));
        op->LinkBits = Evtchn.EvtchnFifoLinkBits;
        return 0;
    }

    internal static long ExpandArray(HypercallContext call, EvtchnExpandArray* op)
    {
        var domain = call.Domain;
        if (domain.Events.Abi is not FifoEventChannels fifo)
        {
            return Errno.Of(XenErrno.XenEopnotsupp);
        }

        if (op->ArrayGfn >= domain.Memory.FrameCount)
        {
            return Errno.Invalid;
        }

        return fifo.AddArrayPage(domain.Memory.Base + Frames.Address(op->ArrayGfn));
    }

    internal static long SetPriority(HypercallContext call, EvtchnSetPriority* op)
    {
        var domain = call.Domain;
        if (!domain.Events.IsValid(op->Port))
        {
            return Errno.Invalid;
        }

        if (domain.Events.Abi is not FifoEventChannels)
        {
            return Errno.NoSys;
        }

        if (op->Priority > Evtchn.EvtchnFifoPriorityMin)
        {
            return Errno.Invalid;
        }

        domain.Events[op->Port].Priority = op->Priority;
        return 0;
    }

    /// <summary>evtchn_fifo_destroy on EVTCHNOP_reset: the domain is back on the 2-level ABI.</summary>
    internal static void Destroy(SimulatedDomain domain)
    {
        if (domain.Events.Abi is FifoEventChannels)
        {
            domain.Events.Abi = new TwoLevelEventChannels(domain);
        }
    }
}
