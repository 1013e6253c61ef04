using Xen.Linux.Events;
using Xen.XenStore.Server;

namespace Xen.XenStore.Daemon.Dom0;

/// <summary>
/// <c>VIRQ_DOM_EXC</c>: Xen signals dom0 when a domain shuts down, crashes or dies. As C xenstored's
/// <c>domain_cleanup</c>, every introduced domain is then looked up: one that shut down fires <c>@releaseDomain</c>
/// once (so <c>xl</c> destroys it), one that is dying or gone is released (its connection closed, <c>@releaseDomain</c> fired).
/// </summary>
internal sealed class DomainExceptionWatcher : IDisposable
{
    private readonly XenStoreServer server;
    private readonly DomainInfoReader domains;
    private readonly LinuxEventChannelService events;
    private readonly Action<string> log;
    private readonly HashSet<uint> announcedShutdown = [];
    private readonly Lock gate = new();
    private readonly uint port;

    /// <summary>Binds <c>VIRQ_DOM_EXC</c> on <paramref name="events"/>.</summary>
    public DomainExceptionWatcher(XenStoreServer server, DomainInfoReader domains, LinuxEventChannelService events, Action<string> log)
    {
        this.server = server;
        this.domains = domains;
        this.events = events;
        this.log = log;
        port = events.BindVirq((uint)Xen.Abi.Xen.VirqDomExc, _ => CheckDomains());
    }

    /// <summary>Looks at every introduced domain once (the <c>VIRQ_DOM_EXC</c> handler).</summary>
    public void CheckDomains()
    {
        lock (gate)
        {
            bool shutdown = false;
            uint[] introduced = server.IntroducedDomains();
            announcedShutdown.IntersectWith(introduced); // released by the toolstack meanwhile
            foreach (uint id in introduced)
            {
                DomainState? state;
                try
                {
                    state = domains.Get(id);
                }
                catch (Xen.Linux.Devices.XenDeviceException e)
                {
                    log($"domain {id}: {e.Message}");
                    continue;
                }
                if (state is { Dying: false })
                {
                    if (state.Value.Shutdown && announcedShutdown.Add(id)) shutdown = true;
                    continue;
                }
                announcedShutdown.Remove(id);
                log($"domain {id} is {(state is null ? "gone" : "dying")}: releasing it");
                server.ReleaseDomain(id);
            }
            if (shutdown) server.AnnounceDomainShutdown();
        }
    }

    /// <summary>Unbinds the virtual IRQ.</summary>
    public void Dispose()
    {
        try { events.Close(port); } catch (ArgumentException) { }
    }
}
