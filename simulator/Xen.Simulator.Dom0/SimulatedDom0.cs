using Xen.Nexus.Init;
using Xen.Nexus.Services;
using Xen.Services;

namespace Xen.Simulator.Dom0;

/// <summary>
/// dom0 of a <see cref="SimulatedXen"/>: a nexus attached to dom0's own machine (hypercall page, event channels,
/// grant table), our <see cref="XenStoreServer"/> serving each introduced guest on its store ring and event channel,
/// dom0's own store connection, and the <see cref="Toolstack"/>.
/// </summary>
public sealed class SimulatedDom0 : IDisposable
{
    private readonly Dom0StoreConnection connection;
    private readonly GuestStoreConnector connector;

    /// <summary>
    /// Boots dom0's side on <paramref name="xen"/>; <paramref name="log"/> gets dom0's lines; dom0's nexus takes the
    /// event channel ABI <paramref name="eventChannels"/> (by default FIFO when Xen offers it, as Linux does).
    /// </summary>
    public SimulatedDom0(SimulatedXen xen, Action<string>? log = null, global::Xen.Nexus.Events.EventChannelAbiKind eventChannels = global::Xen.Nexus.Events.EventChannelAbiKind.Auto)
    {
        Xen = xen;
        Log = log ?? (_ => { });
        Nexus = XenNexus.Attach(xen.Dom0.Guest, new NexusOptions { DeviceName = "xen0(dom0)", EventChannelAbi = eventChannels });
        connector = new GuestStoreConnector(xen, Nexus.EventChannels!, Log);
        Server = new XenStoreServer { DomainConnector = connector.Connect, Log = line => Log("xenstored: " + line) };
        connection = new Dom0StoreConnection(Server);
        Consoles = new ConsoleDaemon(xen, Nexus.EventChannels!);
        Toolstack = new Toolstack(this);
        Services = NexusServices.Create(Nexus, 0, connection.Client);
        Network = new NetworkBackends(this);
        Toolstack.ServeWith("vif", Network.StartAsync);
    }

    /// <summary>xenconsoled: the guests' console lines.</summary>
    public ConsoleDaemon Consoles { get; }

    /// <summary>The network backends serving the guests' vifs.</summary>
    public NetworkBackends Network { get; }

    /// <summary>dom0's services for backends: its store connection, event channels, grant mapping and copying.</summary>
    public XenDomainServices Services { get; }

    /// <summary>The hypervisor.</summary>
    public SimulatedXen Xen { get; }

    /// <summary>dom0's nexus (its event channels bind the guests' store ports).</summary>
    public XenNexus Nexus { get; }

    /// <summary>xenstored: one server for the rings and any unix socket.</summary>
    public XenStoreServer Server { get; }

    /// <summary>dom0's own client of the store.</summary>
    public XenStoreClient Store => connection.Client;

    /// <summary>The toolstack.</summary>
    public Toolstack Toolstack { get; }

    internal Action<string> Log { get; }

    /// <summary>Stops the backends and serving the guests' rings (they read guest pages Xen unmaps next), then closes dom0's connection and its nexus.</summary>
    public void Dispose()
    {
        Network.StopAll();
        Consoles.Dispose();
        connector.Dispose();
        connection.Dispose();
        (Services.ForeignMemory as IDisposable)?.Dispose();
        Nexus.Dispose();
    }
}
