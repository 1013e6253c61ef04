namespace Xen.Simulator.Tests.Support;

/// <summary>A Xen with dom0 and one guest, both with hypercall pages, disposed after the test.</summary>
public sealed class Simulation : IDisposable
{
    public Simulation(SimulatedXenOptions? options = null, DomainConfiguration? guest = null)
    {
        Xen = new SimulatedXen(options);
        Dom0 = new Guest(Xen.Dom0);
        DomU = new Guest(Xen.CreateDomain(guest ?? new DomainConfiguration { Vcpus = 2 }));
    }

    public SimulatedXen Xen { get; }

    public Guest Dom0 { get; }

    public Guest DomU { get; }

    public void Dispose() => Xen.Dispose();
}
