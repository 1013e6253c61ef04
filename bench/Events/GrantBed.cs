using System.Diagnostics;
using Xen.Abi;
using Xen.Nexus.Init;
using Xen.Nexus.Grants;
using GrantTable = Xen.Nexus.Grants.GrantTable;
using Xen.Nexus.Platform;
using Xen.Simulator;

namespace XenGen.Bench.Events;

/// <summary>
/// A guest whose nexus owns a grant table (the simulator's grant frames placed in its physmap), and evtchn_2l.c's
/// grant context over the same frames as the guest maps them. Nothing is granted between runs, so both sides take
/// the same lowest free reference, write the same entry and end it.
/// </summary>
public sealed unsafe class GrantBed : IDisposable
{
    private const ushort Grantee = 0; // dom0
    private readonly SimulatedXen xen;
    private readonly XenNexus nexus;
    private readonly GrantTable grants;
    private readonly NativeScan native;
    private readonly nint context;
    private readonly ulong frame;

    public GrantBed(NativeScan native)
    {
        this.native = native;
        xen = new SimulatedXen();
        var domain = xen.CreateDomain(new DomainConfiguration { Vcpus = 1, MemoryFrames = 4096 });
        nexus = XenNexus.Attach(domain.Guest);
        grants = nexus.GrantTable!;
        frame = nexus.Hypervisor.Memory.AllocateFrames(1);
        var gfns = grants.FrameGfns;
        var frames = stackalloc GrantEntryV1*[gfns.Length];
        for (var i = 0; i < gfns.Length; i++)
            frames[i] = (GrantEntryV1*)nexus.Hypervisor.Memory.Map(XenPage.Address(gfns[i]), XenPage.Size);
        context = native.GrantCreate(frames, (uint)gfns.Length, (uint)GrantTable.ReferencesPerFrame);
        if (context == 0)
            throw new InvalidOperationException("gnt_create failed");
        Frames = gfns.Length;
    }

    /// <summary>Grant frames in the table.</summary>
    public int Frames { get; }

    /// <summary>C: one call of gnt_loop, timed around the call.</summary>
    public Measure C(long count)
    {
        long start = Stopwatch.GetTimestamp();
        var ended = native.GrantLoop(context, Grantee, (uint)frame, (ulong)count);
        long end = Stopwatch.GetTimestamp();
        if ((long)ended != count)
            throw new InvalidOperationException($"gnt_loop ended {ended} of {count}");
        return new Measure((long)Stopwatch.GetElapsedTime(start, end).TotalNanoseconds, count, 0);
    }

    /// <summary>C#: GrantAccess then TryEndAccess, <paramref name="count"/> times, timed around the loop.</summary>
    public Measure CSharp(long count)
    {
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        long ended = 0;
        for (long i = 0; i < count; i++)
        {
            var gref = grants.GrantAccess(Grantee, frame);
            if (grants.TryEndAccess(gref))
                ended++;
        }
        long end = Stopwatch.GetTimestamp();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - bytes;
        if (ended != count)
            throw new InvalidOperationException($"TryEndAccess ended {ended} of {count}");
        return new Measure((long)Stopwatch.GetElapsedTime(start, end).TotalNanoseconds, count, allocated);
    }

    public void Dispose()
    {
        native.GrantDestroy(context);
        nexus.Dispose();
        xen.Dispose();
    }
}
