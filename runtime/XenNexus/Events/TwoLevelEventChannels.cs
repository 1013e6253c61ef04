using System.Numerics;
using System.Runtime.CompilerServices;
using Xen.Abi;
using Xen.Nexus.Hypercalls;

namespace Xen.Nexus.Events;

/// <summary>
/// The 2-level ABI: <c>evtchn_pending</c> and <c>evtchn_mask</c> bitmaps in shared info, and each vCPU's
/// <c>evtchn_pending_sel</c> naming the words with news. Pending bits are cleared one port at a time with an atomic
/// bit clear (a whole-word swap would lose the events of masked ports in that word); the scan resumes after the
/// last port it served, so a busy port cannot starve the others.
/// </summary>
internal sealed unsafe class TwoLevelEventChannels : IEventChannelAbi
{
    private const int WordBits = sizeof(ulong) * 8;

    // A constant, so that the scan's wrap-round is a mask and not a division; a 64-bit selector names every word.
    private const int Words = (int)(EventChannel.Evtchn2lNrChannels / WordBits);

    private readonly XenHypercalls hypercalls;
    private readonly VcpuInfoPages vcpuInfos;
    private readonly ulong* pending;
    private readonly ulong* mask;
    private readonly ulong[] vcpuPorts;   // per vCPU, a bitmap of the ports delivered to it (Linux's cpu_evtchn_mask)
    private readonly int[] portVcpu;
    private readonly ResumePoint[] resumePoints; // per vCPU: where the next scan starts

    public TwoLevelEventChannels(XenHypercalls hypercalls, SharedInfo* sharedInfo, VcpuInfoPages vcpuInfos)
    {
        this.hypercalls = hypercalls;
        this.vcpuInfos = vcpuInfos;
        pending = sharedInfo->EvtchnPending;
        mask = sharedInfo->EvtchnMask;
        var vcpus = hypercalls.Hypervisor.VcpuCount;
        vcpuPorts = new ulong[vcpus * Words];
        portVcpu = new int[MaxPorts];
        Array.Fill(portVcpu, -1);
        resumePoints = new ResumePoint[vcpus];
    }

    public EventChannelAbiKind Kind => EventChannelAbiKind.TwoLevel;

    public int MaxPorts => (int)EventChannel.Evtchn2lNrChannels;

    public void Setup(uint port)
    {
        if (port >= (uint)MaxPorts)
            throw new ArgumentOutOfRangeException(nameof(port), port, $"beyond the 2-level ABI's {MaxPorts} ports");
        Mask(port);
    }

    public void BindToVcpu(uint port, int vcpu)
    {
        var (word, bit) = Split(port);
        var old = Interlocked.Exchange(ref portVcpu[port], vcpu);
        if (old >= 0)
            Interlocked.And(ref vcpuPorts[(old * Words) + word], ~bit);
        if (vcpu >= 0)
            Interlocked.Or(ref vcpuPorts[(vcpu * Words) + word], bit);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Mask(uint port)
    {
        var (word, bit) = Split(port);
        Interlocked.Or(ref mask[word], bit);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryClaim(uint port)
    {
        var (word, bit) = Split(port);
        return (Interlocked.Or(ref mask[word], bit) & bit) == 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ClearPending(uint port)
    {
        var (word, bit) = Split(port);
        Interlocked.And(ref pending[word], ~bit);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsPending(uint port)
    {
        var (word, bit) = Split(port);
        return (Volatile.Read(ref pending[word]) & bit) != 0;
    }

    public bool IsMasked(uint port)
    {
        var (word, bit) = Split(port);
        return (Volatile.Read(ref mask[word]) & bit) != 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Unmask(uint port, int upcallVcpu)
    {
        if (!TryUnmaskInUpcall(port, upcallVcpu))
            UnmaskByHypercall(port);
    }

    /// <summary>
    /// In the upcall of the port's own vCPU, with nothing pending, the bit is cleared here; if Xen set it pending
    /// meanwhile, the selector and upcall_pending are raised here too, and the upcall's loop serves the port.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryUnmaskInUpcall(uint port, int upcallVcpu)
    {
        var (word, bit) = Split(port);
        if (upcallVcpu < 0 || portVcpu[port] != upcallVcpu || (Volatile.Read(ref pending[word]) & bit) != 0)
            return false;
        Interlocked.And(ref mask[word], ~bit);
        if ((Volatile.Read(ref pending[word]) & bit) != 0)
            RaiseAgain(word, upcallVcpu);
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RaiseAgain(int word, int upcallVcpu)
    {
        var info = vcpuInfos[upcallVcpu];
        Interlocked.Or(ref info->EvtchnPendingSel, 1UL << word);
        Volatile.Write(ref info->EvtchnUpcallPending, 1);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void UnmaskByHypercall(uint port)
    {
        using var arg = hypercalls.Prepare<EvtchnUnmask>();
        arg.Value.Port = port;
        arg.Call(XenOperations.EvtchnopUnmask); // Xen clears the mask and raises the port again if it is pending
    }

    public void MaskAll()
    {
        for (var word = 0; word < Words; word++)
        {
            Volatile.Write(ref mask[word], ulong.MaxValue);
            Volatile.Write(ref pending[word], 0);
        }
    }

    /// <summary>The ABI's scan for a caller other than the nexus's own upcall (which inlines the scan itself).</summary>
    public void HandleEvents(int vcpu, EventChannels channels) => channels.Upcall(vcpu);

    /// <summary>
    /// The scan of one upcall pass on <paramref name="vcpu"/>: takes the selector with an atomic exchange and hands
    /// each named word's pending, unmasked ports of this vCPU to <paramref name="channels"/>, starting after the port
    /// the last scan served, the start word visited again at the end for its ports before that point.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void HandleEvents(int vcpu, EventChannels channels, ref ServingSlot slot)
    {
        var selector = Interlocked.Exchange(ref vcpuInfos[vcpu]->EvtchnPendingSel, 0);
        ref var resume = ref resumePoints[vcpu];
        var startWord = resume.Word;
        var startBit = resume.Bit;
        ref var ports = ref vcpuPorts[vcpu * Words];
        var word = startWord;
        var firstVisit = true;
        while (selector != 0)
        {
            // The next word with news at or after the current one, wrapping round.
            var later = selector & (ulong.MaxValue << word);
            word = BitOperations.TrailingZeroCount(later != 0 ? later : selector);
            // Read once per visit, as Linux does: what becomes pending meanwhile raises the selector again.
            var bits = Volatile.Read(ref pending[word]) & ~Volatile.Read(ref mask[word]) & Volatile.Read(ref Unsafe.Add(ref ports, word));
            if (word == startWord)
                bits &= firstVisit ? ulong.MaxValue << startBit : (1UL << startBit) - 1; // from the resume point on; on the way round, the part before it
            if (bits != 0)
            {
                // The next scan resumes after the last port of this visit (set first: a handler may throw).
                var next = (WordBits - BitOperations.LeadingZeroCount(bits)) & (WordBits - 1);
                resume.Bit = next;
                resume.Word = next == 0 ? (word + 1) & (Words - 1) : word;
                channels.DeliverWord(this, word, bits, vcpu, ref slot);
            }
            // The start word keeps its selector bit after its first visit (its low part is still to come), unless the
            // scan started at its bit 0, when the first visit saw all of it.
            if (word != startWord || !firstVisit || startBit == 0)
                selector &= ~(1UL << word);
            if (word == startWord)
                firstVisit = false;
            word = (word + 1) & (Words - 1);
        }
    }

    /// <summary>Raises every word on <paramref name="vcpu"/> (selector and <c>evtchn_upcall_pending</c>): after a handler threw, nothing not yet scanned is lost.</summary>
    internal void RaiseAll(int vcpu)
    {
        var info = vcpuInfos[vcpu];
        Interlocked.Or(ref info->EvtchnPendingSel, ulong.MaxValue);
        Volatile.Write(ref info->EvtchnUpcallPending, 1);
    }

    /// <summary>Sets the mask bits <paramref name="bits"/> of <paramref name="word"/> with one atomic fetch-or; returns those this call found clear (now its claim).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ClaimWord(int word, ulong bits) => bits & ~Interlocked.Or(ref mask[word], bits);

    /// <summary>The pending bits of <paramref name="word"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong PendingWord(int word) => Volatile.Read(ref pending[word]);

    /// <summary>
    /// The pending word <paramref name="word"/> itself, for a word visit that clears its ports' bits one at a time
    /// (<c>Interlocked.And</c> on it, one port's bit each).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref ulong PendingWordRef(int word) => ref pending[word];

    /// <summary>
    /// Unmasks the served ports <paramref name="bits"/> of <paramref name="word"/> in the upcall of
    /// <paramref name="upcallVcpu"/>. Those still delivered to it are unmasked with one atomic AND, and if one is
    /// pending the word's selector bit and <c>evtchn_upcall_pending</c> are set again, which the upcall's loop sees
    /// (Linux makes the hypercall for a pending port because its unmask may run outside the upcall; this one cannot).
    /// A port moved to another vCPU meanwhile is unmasked by <c>EVTCHNOP_unmask</c>, so Xen raises it there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void UnmaskWord(int word, ulong bits, int upcallVcpu)
    {
        var local = bits & Volatile.Read(ref vcpuPorts[(upcallVcpu * Words) + word]);
        if (local != 0)
        {
            Interlocked.And(ref mask[word], ~local);
            if ((Volatile.Read(ref pending[word]) & local) != 0)
                RaiseAgain(word, upcallVcpu);
        }
        if (bits != local)
            UnmaskMoved(word, bits & ~local);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void UnmaskMoved(int word, ulong moved)
    {
        for (; moved != 0; moved &= moved - 1)
            UnmaskByHypercall((uint)((word * WordBits) + BitOperations.TrailingZeroCount(moved)));
    }

    public void Dispose()
    {
    }

    /// <summary>Where a vCPU's next scan starts: a word and the bit in it.</summary>
    private struct ResumePoint
    {
        public int Word;
        public int Bit;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Word, ulong Bit) Split(uint port) => ((int)(port / WordBits), 1UL << (int)(port % WordBits));
}
