using Xen.Abi.Hvm;
using Xen.Nexus.Hypercalls;
using Xen.Nexus.Init;
using Xen.Nexus.Platform;
using Xen.XenStore.Client;
using Xen.XenStore.Client.Transports;

namespace Xen.Nexus.Store;

/// <summary>
/// The <see cref="NexusPhase.XenStore"/> step (OpenBSD's xs_attach): the store page and port from
/// <c>HVM_PARAM_STORE_PFN</c> and <c>HVM_PARAM_STORE_EVTCHN</c>, a <see cref="XenStoreClient"/> over an
/// <see cref="XsRingTransport"/> on that page, notified through the nexus's event channel, then our name and domain
/// id read over the ring.
/// </summary>
public sealed unsafe class XenStoreStep : INexusInitStep, IAbandonableStep
{
    private XsRingTransport? transport;
    private XenStoreClient? client;
    private uint? adopted;
    private Timer? coldPoll;

    /// <summary>How long a store request during attach may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The connection, after <see cref="Attach"/>.</summary>
    public NexusStore? Store { get; private set; }

    /// <inheritdoc/>
    public string Name => "xenstore";

    /// <inheritdoc/>
    public void Attach(XenNexus nexus)
    {
        var events = nexus.EventChannels ?? throw new InvalidOperationException("xenstore before the event channels step");
        try
        {
            var gfn = GetParam(nexus, (uint)Params.HvmParamStorePfn);
            var port = (uint)GetParam(nexus, (uint)Params.HvmParamStoreEvtchn);
            // Port 0 is never allocated, so an unset HVM_PARAM_STORE_EVTCHN is 0 (gfn 0 is a valid frame).
            if (port == 0)
                throw new InvalidOperationException($"no store (HVM_PARAM_STORE_EVTCHN 0, HVM_PARAM_STORE_PFN 0x{gfn:x})");
            var page = (Xen.Abi.Io.XenstoreDomainInterface*)nexus.Hypervisor.Memory.Map(XenPage.Address(gfn), XenPage.Size);
            transport = new XsRingTransport(page, () => events.Send(port), name: $"store ring at gfn 0x{gfn:x}");
            var ring = transport;
            adopted = events.Adopt(port, (_, _) => ring.Notify());
            // Until the unmask phase the port stays masked: like OpenBSD's xs_poll while cold, look at the ring
            // every millisecond; once the nexus unmasks, the port's handler alone wakes the ring.
            coldPoll = new Timer(_ =>
            {
                if (events.Enabled) coldPoll?.Dispose();
                else ring.Notify();
            }, null, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1));
            client = new XenStoreClient(transport);
            using var cancel = new CancellationTokenSource(Timeout);
            var domid = uint.Parse(client.ReadStringAsync("domid", cancel.Token).GetAwaiter().GetResult(), System.Globalization.CultureInfo.InvariantCulture);
            var name = client.ReadStringAsync("name", cancel.Token).GetAwaiter().GetResult();
            Store = new NexusStore(client, gfn, port, domid, name);
            nexus.Log($"xenstore0 at {nexus.Options.DeviceName}: gfn 0x{gfn:x} port {port}, domain {domid} \"{name}\"");
        }
        catch
        {
            Detach(nexus);
            throw;
        }
    }

    /// <inheritdoc/>
    public void Abandon(XenNexus nexus)
    {
        coldPoll?.Dispose();
        coldPoll = null;
        client?.Dispose();
        client = null;
        transport?.Dispose();
        transport = null;
        adopted = null;
        Store = null;
    }

    /// <inheritdoc/>
    public void Detach(XenNexus nexus)
    {
        var port = adopted;
        Abandon(nexus);
        if (port is { } adoptedPort && nexus.EventChannels is { } events)
        {
            // The port is the toolstack's: masked, not closed, so a later attach can adopt it again.
            try { events.Mask(adoptedPort); } catch (ArgumentException) { }
        }
    }

    private static ulong GetParam(XenNexus nexus, uint index)
    {
        using var arg = nexus.Hypercalls.Prepare<XenHvmParam>();
        arg.Value.Domid = (ushort)XenH.DomidSelf;
        arg.Value.Index = index;
        arg.Call(XenOperations.HvmopGetParam);
        return arg.Value.Value;
    }
}
