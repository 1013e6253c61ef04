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
    public void ClearPending(uint port)
    {
        var (word, bit) = Split(port);
        Interlocked.And(ref pending[word], ~bit);
    }

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

    public void Unmask(uint port, int upcallVcpu)
    {
        var (word, bit) = Split(port);
        // In the upcall of the port's own vCPU, with nothing pending, the bit is cleared here; if Xen set it pending
        // meanwhile, the selector and upcall_pending are raised here too, and the upcall's loop serves the port.
        if (upcallVcpu >= 0 && Volatile.Read(ref portVcpu[port]) == upcallVcpu && (Volatile.Read(ref pending[word]) & bit) == 0)
        {
            Interlocked.And(ref mask[word], ~bit);
            if ((Volatile.Read(ref pending[word]) & bit) != 0)
            {
                var info = vcpuInfos[upcallVcpu];
                Interlocked.Or(ref info->EvtchnPendingSel, 1UL << word);
                Volatile.Write(ref info->EvtchnUpcallPending, 1);
            }
            return;
        }
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
        var word = nextWord[vcpu];
        var bit = nextBit[vcpu];
        var ports = vcpuPorts.AsSpan(vcpu * words, words);
        while (selector != 0)
        {
            // The first word with news at or after the current one, wrapping; a new word is scanned from bit 0.
            var found = (word + BitOperations.TrailingZeroCount(BitOperations.RotateRight(selector, word))) % WordBits;
            if (found != word)
            {
                word = found;
                bit = 0;
            }
            var active = Volatile.Read(ref pending[word]) & ~Volatile.Read(ref mask[word]) & Volatile.Read(ref ports[word]);
            var ahead = bit < WordBits ? active & (ulong.MaxValue << bit) : 0;
            if (ahead == 0)
            {
                if (bit == 0 || active == 0)
                    selector &= ~(1UL << word); // nothing left in this word
                word = (word + 1) % WordBits; // ports behind the resume point wait for the other words' turn
                bit = 0;
                continue;
            }
            var served = BitOperations.TrailingZeroCount(ahead);
            bit = served + 1;
            nextWord[vcpu] = bit == WordBits ? (word + 1) % WordBits : word;
            nextBit[vcpu] = bit % WordBits;
            channels.Deliver((uint)((word * WordBits) + served), vcpu);
        }
    }

    public void Dispose()
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Word, ulong Bit) Split(uint port) => ((int)(port / WordBits), 1UL << (int)(port % WordBits));
}
