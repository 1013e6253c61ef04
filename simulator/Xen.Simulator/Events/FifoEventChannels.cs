using Xen.Simulator.Memory;

namespace Xen.Simulator.Events;

/// <summary>
/// The FIFO ABI (Xen's event_fifo.c): an event word per port in guest pages the guest adds with
/// EVTCHNOP_expand_array (PENDING, MASKED, LINKED, BUSY and a link), a control block per vCPU with the head of one
/// queue per priority and the READY bits. Setting an unmasked, unlinked event pending links it at the tail of its
/// vCPU's queue for its priority; an empty queue gets it as head, sets READY and notifies the vCPU.
/// </summary>
internal sealed unsafe class FifoEventChannels : IEventChannelAbi
{
    internal static readonly int WordsPerPage = Frames.Size / sizeof(uint);
    internal static readonly int MaxArrayPages = Evtchn.EvtchnFifoNrChannels / WordsPerPage;

    private readonly SimulatedDomain _domain;
    private readonly List<nint> _arrayPages = new();
    private readonly EvtchnFifoControlBlock*[] _controlBlocks;
    private readonly uint[][] _tails;
    private readonly HashSet<uint> _carried;

    internal FifoEventChannels(SimulatedDomain domain, IEnumerable<uint> pendingBefore)
    {
        _domain = domain;
        _controlBlocks = new EvtchnFifoControlBlock*[domain.VcpuCount];
        _tails = new uint[domain.VcpuCount][];
        for (var i = 0; i < _tails.Length; i++)
        {
            _tails[i] = new uint[Evtchn.EvtchnFifoMaxQueues];
        }

        _carried = new HashSet<uint>(pendingBefore);
    }

    /// <inheritdoc/>
    public uint MaxPorts => Evtchn.EvtchnFifoNrChannels;

    /// <summary>How many ports have event words.</summary>
    internal int WordCount => _arrayPages.Count * WordsPerPage;

    internal bool HasControlBlock(int vcpu) => _controlBlocks[vcpu] is not null;

    internal void SetControlBlock(int vcpu, EvtchnFifoControlBlock* block) => _controlBlocks[vcpu] = block;

    /// <summary>Adds a page of event words; events pending since before it existed become pending in it.</summary>
    internal long AddArrayPage(byte* page)
    {
        if (_arrayPages.Count >= MaxArrayPages)
        {
            return Hypercalls.Errno.NoSpace;
        }

        _arrayPages.Add((nint)page);
        foreach (var port in _carried.Where(p => p < WordCount).ToArray())
        {
            _carried.Remove(port);
            if (_domain.Events.IsValid(port))
            {
                SetPending(_domain.Events[port]);
            }
        }

        return 0;
    }

    private uint* Word(uint port) =>
        port < WordCount ? (uint*)_arrayPages[(int)(port / WordsPerPage)] + port % WordsPerPage : null;

    /// <inheritdoc/>
    public void SetPending(EventChannel channel)
    {
        var word = Word(channel.Port);
        if (word is null)
        {
            _carried.Add(channel.Port);
            return;
        }

        AtomicBits.TestAndSet(word, Evtchn.EvtchnFifoPending);
        if (AtomicBits.Test(word, Evtchn.EvtchnFifoMasked) || AtomicBits.Test(word, Evtchn.EvtchnFifoLinked))
        {
            return;
        }

        var vcpu = channel.NotifyVcpu;
        var block = _controlBlocks[vcpu];
        if (block is null)
        {
            return;
        }

        var priority = (int)channel.Priority;
        var linked = false;
        if (!AtomicBits.TestAndSet(word, Evtchn.EvtchnFifoLinked))
        {
            // As Xen: if this event was the queue's tail, the queue is empty and the tail invalid (else it links to itself).
            if (_tails[vcpu][priority] == channel.Port)
            {
                _tails[vcpu][priority] = 0;
            }

            var tail = _tails[vcpu][priority];
            var tailWord = tail != 0 ? Word(tail) : null;
            if (tailWord != null)
            {
                linked = TrySetLink(tailWord, channel.Port);
            }

            if (!linked)
            {
                Volatile.Write(ref block->Head[priority], channel.Port);
            }

            _tails[vcpu][priority] = channel.Port;
        }

        if (!linked && !AtomicBits.TestAndSet(&block->Ready, priority))
        {
            _domain.MarkEventsPending(vcpu);
        }
    }

    /// <summary>Links the tail event to <paramref name="port"/> if the guest has not unlinked it yet (evtchn_fifo_set_link).</summary>
    private static bool TrySetLink(uint* tail, uint port)
    {
        while (true)
        {
            var old = Volatile.Read(ref *tail);
            if ((old & (1U << Evtchn.EvtchnFifoLinked)) == 0)
            {
                return false;
            }

            var updated = (old & ~((1U << Evtchn.EvtchnFifoBusy) | Evtchn.EvtchnFifoLinkMask)) | port;
            if (Interlocked.CompareExchange(ref *tail, updated, old) == old)
            {
                return true;
            }
        }
    }

    /// <inheritdoc/>
    public void ClearPending(EventChannel channel)
    {
        _carried.Remove(channel.Port);
        var word = Word(channel.Port);
        if (word != null)
        {
            AtomicBits.TestAndClear(word, Evtchn.EvtchnFifoPending);
        }
    }

    /// <inheritdoc/>
    public void Unmask(EventChannel channel)
    {
        var word = Word(channel.Port);
        if (word is null)
        {
            return;
        }

        AtomicBits.TestAndClear(word, Evtchn.EvtchnFifoMasked);
        if (AtomicBits.Test(word, Evtchn.EvtchnFifoPending))
        {
            SetPending(channel);
        }
    }

    /// <inheritdoc/>
    public bool IsPending(EventChannel channel)
    {
        var word = Word(channel.Port);
        return word != null ? AtomicBits.Test(word, Evtchn.EvtchnFifoPending) : _carried.Contains(channel.Port);
    }

    /// <inheritdoc/>
    public bool IsMasked(EventChannel channel)
    {
        var word = Word(channel.Port);
        return word == null || AtomicBits.Test(word, Evtchn.EvtchnFifoMasked);
    }
}
