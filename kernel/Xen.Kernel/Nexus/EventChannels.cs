using System.Runtime.InteropServices;
using Xen.Kernel.Machine;

namespace Xen.Kernel.Nexus;

/// <summary>
/// The 2-level event channels in shared info, as EventChannelsStep and TwoLevelEventChannels: vCPU 0's vcpu_info
/// registered on a page of its own (<see cref="VcpuInfoRegistration"/>), every port masked and
/// its pending bit cleared at attach; the upcall's scan takes vCPU 0's selector, then clears each pending, unmasked
/// port one at a time. Waits are SCHEDOP_poll on a port with a deadline, so none is unbounded.
/// </summary>
public static unsafe class EventChannels
{
    /// <summary>The 2-level ABI's port count on x86_64: 64 selector bits times 64 ports.</summary>
    public const uint MaxPorts = SharedInfoLayout.BitsPerWord * SharedInfoLayout.BitsPerWord;

    /// <summary>struct evtchn_send and struct evtchn_unmask (event_channel.h): one port.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 4)]
    public struct EvtchnPortArg
    {
        [FieldOffset(0)] public uint Port;
    }

    /// <summary>struct sched_poll (sched.h); the test holds its layout to Xen.Abi's.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 24)]
    public struct SchedPoll
    {
        [FieldOffset(0)] public ulong Ports;
        [FieldOffset(8)] public uint NrPorts;
        [FieldOffset(16)] public ulong Timeout;
    }

    private static bool s_pollFailed;

    /// <summary>How many pending ports the scans cleared.</summary>
    public static uint Delivered { get; private set; }

    public static void Attach()
    {
        var pending = SharedInfo.EvtchnPending;
        var mask = SharedInfo.EvtchnMask;
        for (var i = 0; i < (int)SharedInfoLayout.BitsPerWord; i++)
        {
            mask[i] = ~0UL;
            pending[i] = 0;
        }
        VcpuInfoRegistration.Register();
        VcpuInfoRegistration.Vcpu0->EvtchnPendingSel = 0;
        Log.Write("xen0: event channels: 2-level ABI, ");
        Log.WriteDecimal(MaxPorts);
        if (VcpuInfoRegistration.Gfn != 0)
        {
            Log.Write(" ports, 1 vCPU, vcpu_info at gfn ");
            Log.WriteHexShort(VcpuInfoRegistration.Gfn);
            Log.WriteLine(", all masked");
        }
        else
        {
            Log.WriteLine(" ports, 1 vCPU, vcpu_info in shared info, all masked");
        }
    }

    /// <summary>The upcall's work (also called directly when there is no vector): clear and count pending ports.</summary>
    public static void Scan()
    {
        var vcpu = VcpuInfoRegistration.Vcpu0;
        vcpu->EvtchnUpcallPending = 0;
        var selector = Cpu.Exchange(&vcpu->EvtchnPendingSel, 0);
        var pending = SharedInfo.EvtchnPending;
        var mask = SharedInfo.EvtchnMask;
        for (uint word = 0; word < SharedInfoLayout.BitsPerWord; word++)
        {
            if ((selector & (1UL << (int)word)) == 0)
                continue;
            var ready = pending[word] & ~mask[word];
            for (uint bit = 0; ready != 0 && bit < SharedInfoLayout.BitsPerWord; bit++)
            {
                if ((ready & (1UL << (int)bit)) == 0)
                    continue;
                ready &= ~(1UL << (int)bit);
                if (Cpu.TestAndClearBit(pending, word * SharedInfoLayout.BitsPerWord + bit))
                    Delivered++;
            }
        }
    }

    /// <summary><c>EVTCHNOP_unmask</c>: Xen clears the mask and, if the port is pending, raises the upcall.</summary>
    public static bool Unmask(uint port) => PortOp(XenNumbers.EvtchnopUnmask, port, "EVTCHNOP_unmask");

    /// <summary><c>EVTCHNOP_send</c>: notifies the port's peer.</summary>
    public static bool Send(uint port) => PortOp(XenNumbers.EvtchnopSend, port, "EVTCHNOP_send");

    /// <summary>
    /// Blocks until <paramref name="port"/> is pending or Xen's clock passes <paramref name="until"/> (ns), then
    /// lets the upcall run; a caller re-checks what it waits for and its own deadline after each return.
    /// </summary>
    public static void Poll(uint port, ulong until)
    {
        var ports = port;
        SchedPoll arg;
        arg.Ports = (ulong)&ports;
        arg.NrPorts = 1;
        arg.Timeout = until;
        var rc = Hypercalls.Call(XenNumbers.HypervisorSchedOp, XenNumbers.SchedopPoll, (ulong)&arg);
        // A refused poll makes the caller's wait a spin until its deadline: named once, not on every turn.
        if (rc != 0 && !s_pollFailed)
            s_pollFailed = Hypercalls.Failed("SCHEDOP_poll", rc);
        if (CallbackVector.Installed)
            Cpu.InterruptWindow();
        else
            Scan();
    }

    private static bool PortOp(uint op, uint port, string name)
    {
        EvtchnPortArg arg;
        arg.Port = port;
        return !Hypercalls.Failed(name, Hypercalls.Call(XenNumbers.HypervisorEventChannelOp, op, (ulong)&arg));
    }
}
