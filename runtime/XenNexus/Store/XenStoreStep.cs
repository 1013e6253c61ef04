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

    /// <summary>How often the ring is looked at when no callback vector delivers the store's port.</summary>
    public static TimeSpan PollInterval { get; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How long a store request during attach may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether the ring is polled (Xen offers no callback vector) rather than woken by its event channel.</summary>
    public bool Polled { get; private set; }

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
            // With a callback vector the store's port is delivered from here on, before the unmask step, and every
            // change of the ring comes with its event: the client waits for it and never looks at an idle ring.
            var delivered = nexus.CallbackVector is not null;
            transport = new XsRingTransport(page, () => events.Send(port), name: $"store ring at gfn 0x{gfn:x}")
            {
                SafetyPoll = delivered ? System.Threading.Timeout.InfiniteTimeSpan : PollInterval,
            };
            var ring = transport;
            adopted = events.Adopt(port, (_, _) => ring.Notify());
            if (delivered)
                events.UnmaskEarly(port);
            // Without one nothing delivers the port's events, before the unmask step or after it: the ring is looked
            // at every PollInterval instead, as OpenBSD's xs_poll does while cold.
            Polled = !delivered;
            client = new XenStoreClient(transport);
            using var cancel = new CancellationTokenSource(Timeout);
            var domid = uint.Parse(client.ReadStringAsync("domid", cancel.Token).GetAwaiter().GetResult(), System.Globalization.CultureInfo.InvariantCulture);
            var name = client.ReadStringAsync("name", cancel.Token).GetAwaiter().GetResult();
            Store = new NexusStore(client, transport, gfn, port, domid, name);
            nexus.Log($"xenstore0 at {nexus.Options.DeviceName}: gfn 0x{gfn:x} port {port}{(Polled ? " (polled)" : "")}, domain {domid} \"{name}\"");
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
