using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Xen.Abi;
using Xen.Nexus.Hypercalls;
using Xen.Nexus.Platform;

namespace Xen.Nexus.Grants;

/// <summary>
/// The guest's grant table, version 1: grants a frame to a domain, ends access with a compare-and-swap on the
/// entry's flags that fails while the peer has the frame mapped (<c>GTF_reading</c>/<c>GTF_writing</c>), keeps free
/// references on a list, and grows by frames (<c>XENMEM_add_to_physmap</c> of <c>XENMAPSPACE_grant_table</c>) up to
/// Xen's maximum. A grant still mapped is never reused: <see cref="EndAccessDeferred"/> retries it later.
/// </summary>
public sealed unsafe class GrantTable : IDisposable
{
    private static readonly int EntriesPerFrame = XenPage.Size / sizeof(GrantEntryV1);
    private const int InUse = -2; // nextFree's mark of a granted reference (-1 ends the list; a link is an index)

    private readonly XenHypercalls hypercalls;
    private SpinGate gate;
    private readonly GrantEntryV1*[] frames;
    private readonly ulong[] frameGfns;
    private readonly int[] nextFree;           // the free list, linked through the entries' indices; -1 ends it
    private readonly ulong[] deferredGfn;
    private readonly GrantReleased?[] deferredCallback;
    private readonly List<uint> deferred = new();
    private int deferredCount; // deferred.Count, readable without the gate
    private int freeHead = -1;
    private int frameCount;

    internal GrantTable(XenHypercalls hypercalls, int maxFrames)
    {
        this.hypercalls = hypercalls;
        MaxFrames = maxFrames;
        frames = new GrantEntryV1*[maxFrames];
        frameGfns = new ulong[maxFrames];
        nextFree = new int[maxFrames * EntriesPerFrame];
        deferredGfn = new ulong[maxFrames * EntriesPerFrame];
        deferredCallback = new GrantReleased?[maxFrames * EntriesPerFrame];
    }

    /// <summary>Xen's maximum of grant frames for the guest (<c>GNTTABOP_query_size</c>).</summary>
    public int MaxFrames { get; }

    /// <summary>Frames <see cref="Dispose"/> could not take back from Xen and so never freed.</summary>
    public int RetainedFrames { get; private set; }

    /// <summary>Frames in the table now.</summary>
    public int FrameCount => Volatile.Read(ref frameCount);

    /// <summary>Grant references per frame.</summary>
    public static int ReferencesPerFrame => EntriesPerFrame;

    /// <summary>References free now (without growing).</summary>
    /// <remarks>Counted along the free list under the gate (no counter on the grant and end paths): for logs and checks, not a hot path.</remarks>
    public int FreeCount
    {
        get
        {
            using (gate.Hold())
            {
                var count = 0;
                for (var gref = freeHead; gref >= 0; gref = nextFree[gref])
                    count++;
                return count;
            }
        }
    }

    /// <summary>Grants whose end of access waits for the peer to unmap.</summary>
    public int DeferredCount => Volatile.Read(ref deferredCount);

    /// <summary>The frames' guest frame numbers, in table order.</summary>
    public ReadOnlySpan<ulong> FrameGfns => frameGfns.AsSpan(0, FrameCount);

    /// <summary>
    /// Grants <paramref name="domain"/> access to frame <paramref name="gfn"/>: writes frame and domain, then the
    /// flags <c>GTF_permit_access</c> (with <c>GTF_readonly</c>) after a barrier, as Xen requires.
    /// </summary>
    /// <returns>The grant reference to hand to the peer.</returns>
    /// <exception cref="GrantTableFullException">No reference is free and the table cannot grow.</exception>
    /// <exception cref="XenHypercallException">Growing the table failed.</exception>
    public uint GrantAccess(ushort domain, ulong gfn, GrantAccess access = Grants.GrantAccess.ReadWrite)
    {
        if (gfn > uint.MaxValue)
            ThrowFrameTooLarge(gfn);
        var gref = TakeReference();
        var entry = Entry(gref);
        entry->Domid = domain;
        entry->Frame = (uint)gfn;
        var flags = GrantTableH.GtfPermitAccess | (access == Grants.GrantAccess.ReadOnly ? GrantTableH.GtfReadonly : 0);
        Volatile.Write(ref entry->Flags, (ushort)flags); // a release store: Xen sees domid and frame first
        return gref;
    }

    /// <summary>
    /// Ends <paramref name="grantRef"/>'s access if the peer does not have it mapped: a compare-and-swap of the flags to
    /// 0 that fails while <c>GTF_reading</c> or <c>GTF_writing</c> is set. On success the reference is free again.
    /// </summary>
    /// <returns>Whether access ended; if not, the frame is still the peer's and must not be reused.</returns>
    public bool TryEndAccess(uint grantRef)
    {
        CheckGranted(grantRef);
        if (!TryClearFlags(grantRef))
            return false;
        ReturnReference(grantRef);
        return true;
    }

    /// <summary>
    /// Ends access now if it can; else remembers the grant and retries on <see cref="RetryDeferred"/> (also run by
    /// every <see cref="GrantAccess"/>), calling <paramref name="released"/> once the frame is the guest's again.
    /// </summary>
    /// <returns>Whether access ended now (then <paramref name="released"/> has been called).</returns>
    public bool EndAccessDeferred(uint grantRef, GrantReleased? released = null)
    {
        CheckGranted(grantRef);
        var gfn = Entry(grantRef)->Frame;
        if (TryEndAccess(grantRef))
        {
            released?.Invoke(grantRef, gfn);
            return true;
        }
        using (gate.Hold())
        {
            deferredGfn[grantRef] = gfn;
            deferredCallback[grantRef] = released;
            deferred.Add(grantRef);
            Volatile.Write(ref deferredCount, deferred.Count);
        }
        return false;
    }

    /// <summary>Retries every deferred end of access.</summary>
    /// <returns>How many ended now.</returns>
    public int RetryDeferred()
    {
        var ended = 0;
        while (true)
        {
            uint gref = 0;
            ulong gfn = 0;
            GrantReleased? callback = null;
            var found = false;
            using (gate.Hold())
            {
                for (var i = 0; i < deferred.Count; i++)
                {
                    if (!TryClearFlags(deferred[i]))
                        continue;
                    gref = deferred[i];
                    deferred.RemoveAt(i);
                    Volatile.Write(ref deferredCount, deferred.Count);
                    gfn = deferredGfn[gref];
                    callback = deferredCallback[gref];
                    deferredCallback[gref] = null;
                    ReturnReferenceLocked(gref);
                    found = true;
                    break;
                }
            }
            if (!found)
                return ended;
            ended++;
            callback?.Invoke(gref, gfn);
        }
    }

    /// <summary>The entry's flags as Xen sees them now (<c>GTF_*</c>).</summary>
    public ushort FlagsOf(uint grantRef) => Volatile.Read(ref Entry(CheckGranted(grantRef))->Flags);

    /// <summary>Adds one frame; returns false at <see cref="MaxFrames"/>.</summary>
    /// <exception cref="XenHypercallException"><c>XENMEM_add_to_physmap</c> failed (the frame is freed).</exception>
    public bool Grow()
    {
        using (gate.Hold())
            return GrowLocked();
    }

    private bool GrowLocked()
    {
        if (frameCount == MaxFrames)
            return false;
        var memory = hypercalls.Hypervisor.Memory;
        var gfn = memory.AllocateFrames(1);
        try
        {
            using var arg = hypercalls.Prepare<XenAddToPhysmap>();
            arg.Value.Domid = (ushort)XenH.DomidSelf;
            arg.Value.Space = MemoryH.XenmapspaceGrantTable;
            arg.Value.Idx = (ulong)frameCount;
            arg.Value.Gpfn = gfn;
            arg.Call(XenOperations.XenmemAddToPhysmap);
        }
        catch
        {
            memory.FreeFrames(gfn, 1);
            throw;
        }
        var index = frameCount;
        frames[index] = (GrantEntryV1*)memory.Map(XenPage.Address(gfn), XenPage.Size);
        frameGfns[index] = gfn;
        Volatile.Write(ref frameCount, index + 1);
        // New references go on the free list, lowest first; the reserved entries (console, XenStore) never do.
        var first = index * EntriesPerFrame;
        for (var gref = first + EntriesPerFrame - 1; gref >= Math.Max(first, GrantTableH.GnttabNrReservedEntries); gref--)
            PushFree(gref);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint TakeReference()
    {
        if (DeferredCount > 0)
            RetryDeferred();
        // With a free reference the gate is held over a few loads and stores only, none of which throws (the list
        // holds indices of nextFree): no try/finally on this path, which inlines into the caller.
        gate.Enter();
        var gref = freeHead;
        if (gref < 0)
        {
            gate.Exit();
            return TakeReferenceGrowing();
        }
        freeHead = nextFree[gref];
        nextFree[gref] = InUse;
        gate.Exit();
        return (uint)gref;
    }

    /// <summary>No reference was free: grows the table (a hypercall, which may throw) under the gate, then takes one.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint TakeReferenceGrowing()
    {
        using (gate.Hold())
        {
            if (freeHead < 0 && !GrowLocked())
                ThrowFull();
            var gref = freeHead;
            freeHead = nextFree[gref];
            nextFree[gref] = InUse;
                return (uint)gref;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryClearFlags(uint grantRef)
    {
        ref var flags = ref Entry(grantRef)->Flags;
        var seen = Volatile.Read(ref flags);
        while (true)
        {
            if ((seen & (GrantTableH.GtfReading | GrantTableH.GtfWriting)) != 0)
                return false;
            var now = Interlocked.CompareExchange(ref flags, (ushort)0, seen);
            if (now == seen)
                return true;
            seen = now;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReturnReference(uint gref)
    {
        // As in TakeReference: gref passed CheckGranted, so the stores below cannot throw and need no try/finally.
        gate.Enter();
        PushFree((int)gref);
        gate.Exit();
    }

    private void ReturnReferenceLocked(uint gref) => PushFree((int)gref);

    private void PushFree(int gref)
    {
        nextFree[gref] = freeHead;
        freeHead = gref;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint CheckGranted(uint grantRef)
    {
        // Only a reference taken from the free list is marked InUse: one of a frame not yet grown is 0, and Dispose
        // clears the marks, so the one load checks both that the reference is in the table and that it is granted.
        if (grantRef >= (uint)nextFree.Length || Volatile.Read(ref nextFree[grantRef]) != InUse)
            ThrowNotGranted(grantRef);
        return grantRef;
    }

    /// <summary>The entry of <paramref name="gref"/>, a reference below <see cref="FrameCount"/> frames' worth (taken from the free list or checked by <see cref="CheckGranted"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private GrantEntryV1* Entry(uint gref) => frames[gref / EntriesPerFrame] + (gref % EntriesPerFrame);

    // The throws are helpers of their own so that the grant and end paths, inlined, carry no message formatting;
    // not marked NoInlining, so that the JIT sees they only throw and treats their calls as not returning (cold,
    // nothing kept live across them).
    [DoesNotReturn]
    private static void ThrowFrameTooLarge(ulong gfn) =>
        throw new ArgumentOutOfRangeException(nameof(gfn), gfn, "a v1 grant entry holds a 32-bit frame number");

    [DoesNotReturn]
    private void ThrowFull() =>
        throw new GrantTableFullException($"grant table full: {frameCount} of {MaxFrames} frames, {deferred.Count} grants waiting for their peer to unmap");

    [DoesNotReturn]
    private static void ThrowNotGranted(uint grantRef) =>
        throw new ArgumentException($"grant reference {grantRef} is not granted by this table", "grantRef");

    /// <summary>
    /// Removes the frames from the physmap (<c>XENMEM_remove_from_physmap</c>) and frees them; a frame Xen refuses to
    /// remove stays allocated, so it is never reused while Xen still maps it.
    /// </summary>
    public void Dispose()
    {
        using (gate.Hold())
        {
            var memory = hypercalls.Hypervisor.Memory;
            for (var i = frameCount - 1; i >= 0; i--)
            {
                if (PhysmapFrames.TryRemove(hypercalls, frameGfns[i]))
                    memory.FreeFrames(frameGfns[i], 1);
                else
                    RetainedFrames++;
            }
            frameCount = 0;
            Array.Fill(nextFree, -1); // no reference is granted any more
            freeHead = -1;
        }
    }
}
