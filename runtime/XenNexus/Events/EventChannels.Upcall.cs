using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
        Volatile.Write(ref slots[vcpu].Thread, Environment.CurrentManagedThreadId);
        do
        {
            Volatile.Write(ref info->EvtchnUpcallPending, 0);
            Interlocked.MemoryBarrier();
            if (twoLevel is { } direct)
                direct.HandleEvents(vcpu, this);
            else
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
    /// </summary>
    internal void DeliverWord(TwoLevelEventChannels twoLevelAbi, int word, ulong candidates, int vcpu)
    {
        ref var slot = ref slots[vcpu];
        slot.Word = word;
        slot.Skip = 0;
        Volatile.Write(ref slot.Bits, candidates); // ordered before the claim by its locked instruction
        var claimed = twoLevelAbi.ClaimWord(word, candidates);
        // The word's state, located once per visit. word < 64 (a selector bit): in range of every 2-level bitmap here.
        ref var boundWord = ref bound.WordRef(word);
        ref var userMaskedWord = ref userMasked.WordRef(word);
        ref var pendingWord = ref twoLevelAbi.PendingWordRef(word);
        ref var wordHandlers = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(handlers), word * WordBits);
        try
        {
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
                // The port from the slot's word rather than a local: one value fewer live across the handler call,
                // so the slot, pending word and handlers stay in registers.
                Unsafe.Add(ref wordHandlers, bit)?.Invoke((uint)(slot.Word * WordBits) + (uint)bit, vcpu);
            }
        }
        finally
        {
            // A user's Mask or Close (also by a handler of this word) keeps its port masked; the rest are unmasked.
            // After a handler's exception the ports not yet served are unmasked too: still pending, they come again.
            var release = claimed & Volatile.Read(ref boundWord) & ~Volatile.Read(ref userMaskedWord);
            if (!enabled)
                release &= early.Word(word);
            if (release != 0)
                twoLevelAbi.UnmaskWord(word, release, vcpu);
            Volatile.Write(ref slot.Bits, 0);
        }
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
