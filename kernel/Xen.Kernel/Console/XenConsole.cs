using System.Runtime.InteropServices;
using Xen.Kernel.Machine;
using Xen.Kernel.Nexus;

namespace Xen.Kernel.Console;

/// <summary>
/// The PV console's output ring (struct xencons_interface, io/console.h), which dom0's xenconsoled drains: the log
/// is kept a line at a time and each line copied to <c>out</c> at <c>out_prod</c>, a barrier, <c>out_prod</c>
/// advanced, then the console's port notified. A full ring is waited on for at most <see cref="FullWait"/>; after
/// that a line that does not fit is dropped (and counted) until the reader frees space, so the log never hangs.
/// </summary>
public static unsafe class XenConsole
{
    /// <summary>struct xencons_interface as far as the kernel uses it; the test holds the offsets to Xen.Abi's.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 3088)]
    public struct XenconsInterface
    {
        [FieldOffset(0)] public byte In;
        [FieldOffset(1024)] public byte Out;
        [FieldOffset(3072)] public uint InCons;
        [FieldOffset(3076)] public uint InProd;
        [FieldOffset(3080)] public uint OutCons;
        [FieldOffset(3084)] public uint OutProd;
    }

    /// <summary>The size of <c>out</c> (XENCONS_RING_SIZE of its declaration); the test holds it to Xen.Abi's.</summary>
    public const uint OutSize = 2048;

    /// <summary>How long a line waits for space in a full ring.</summary>
    public const ulong FullWait = Clock.Second;

    /// <summary>The longest line kept; a longer one goes out in pieces.</summary>
    private const uint LineMax = 256;

    private static XenconsInterface* s_ring;
    private static uint s_port;
    private static byte* s_line;
    private static uint s_length;
    private static bool s_flushing;
    private static bool s_stalled;
    private static bool s_broken;

    /// <summary>Bytes not written because the ring stayed full (or its indices were broken).</summary>
    public static uint Dropped { get; private set; }

    /// <summary>Whether the ring takes the log.</summary>
    public static bool Attached => s_ring != null;

    /// <summary>From now on the log's lines go to the ring at <paramref name="page"/> too, notified on <paramref name="port"/>.</summary>
    public static void Attach(ulong page, uint port, byte* lineBuffer)
    {
        s_line = lineBuffer;
        s_port = port;
        s_ring = (XenconsInterface*)page;
    }

    /// <summary>One character of the log; a line is written out at its newline.</summary>
    public static void Write(char c)
    {
        // A report made while a line is being written (a failed notify) stays on the debug port.
        if (s_ring == null || s_flushing)
            return;
        s_line[s_length++] = (byte)c;
        if (c == '\n' || s_length == LineMax)
            Flush();
    }

    private static void Flush()
    {
        s_flushing = true;
        var data = s_line;
        var length = s_length;
        s_length = 0;
        ulong deadline = 0;
        var @out = &s_ring->Out;
        while (length > 0 && !s_broken)
        {
            var cons = s_ring->OutCons;
            var prod = s_ring->OutProd;
            Cpu.MemoryBarrier();
            if (prod - cons > OutSize)
            {
                s_broken = true;
                Report("out ring indices are more than a ring apart: console dropped");
                break;
            }
            var space = OutSize - (prod - cons);
            if (space == 0)
            {
                if (s_stalled)
                    break;
                if (deadline == 0)
                    deadline = Clock.Now() + FullWait;
                else if (Clock.Now() >= deadline)
                {
                    s_stalled = true;
                    Report("out ring full for a second: lines dropped until it drains");
                    break;
                }
                // xenconsoled notifies the port when it has consumed.
                EventChannels.Poll(s_port, deadline);
                continue;
            }
            s_stalled = false;
            var chunk = Min(length, space);
            for (uint i = 0; i < chunk; i++)
                @out[(prod + i) & (OutSize - 1)] = data[i];
            Cpu.MemoryBarrier();
            s_ring->OutProd = prod + chunk;
            EventChannels.Send(s_port);
            data += chunk;
            length -= chunk;
        }
        Dropped += length;
        s_flushing = false;
    }

    /// <summary>A console fault, on the debug port only (the ring is what failed).</summary>
    private static void Report(string what)
    {
        Log.Write("xencons0: ");
        Log.WriteLine(what);
    }

    private static uint Min(uint a, uint b) => a < b ? a : b;
}
