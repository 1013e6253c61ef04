using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xen.Abi;

namespace Xen.Nexus.Events;

public sealed unsafe partial class EventChannels
{
    private const int WordBits = sizeof(ulong) * 8;

    /// <summary>Whether <paramref name="port"/> is pending (set by Xen, not yet served).</summary>
    public bool IsPending(uint port) => abi.IsPending(CheckBound(port));

    /// <summary>
    /// The upcall: the callback vector's interrupt handler on <paramref name="vcpu"/>. Clears
    /// <c>evtchn_upcall_pending</c>, serves pending ports, and repeats while Xen set it again meanwhile.
    /// </summary>
    public void Upcall(int vcpu)
    {
        var info = vcpuInfos[vcpu];
        ref var slot = ref slots[vcpu];
        Volatile.Write(ref slot.Thread, Environment.CurrentManagedThreadId);
        if (twoLevel is not { } direct)
        {
            UpcallThroughAbi(info, vcpu);
            return;
        }
        // The 2-level scan is inlined here (no call per pass, no finally funclet; one call per word visit): the only
        // exception handling of the path is this catch, which restores what a throwing handler left.
        try
        {
            do
            {
                Volatile.Write(ref info->EvtchnUpcallPending, 0);
                Interlocked.MemoryBarrier();
                direct.HandleEvents(vcpu, this, ref slot);
            }
            while (Volatile.Read(ref info->EvtchnUpcallPending) != 0);
        }
        catch
        {
            AfterHandlerThrew(direct, vcpu, ref slot);
            throw;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void UpcallThroughAbi(VcpuInfo* info, int vcpu)
    {
        do
        {
            Volatile.Write(ref info->EvtchnUpcallPending, 0);
            Interlocked.MemoryBarrier();
            abi.HandleEvents(vcpu, this);
        }
        while (Volatile.Read(ref info->EvtchnUpcallPending) != 0);
    }

    /// <summary>
    /// Serves the pending, unmasked ports <paramref name="candidates"/> of 2-level word <paramref name="word"/> found
    /// by the scan on <paramref name="vcpu"/>, lowest first. One atomic fetch-or on the word's mask claims them all
    /// (another vCPU that claimed one first keeps it); each claimed port still pending, bound and not masked by a
    /// user has its pending bit cleared alone just before its handler runs; the ports are unmasked together after the
    /// last handler of the word returned (one atomic AND), and the word is raised again if one of them became
    /// pending meanwhile. So a port stays masked from its claim until after its handler, as with one port at a time.
    /// If a handler throws, <see cref="AfterHandlerThrew"/> unmasks the claim (the slot's Bits) instead.
    /// </summary>
    /// <remarks>
    /// A method of its own (the scan calls it once per word with ready ports), so that its port loop has the
    /// callee-saved registers for what lives across a handler call; inlined into the scan, the scan's own state took
    /// them and the loop reloaded three values from the stack after every handler.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void DeliverWord(TwoLevelEventChannels twoLevelAbi, int word, ulong candidates, int vcpu, ref ServingSlot slot)
    {
        slot.Word = word;
        slot.Skip = 0;
        Volatile.Write(ref slot.Bits, candidates); // ordered before the claim by its locked instruction
        var claimed = twoLevelAbi.ClaimWord(word, candidates);
        // The ports another vCPU had claimed are not ours to wait for or to unmask.
        Volatile.Write(ref slot.Bits, claimed);
        // The word's state, located once per visit. word < 64 (a selector bit): in range of every 2-level bitmap here.
        ref var boundWord = ref bound.WordRef(word);
        ref var userMaskedWord = ref userMasked.WordRef(word);
        ref var pendingWord = ref twoLevelAbi.PendingWordRef(word);
        ref var wordHandlers = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(handlers), word * WordBits);
        // Read after the claim: a port another vCPU served between the scan and the claim is no longer pending
        // (only the claimer clears pending), and one masked or closed by another thread before the claim is out.
        // Another thread's Mask or Close after the claim waits for the batch (the port is in the slot's Bits).
        var ready = claimed & Volatile.Read(ref pendingWord) & Volatile.Read(ref boundWord) & ~Volatile.Read(ref userMaskedWord);
        while (ready != 0)
        {
            var bit = BitOperations.TrailingZeroCount(ready);
            ready &= ready - 1;
            // Before each port: masked or closed by an earlier handler of this batch (which noted it in Skip).
            if ((Volatile.Read(ref slot.Skip) & (1UL << bit)) != 0)
                continue;
            Interlocked.And(ref pendingWord, ~(1UL << bit));
            // The port and vCPU from the slot rather than locals: fewer values live across the handler call, so
            // the slot, pending word, handlers and ports left stay in registers.
            Unsafe.Add(ref wordHandlers, bit)?.Invoke((uint)(slot.Word * WordBits) + (uint)bit, slot.Vcpu);
        }
        // The word, the claim and the ABI again from the slot and this (the slot's Bits is the claim, written only by
        // this thread): fewer values live across the handler calls, so the loop's stay in registers.
        ReleaseWord(twoLevel!, slot.Word, slot.Bits, slot.Vcpu);
        Volatile.Write(ref slot.Bits, 0);
    }

    /// <summary>
    /// Unmasks the claimed ports <paramref name="claimed"/> of <paramref name="word"/> after their handlers: a user's
    /// Mask or Close (also by a handler of this word) keeps its port masked; the rest are unmasked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReleaseWord(TwoLevelEventChannels twoLevelAbi, int word, ulong claimed, int vcpu)
    {
        var release = claimed & bound.Word(word) & ~userMasked.Word(word);
        if (!enabled)
            release &= early.Word(word);
        if (release != 0)
            twoLevelAbi.UnmaskWord(word, release, vcpu);
    }

    /// <summary>
    /// A handler threw out of the 2-level upcall: the ports its word visit claimed are unmasked (those not yet served
    /// are still pending and come again), and every word is raised again on the vCPU, so no event of the words not
    /// yet scanned is lost (a raised word with nothing pending costs the next scan one read).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AfterHandlerThrew(TwoLevelEventChannels twoLevelAbi, int vcpu, ref ServingSlot slot)
    {
        var claimed = Volatile.Read(ref slot.Bits);
        if (claimed != 0)
        {
            ReleaseWord(twoLevelAbi, slot.Word, claimed, vcpu);
            Volatile.Write(ref slot.Bits, 0);
        }
        twoLevelAbi.RaiseAll(vcpu);
    }

    /// <summary>
    /// Serves one pending, unmasked port found by the ABI's scan on <paramref name="vcpu"/> (the FIFO ABI): claims
    /// it by setting its mask bit (another vCPU that claimed it first keeps it), clears its pending bit, runs its
    /// handler, and unmasks it unless a user masked it or it was closed meanwhile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Deliver<TDelivery>(TDelivery delivery, uint port, int vcpu)
        where TDelivery : struct, IPortDelivery
    {
        ref var slot = ref slots[vcpu];
        slot.Word = (int)(port / WordBits);
        Volatile.Write(ref slot.Bits, 1UL << (int)(port % WordBits)); // ordered before the claim by its locked instruction
        if (!delivery.TryClaim(port))
        {
            Volatile.Write(ref slot.Bits, 0);
            return;
        }
        var handler = handlers[port];
        if (handler is null || !Deliverable(port))
        {
            // Not ours, or masked by a user: the event stays pending and the port masked until Unmask.
            Volatile.Write(ref slot.Bits, 0);
            return;
        }
        try
        {
            if (delivery.IsPending(port)) // else another vCPU served it between the scan and the claim
            {
                delivery.ClearPending(port);
                handler(port, vcpu);
            }
        }
        finally
        {
            if (Deliverable(port) && (enabled || early.Contains(port)))
                delivery.Unmask(port, vcpu);
            Volatile.Write(ref slot.Bits, 0);
        }
    }

    private bool Deliverable(uint port) => bound.Contains(port) && !userMasked.Contains(port);

    private void WaitWhileServed(uint port, int self)
    {
        var spin = new SpinWait();
        for (var vcpu = 0; vcpu < slots.Length; vcpu++)
        {
            while (slots[vcpu].Holds(port) && Volatile.Read(ref slots[vcpu].Thread) != self)
                spin.SpinOnce();
        }
    }

    /// <summary>
    /// Called by Mask and Close: when this thread's upcall serves <paramref name="port"/>'s word (a handler masks or
    /// closes a port of its own batch), the batch skips the port from now on.
    /// </summary>
    private void SkipInOwnBatch(uint port, int self)
    {
        for (var vcpu = 0; vcpu < slots.Length; vcpu++)
        {
            ref var slot = ref slots[vcpu];
            if (slot.Holds(port) && Volatile.Read(ref slot.Thread) == self)
                slot.Skip |= 1UL << (int)(port % WordBits);
        }
    }

    private bool ServedByThisThread(uint port, int self)
    {
        for (var vcpu = 0; vcpu < slots.Length; vcpu++)
        {
            if (slots[vcpu].Holds(port) && Volatile.Read(ref slots[vcpu].Thread) == self)
                return true;
        }
        return false;
    }
}
