namespace Xen.Simulator;

/// <summary>
/// The simulated hypervisor: its domains (dom0, privileged, created with it; guests created by
/// <see cref="CreateDomain"/>) and the options it reports. Xen's shared state between domains (event channel
/// connections, grant mappings) is changed under one lock; what it shares with running guests (shared_info,
/// vcpu_info, grant entries, FIFO words) is changed with interlocked operations, as Xen does.
/// </summary>
public sealed class SimulatedXen : IDisposable
{
    private readonly Dictionary<ushort, SimulatedDomain> _domains = new();
    private ushort _nextDomid = 1;

    /// <summary>Starts Xen with a dom0.</summary>
    public SimulatedXen(SimulatedXenOptions? options = null)
    {
        Options = options ?? new SimulatedXenOptions();
        Dom0 = new SimulatedDomain(this, 0, privileged: true,
            new DomainConfiguration { Vcpus = Options.Dom0Vcpus, MemoryFrames = Options.Dom0MemoryFrames });
        _domains.Add(0, Dom0);
    }

    /// <summary>The time of day Xen booted at: every domain's shared_info wallclock.</summary>
    internal DateTimeOffset BootTime { get; } = DateTimeOffset.UtcNow;

    /// <summary>What this Xen reports and offers.</summary>
    public SimulatedXenOptions Options { get; }

    /// <summary>Domain 0: privileged, the home of backends, xenstored and the toolstack.</summary>
    public SimulatedDomain Dom0 { get; }

    /// <summary>Every live domain.</summary>
    public IReadOnlyCollection<SimulatedDomain> Domains
    {
        get
        {
            lock (Lock)
            {
                return _domains.Values.ToArray();
            }
        }
    }

    internal object Lock { get; } = new();

    /// <summary>Creates an unprivileged domain with the next free domid.</summary>
    public SimulatedDomain CreateDomain(DomainConfiguration? configuration = null)
    {
        lock (Lock)
        {
            var domain = new SimulatedDomain(this, _nextDomid++, privileged: false, configuration ?? new DomainConfiguration());
            _domains.Add(domain.DomainId, domain);
            return domain;
        }
    }

    /// <summary>The live domain <paramref name="domid"/>, or null.</summary>
    public SimulatedDomain? Domain(ushort domid)
    {
        lock (Lock)
        {
            return _domains.GetValueOrDefault(domid);
        }
    }

    /// <summary>Stops every domain's vCPUs and releases their memory.</summary>
    public void Dispose()
    {
        foreach (var domain in Domains)
        {
            domain.Dispose();
        }
    }
}
