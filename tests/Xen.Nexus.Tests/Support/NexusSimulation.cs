using Xen.Nexus.Events;

namespace Xen.Nexus.Tests.Support;

/// <summary>A simulated Xen with dom0 and one guest; nexuses attached on demand, disposed with the test.</summary>
public sealed class NexusSimulation : IDisposable
{
    public NexusSimulation(bool offerFifo = true, int guestVcpus = 2)
    {
        Xen = new SimulatedXen(new SimulatedXenOptions { OfferFifoEventChannels = offerFifo });
        Guest = Xen.CreateDomain(new DomainConfiguration { Vcpus = guestVcpus, MemoryFrames = 4096 });
        GuestMachine = new AccountingHypervisor(Guest.Guest);
    }

    public SimulatedXen Xen { get; }

    public SimulatedDomain Guest { get; }

    public AccountingHypervisor GuestMachine { get; }

    public List<string> Log { get; } = new();

    public XenNexus AttachGuest(EventChannelAbiKind abi = EventChannelAbiKind.Auto)
        => XenNexus.Attach(GuestMachine, new NexusOptions { EventChannelAbi = abi, Log = line => { lock (Log) Log.Add(line); } });

    public XenNexus AttachDom0(EventChannelAbiKind abi = EventChannelAbiKind.Auto)
        => XenNexus.Attach(Xen.Dom0.Guest, new NexusOptions { DeviceName = "xen0(dom0)", EventChannelAbi = abi });

    public void Dispose() => Xen.Dispose();
}
