using Xen.Services;

namespace Xen.Drivers.Xnf;

/// <summary>
/// One queue: a tx and an rx ring with their buffers and the event channel(s) to the backend (one for both, or one
/// each with <c>feature-split-event-channels</c>).
/// </summary>
internal sealed class XnfQueue : IDisposable
{
    private readonly IEventChannelService events;
    private readonly bool split;

    public XnfQueue(XnfInterface owner, XenDomainServices services, ushort backend, int index, bool split)
    {
        events = services.EventChannels;
        this.split = split;
        Index = index;
        Tx = new XnfTxQueue(owner, services.Grants, backend);
        try
        {
            Rx = new XnfRxQueue(owner, services.Grants, backend, $"{owner.Name} q{index}");
            if (split)
            {
                Tx.Port = events.AllocUnbound(backend, _ => Tx.OnEvent());
                Rx.Port = events.AllocUnbound(backend, _ => Rx.OnEvent());
            }
            else
            {
                Tx.Port = Rx.Port = events.AllocUnbound(backend, _ =>
                {
                    Tx.OnEvent();
                    Rx.OnEvent();
                });
            }
        }
        catch
        {
            Rx?.Dispose();
            Tx.Dispose();
            throw;
        }
    }

    public int Index { get; }

    public XnfTxQueue Tx { get; }

    public XnfRxQueue Rx { get; }

    public bool Split => split;

    public void Dispose()
    {
        ClosePort(Tx.Port);
        if (split) ClosePort(Rx.Port);
        Rx.Dispose();
        Tx.Dispose();
    }

    private void ClosePort(uint port)
    {
        try
        {
            events.Close(port);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Closing on teardown: the port may already be gone with the domain.
        }
    }
}
