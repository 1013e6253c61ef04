using System.Diagnostics;
using System.Runtime.CompilerServices;
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

    /// <summary>Grants per timed round: each round is timed alone and a run's time comes from its rounds' times by RoundTimes.</summary>
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
        return new Measure(RoundTimes.Nanoseconds(roundTicks), rounds * Round, 0);
    }

    /// <summary>C#: GrantAccess then TryEndAccess, <see cref="Round"/> times per round (one call of GrantLoop), timed around the call.</summary>
    public Measure CSharp(long count)
    {
        var rounds = Math.Max(1, count / Round);
        var roundTicks = new long[rounds]; // allocated before the allocation count starts
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        long ended = 0;
        for (long r = 0; r < rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            ended += GrantLoop(grants, Grantee, frame, Round);
            long end = Stopwatch.GetTimestamp();
            roundTicks[r] = end - start;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - bytes;
        if (ended != rounds * Round)
            throw new InvalidOperationException($"TryEndAccess ended {ended} of {rounds * Round}");
        return new Measure(RoundTimes.Nanoseconds(roundTicks), rounds * Round, allocated);
    }

    /// <summary>
    /// <paramref name="count"/> grants of <paramref name="gfn"/> to <paramref name="domain"/>, each ended at once; how
    /// many ended. One call per round, as C's gnt_loop is: the loop is a method of its own, so the round's
    /// bookkeeping (timestamps, the round array) does not share its registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long GrantLoop(GrantTable grants, ushort domain, ulong gfn, int count)
    {
        long ended = 0;
        for (var i = 0; i < count; i++)
        {
            var gref = grants.GrantAccess(domain, gfn);
            if (grants.TryEndAccess(gref))
                ended++;
        }
        return ended;
    }

    public void Dispose()
    {
        native.GrantDestroy(context);
        nexus.Dispose();
        xen.Dispose();
    }
}
