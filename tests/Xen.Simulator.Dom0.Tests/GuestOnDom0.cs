using Xen.Nexus.Events;

namespace Xen.Simulator.Dom0.Tests;

/// <summary>A simulated Xen with dom0 (xenstored, toolstack) and one guest built by the toolstack, disposed after the test.</summary>
public sealed class GuestOnDom0 : IDisposable
{
    public GuestOnDom0(string name = "guest", EventChannelAbiKind dom0EventChannels = EventChannelAbiKind.Auto)
    {
        Xen = new SimulatedXen();
        Dom0 = new SimulatedDom0(Xen, Record, dom0EventChannels);
        Domain = Dom0.Toolstack.CreateGuestAsync(name, new DomainConfiguration { Vcpus = 2, MemoryFrames = 4096 }).GetAwaiter().GetResult();
    }

    public SimulatedXen Xen { get; }

    public SimulatedDom0 Dom0 { get; }

    public SimulatedDomain Domain { get; }

    public uint DomainId => Domain.DomainId;

    public List<string> Log { get; } = new();

    public XenNexus? Nexus { get; private set; }

    public XenbusPhases? Phases { get; private set; }

    public XenNexus Boot(params IXenbusDriver[] drivers) => Boot(new NexusOptions { Log = Record }, drivers);

    public XenNexus Boot(NexusOptions options, params IXenbusDriver[] drivers) => Boot(Domain.Guest, options, drivers);

    public XenNexus Boot(Xen.Nexus.Platform.IHypervisor machine, NexusOptions options, params IXenbusDriver[] drivers)
    {
        Phases = XenbusPhases.AddTo(options, drivers);
        Nexus = XenNexus.Attach(machine, options);
        return Nexus;
    }

    public void Record(string line)
    {
        lock (Log) Log.Add(line);
    }

    public string[] Lines()
    {
        lock (Log) return Log.ToArray();
    }

    /// <summary>Waits until a log line contains <paramref name="text"/>.</summary>
    public async Task<string> WaitForLineAsync(string text, int seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            var line = Lines().FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null) return line;
            await Task.Delay(20);
        }
        throw new TimeoutException($"no log line with \"{text}\" in:\n{string.Join('\n', Lines())}");
    }

    public void Dispose()
    {
        // The nexus goes first, shut down or not: its XenStore client reads the ring page that Xen.Dispose unmaps.
        try
        {
            if (Domain.IsShutDown) Nexus?.Abandon();
            else Nexus?.Dispose();
        }
        catch (Exception) { }
        Dom0.Dispose();
        Xen.Dispose();
    }
}

/// <summary>A driver for tests: no rings, only counts.</summary>
public sealed class RecordingDriver(string type, string name) : IXenbusDriver
{
    public string Type => type;
    public string Name => name;
    public int Connects;
    public int Disconnects;

    public Task ConnectAsync(XenbusDevice device, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Connects);
        return Task.CompletedTask;
    }

    public Task DisconnectAsync(XenbusDevice device)
    {
        Interlocked.Increment(ref Disconnects);
        return Task.CompletedTask;
    }
}
