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

    private readonly XenHypercalls hypercalls;
    private readonly VcpuInfoPages vcpuInfos;
    private readonly ulong* pending;
    private readonly ulong* mask;
    private readonly int words;
    private readonly ulong[] vcpuPorts;   // per vCPU, a bitmap of the ports delivered to it (Linux's cpu_evtchn_mask)
    private readonly int[] portVcpu;
    private readonly int[] nextWord;      // per vCPU: where the next scan starts
    private readonly int[] nextBit;

    public TwoLevelEventChannels(XenHypercalls hypercalls, SharedInfo* sharedInfo, VcpuInfoPages vcpuInfos)
    {
        this.hypercalls = hypercalls;
        this.vcpuInfos = vcpuInfos;
        pending = sharedInfo->EvtchnPending;
        mask = sharedInfo->EvtchnMask;
        words = (int)(EventChannel.Evtchn2lNrChannels / WordBits);
        var vcpus = hypercalls.Hypervisor.VcpuCount;
        vcpuPorts = new ulong[vcpus * words];
        portVcpu = new int[MaxPorts];
        Array.Fill(portVcpu, -1);
        nextWord = new int[vcpus];
        nextBit = new int[vcpus];
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
            Interlocked.And(ref vcpuPorts[(old * words) + word], ~bit);
        if (vcpu >= 0)
            Interlocked.Or(ref vcpuPorts[(vcpu * words) + word], bit);
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
        for (var word = 0; word < words; word++)
        {
            Volatile.Write(ref mask[word], ulong.MaxValue);
            Volatile.Write(ref pending[word], 0);
        }
    }

    public void HandleEvents(int vcpu, EventChannels channels)
    {
        var info = vcpuInfos[vcpu];
        var selector = Interlocked.Exchange(ref info->EvtchnPendingSel, 0);
        var startWord = nextWord[vcpu];
        var startBit = nextBit[vcpu];
        var ports = vcpuPorts.AsSpan(vcpu * words, words);
        var word = startWord;
        var firstVisit = true;
        while (selector != 0)
        {
            // The next word with news at or after the current one, wrapping round.
            var later = selector & (ulong.MaxValue << word);
            word = BitOperations.TrailingZeroCount(later != 0 ? later : selector);
            // Read once per visit, as Linux does: what becomes pending meanwhile raises the selector again.
            var bits = Volatile.Read(ref pending[word]) & ~Volatile.Read(ref mask[word]) & ports[word];
            if (word == startWord)
                bits &= firstVisit ? ulong.MaxValue << startBit : (1UL << startBit) - 1; // from the resume point on; on the way round, the part before it
            while (bits != 0)
            {
                var bit = BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                var next = bit + 1;
                nextBit[vcpu] = next % WordBits;
                nextWord[vcpu] = next == WordBits ? (word + 1) % WordBits : word;
                channels.Deliver(new Delivery(this), (uint)((word * WordBits) + bit), vcpu);
            }
            // The start word keeps its selector bit after its first visit (its low part is still to come), unless the
            // scan started at its bit 0, when the first visit saw all of it.
            if (word != startWord || !firstVisit || startBit == 0)
                selector &= ~(1UL << word);
            if (word == startWord)
                firstVisit = false;
            word = (word + 1) % WordBits;
        }
    }

    public void Dispose()
    {
    }

    /// <summary>The port operations of delivery, as direct (inlinable) calls for <see cref="EventChannels.Deliver"/>.</summary>
    internal readonly struct Delivery(TwoLevelEventChannels abi) : IPortDelivery
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryClaim(uint port) => abi.TryClaim(port);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool IsPending(uint port) => abi.IsPending(port);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void ClearPending(uint port) => abi.ClearPending(port);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Unmask(uint port, int vcpu) => abi.Unmask(port, vcpu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Word, ulong Bit) Split(uint port) => ((int)(port / WordBits), 1UL << (int)(port % WordBits));
}
