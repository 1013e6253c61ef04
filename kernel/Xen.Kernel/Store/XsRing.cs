using System.Runtime.InteropServices;
using Xen.Kernel.Machine;
using Xen.Kernel.Nexus;

namespace Xen.Kernel.Store;

/// <summary>
/// The store page's two byte rings (struct xenstore_domain_interface), as XsRingTransport: requests out on req,
/// replies in on rsp, the peer notified on the store's port after each index update. Indices the peer could not
/// have written (more than a ring apart) end the connection; every wait has a deadline.
/// </summary>
public static unsafe class XsRing
{
    /// <summary>struct xenstore_domain_interface's indices (io/xs_wire.h); the test holds the offsets to Xen.Abi's.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 2076)]
    public struct XenstoreDomainInterface
    {
        [FieldOffset(0)] public byte Req;
        [FieldOffset(1024)] public byte Rsp;
        [FieldOffset(2048)] public uint ReqCons;
        [FieldOffset(2052)] public uint ReqProd;
        [FieldOffset(2056)] public uint RspCons;
        [FieldOffset(2060)] public uint RspProd;
    }

    private const uint Mask = XsNumbers.XenstoreRingSize - 1;

    private static XenstoreDomainInterface* s_ring;

    /// <summary>The store's event channel.</summary>
    public static uint Port { get; private set; }

    /// <summary>Whether the peer broke the protocol (the connection is then not used again).</summary>
    public static bool Broken { get; private set; }

    public static void Attach(ulong page, uint port)
    {
        s_ring = (XenstoreDomainInterface*)page;
        Port = port;
    }

    /// <summary>Writes all <paramref name="length"/> bytes; false when the deadline passed or the ring is broken.</summary>
    public static bool Write(byte* data, uint length, ulong deadline)
    {
        var req = &s_ring->Req;
        while (length > 0)
        {
            if (Broken) return false;
            var cons = s_ring->ReqCons;
            var prod = s_ring->ReqProd;
            Cpu.MemoryBarrier();
            if (prod - cons > XsNumbers.XenstoreRingSize)
                return Fail("req", cons, prod);
            var space = XsNumbers.XenstoreRingSize - (prod - cons);
            if (space == 0)
            {
                if (!Wait(deadline)) return false;
                continue;
            }
            var chunk = Min(Min(length, space), XsNumbers.XenstoreRingSize - (prod & Mask));
            for (uint i = 0; i < chunk; i++)
                req[(prod + i) & Mask] = data[i];
            Cpu.MemoryBarrier();
            s_ring->ReqProd = prod + chunk;
            EventChannels.Send(Port);
            data += chunk;
            length -= chunk;
        }
        return true;
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes; false when the deadline passed or the ring is broken.</summary>
    public static bool Read(byte* data, uint length, ulong deadline)
    {
        var rsp = &s_ring->Rsp;
        while (length > 0)
        {
            if (Broken) return false;
            var cons = s_ring->RspCons;
            var prod = s_ring->RspProd;
            Cpu.MemoryBarrier();
            var available = prod - cons;
            if (available > XsNumbers.XenstoreRingSize)
                return Fail("rsp", cons, prod);
            if (available == 0)
            {
                if (!Wait(deadline)) return false;
                continue;
            }
            var chunk = Min(Min(length, available), XsNumbers.XenstoreRingSize - (cons & Mask));
            for (uint i = 0; i < chunk; i++)
                data[i] = rsp[(cons + i) & Mask];
            Cpu.MemoryBarrier();
            s_ring->RspCons = cons + chunk;
            EventChannels.Send(Port);
            data += chunk;
            length -= chunk;
        }
        return true;
    }

    /// <summary>Whether reply bytes are waiting.</summary>
    public static bool HasReply => s_ring->RspProd != s_ring->RspCons;

    /// <summary>Waits for the port once; false when the deadline has passed.</summary>
    public static bool Wait(ulong deadline)
    {
        if (Clock.Now() >= deadline)
            return false;
        EventChannels.Poll(Port, deadline);
        return true;
    }

    /// <summary>Stops using the connection after a protocol violation above the ring.</summary>
    public static void Drop() => Broken = true;

    private static bool Fail(string ring, uint cons, uint prod)
    {
        Broken = true;
        Log.Write("xenstore0: ");
        Log.Write(ring);
        Log.Write(" ring indices cons ");
        Log.WriteDecimal(cons);
        Log.Write(" prod ");
        Log.WriteDecimal(prod);
        Log.WriteLine(" are more than a ring apart: connection dropped");
        return false;
    }

    private static uint Min(uint a, uint b) => a < b ? a : b;
}
