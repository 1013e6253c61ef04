namespace Xen.Simulator.Events;

/// <summary>
/// The 2-level ABI (Xen's event_2l.c): pending and mask bitmaps in shared_info, one selector bit per word of them in
/// the notified vCPU's vcpu_info, then evtchn_upcall_pending and the callback vector. Every update is a locked bit
/// operation on the shared words, since the guest clears them concurrently.
/// </summary>
internal sealed unsafe class TwoLevelEventChannels : IEventChannelAbi
{
    private const uint BitsPerWord = 64;
    private readonly SimulatedDomain _domain;

    internal TwoLevelEventChannels(SimulatedDomain domain) => _domain = domain;

    /// <inheritdoc/>
    public uint MaxPorts => (uint)Evtchn.Evtchn2lNrChannels;

    private ulong* Pending => _domain.SharedInfo->EvtchnPending;

    private ulong* Mask => _domain.SharedInfo->EvtchnMask;

    /// <inheritdoc/>
    public void SetPending(EventChannel channel)
    {
        var port = channel.Port;
        if (AtomicBits.TestAndSet(Pending, port))
        {
            return;
        }

        if (!AtomicBits.Test(Mask, port))
        {
            SetSelectorAndNotify(channel);
        }
    }

    /// <inheritdoc/>
    public void ClearPending(EventChannel channel) => AtomicBits.TestAndClear(Pending, channel.Port);

    /// <inheritdoc/>
    public void Unmask(EventChannel channel)
    {
        var port = channel.Port;
        if (AtomicBits.TestAndClear(Mask, port) && AtomicBits.Test(Pending, port))
        {
            SetSelectorAndNotify(channel);
        }
    }

    /// <inheritdoc/>
    public bool IsPending(EventChannel channel) => AtomicBits.Test(Pending, channel.Port);

    /// <inheritdoc/>
    public bool IsMasked(EventChannel channel) => AtomicBits.Test(Mask, channel.Port);

    private void SetSelectorAndNotify(EventChannel channel)
    {
        var info = _domain.Vcpu(channel.NotifyVcpu).Info;
        if (info is null)
        {
            return;
        }

        if (!AtomicBits.TestAndSet(&info->EvtchnPendingSel, channel.Port / BitsPerWord))
        {
            _domain.MarkEventsPending(channel.NotifyVcpu);
        }
    }
}
