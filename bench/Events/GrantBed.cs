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

    /// <summary>Grants per timed round: each round is timed alone and a run's time is its median round's times the rounds.</summary>
    public const int Round = 1000;

    /// <summary>C: one call of gnt_loop per round of <see cref="Round"/> grants, timed around the call.</summary>
    public Measure C(long count)
    {
        var rounds = Math.Max(1, count / Round);
        var roundTicks = new long[rounds];
        ulong ended = 0;
        for (long r = 0; r < rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            ended += native.GrantLoop(context, Grantee, (uint)frame, Round);
            long end = Stopwatch.GetTimestamp();
            roundTicks[r] = end - start;
        }
        if ((long)ended != rounds * Round)
            throw new InvalidOperationException($"gnt_loop ended {ended} of {rounds * Round}");
        return new Measure(MedianNanoseconds(roundTicks), rounds * Round, 0);
    }

    /// <summary>C#: GrantAccess then TryEndAccess, <see cref="Round"/> times per round, timed around the round's loop.</summary>
    public Measure CSharp(long count)
    {
        var rounds = Math.Max(1, count / Round);
        var roundTicks = new long[rounds]; // allocated before the allocation count starts
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        long ended = 0;
        for (long r = 0; r < rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (var i = 0; i < Round; i++)
            {
                var gref = grants.GrantAccess(Grantee, frame);
                if (grants.TryEndAccess(gref))
                    ended++;
            }
            long end = Stopwatch.GetTimestamp();
            roundTicks[r] = end - start;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - bytes;
        if (ended != rounds * Round)
            throw new InvalidOperationException($"TryEndAccess ended {ended} of {rounds * Round}");
        return new Measure(MedianNanoseconds(roundTicks), rounds * Round, allocated);
    }

    // The median round stands for every round (as in the event runs): a preemption on the shared machine lands in a
    // few rounds and would swamp a run's total; both sides are reduced alike.
    private static long MedianNanoseconds(long[] roundTicks)
    {
        Array.Sort(roundTicks);
        return (long)(roundTicks[roundTicks.Length / 2] * roundTicks.LongLength * (1e9 / Stopwatch.Frequency));
    }

    public void Dispose()
    {
        native.GrantDestroy(context);
        nexus.Dispose();
        xen.Dispose();
    }
}
