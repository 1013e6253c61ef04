using System.Numerics;
using Xen.Abi;
using Xen.Nexus.Hypercalls;
using Xen.Nexus.Platform;

namespace Xen.Nexus.Events;

/// <summary>
/// The FIFO ABI: one <c>evtchn_fifo_control_block</c> per vCPU (<c>EVTCHNOP_init_control</c>), an event array of
/// 32-bit event words grown a page at a time (<c>EVTCHNOP_expand_array</c>) as ports are bound, and 16 queues per
/// vCPU consumed highest priority first, re-reading <c>READY</c> after each event so a higher queue is served as soon
/// as it fills.
/// </summary>
/// <remarks>
/// Xen has no way to undo <c>EVTCHNOP_init_control</c> short of <c>EVTCHNOP_reset</c>, which would also close the
/// toolstack's ports: the control blocks and event array pages stay the hypervisor's for the life of the guest.
/// </remarks>
internal sealed unsafe class FifoEventChannels : IEventChannelAbi
{
    private const uint Pending = 1u << EventChannel.EvtchnFifoPending;
    private const uint Masked = 1u << EventChannel.EvtchnFifoMasked;
    private const uint Linked = 1u << EventChannel.EvtchnFifoLinked;
    private const uint Busy = 1u << EventChannel.EvtchnFifoBusy;
    private const uint LinkMask = EventChannel.EvtchnFifoLinkMask;
    private const int Queues = EventChannel.EvtchnFifoMaxQueues;
    private const int WordsPerPage = XenPage.Size / sizeof(uint); // event_word_t is a uint32_t

    private readonly XenHypercalls hypercalls;
    private readonly EvtchnFifoControlBlock*[] controlBlocks;
    private readonly uint*[] arrayPages = new uint*[EventChannel.EvtchnFifoNrChannels / WordsPerPage];
    private readonly uint[] heads; // per vCPU and queue: the guest's copy of the queue's head
    private readonly object expandLock = new();
    private int pageCount;

    private readonly Action<int> retained;

    private FifoEventChannels(XenHypercalls hypercalls, EvtchnFifoControlBlock*[] controlBlocks, Action<int> retained)
    {
        this.retained = retained;
        this.hypercalls = hypercalls;
        this.controlBlocks = controlBlocks;
        heads = new uint[controlBlocks.Length * Queues];
    }

    /// <summary>Frames handed to Xen for good: control blocks and event array pages.</summary>
    public int RetainedFrames => controlBlocks.Length + Volatile.Read(ref pageCount);

    /// <summary>
    /// Sets up the control block of every vCPU and the first event array page; returns null when Xen does not offer
    /// FIFO (<c>EVTCHNOP_init_control</c> on vCPU 0 fails with <c>XEN_ENOSYS</c>).
    /// </summary>
    /// <exception cref="XenHypercallException">Another failure.</exception>
    public static FifoEventChannels? TryInitialise(XenHypercalls hypercalls, bool required, Action<int> retained)
    {
        var hv = hypercalls.Hypervisor;
        var blocks = new EvtchnFifoControlBlock*[hv.VcpuCount];
        for (var vcpu = 0; vcpu < blocks.Length; vcpu++)
        {
            var gfn = hv.Memory.AllocateFrames(1);
            try
            {
                using var arg = hypercalls.Prepare<EvtchnInitControl>();
                arg.Value.ControlGfn = gfn;
                arg.Value.Offset = 0;
                arg.Value.Vcpu = (uint)vcpu;
                arg.Call(XenOperations.EvtchnopInitControl);
            }
            catch (XenHypercallException e)
            {
                hv.Memory.FreeFrames(gfn, 1); // Xen did not take this frame (earlier vCPUs' blocks stay retained)
                if (vcpu == 0 && e.Errno == XenErrno.XenEnosys && !required)
                    return null;
                throw;
            }
            retained(1);
            blocks[vcpu] = (EvtchnFifoControlBlock*)hv.Memory.Map(XenPage.Address(gfn), XenPage.Size);
        }
        var fifo = new FifoEventChannels(hypercalls, blocks, retained);
        fifo.Expand(1);
        return fifo;
    }

    public EventChannelAbiKind Kind => EventChannelAbiKind.Fifo;

    public int MaxPorts => EventChannel.EvtchnFifoNrChannels;

    public void Setup(uint port)
    {
        if (port >= (uint)MaxPorts)
            throw new ArgumentOutOfRangeException(nameof(port), port, $"beyond the FIFO ABI's {MaxPorts} ports");
        Expand((int)(port / WordsPerPage) + 1);
        Mask(port);
    }

    public void BindToVcpu(uint port, int vcpu)
    {
        // Xen queues an event on its notify vCPU's queues; the guest keeps nothing per vCPU.
    }

    public void Mask(uint port) => Interlocked.Or(ref *Word(port), Masked);

    public bool TryClaim(uint port) => (Interlocked.Or(ref *Word(port), Masked) & Masked) == 0;

    public void ClearPending(uint port) => Interlocked.And(ref *Word(port), ~Pending);

    public bool IsPending(uint port) => (Volatile.Read(ref *Word(port)) & Pending) != 0;

    public bool IsMasked(uint port) => (Volatile.Read(ref *Word(port)) & Masked) != 0;

    public void Unmask(uint port, int upcallVcpu)
    {
        var word = Word(port);
        while (true)
        {
            var seen = Volatile.Read(ref *word);
            if ((seen & Busy) != 0)
                break; // Xen is linking the word: let it clear the mask
            var cleared = seen & ~Masked;
            if (Interlocked.CompareExchange(ref *word, cleared, seen) == seen)
            {
                if ((cleared & Pending) == 0)
                    return;
                break; // pending while masked: it was never linked, Xen links it on EVTCHNOP_unmask
            }
        }
        using var arg = hypercalls.Prepare<EvtchnUnmask>();
        arg.Value.Port = port;
        arg.Call(XenOperations.EvtchnopUnmask);
    }

    public void MaskAll()
    {
        for (var page = 0; page < Volatile.Read(ref pageCount); page++)
            new Span<uint>(arrayPages[page], WordsPerPage).Fill(Masked);
    }

    public void HandleEvents(int vcpu, EventChannels channels)
    {
        var block = controlBlocks[vcpu];
        var ready = Interlocked.Exchange(ref block->Ready, 0);
        while (ready != 0)
        {
            var queue = BitOperations.TrailingZeroCount(ready); // priority 0 is the highest
            ConsumeOne(vcpu, block, queue, ref ready, channels);
            ready |= Interlocked.Exchange(ref block->Ready, 0);
        }
    }

    private void ConsumeOne(int vcpu, EvtchnFifoControlBlock* block, int queue, ref uint ready, EventChannels channels)
    {
        ref var head = ref heads[(vcpu * Queues) + queue];
        var port = head;
        if (port == 0)
            port = Volatile.Read(ref block->Head[queue]); // the tail was reached last time: Xen's head is news
        if (port == 0 || port >= (uint)(Volatile.Read(ref pageCount) * WordsPerPage))
        {
            ready &= ~(1u << queue); // nothing (or nonsense) queued
            head = 0;
            return;
        }
        var word = Word(port);
        uint seen, next;
        do
        {
            seen = Volatile.Read(ref *word);
            next = seen & ~(Linked | LinkMask);
        }
        while (Interlocked.CompareExchange(ref *word, next, seen) != seen);
        head = seen & LinkMask;
        if (head == 0)
            ready &= ~(1u << queue);
        if ((seen & (Pending | Masked)) == Pending)
            channels.Deliver(new Delivery(this), port, vcpu);
    }

    private void Expand(int pages)
    {
        if (Volatile.Read(ref pageCount) >= pages)
            return;
        lock (expandLock)
        {
            var hv = hypercalls.Hypervisor;
            while (pageCount < pages)
            {
                var gfn = hv.Memory.AllocateFrames(1);
                var words = (uint*)hv.Memory.Map(XenPage.Address(gfn), XenPage.Size);
                new Span<uint>(words, WordsPerPage).Fill(Masked); // new ports start masked
                try
                {
                    using var arg = hypercalls.Prepare<EvtchnExpandArray>();
                    arg.Value.ArrayGfn = gfn;
                    arg.Call(XenOperations.EvtchnopExpandArray);
                }
                catch (XenHypercallException)
                {
                    hv.Memory.FreeFrames(gfn, 1);
                    throw;
                }
                retained(1);
                arrayPages[pageCount] = words;
                Volatile.Write(ref pageCount, pageCount + 1);
            }
        }
    }

    /// <summary>The port operations of delivery for <see cref="EventChannels.Deliver"/>.</summary>
    internal readonly struct Delivery(FifoEventChannels abi) : IPortDelivery
    {
        public bool TryClaim(uint port) => abi.TryClaim(port);

        public bool IsPending(uint port) => abi.IsPending(port);

        public void ClearPending(uint port) => abi.ClearPending(port);

        public void Unmask(uint port, int vcpu) => abi.Unmask(port, vcpu);
    }

    private uint* Word(uint port) => arrayPages[port / WordsPerPage] + (port % WordsPerPage);

    public void Dispose()
    {
    }
}
