using Xen.Drivers.Disk.Tests;
using Xen.Services.Xenbus;

namespace Xen.Drivers.Net.Tests;

/// <summary>
/// A simulated Xen with dom0 (xenstored, toolstack, netback on every vif) and one guest whose nexus probes with
/// <see cref="Xnf"/>; the log of both collected. Disposed after the test.
/// </summary>
public sealed class NetworkOnDom0 : IDisposable
{
    private readonly List<string> log = new();

    public NetworkOnDom0(NetbackOptions? backend = null, XnfOptions? frontend = null)
    {
        Xen = new SimulatedXen();
        Dom0 = new SimulatedDom0(Xen, Record);
        if (backend is not null) Dom0.Network.Options = backend;
        Domain = Dom0.Toolstack.CreateGuestAsync("guest", new DomainConfiguration { Vcpus = 2, MemoryFrames = 8192 }).GetAwaiter().GetResult();
        Xnf = new XnfDriver(frontend);
        var options = new NexusOptions { Log = line => { Record(line); Console.Console?.WriteLine(line); } };
        options.Add(NexusPhase.XenStore, Console);
        XenbusPhases.AddTo(options, [Xnf]);
        Nexus = XenNexus.Attach(Domain.Guest, options);
    }

    public SimulatedXen Xen { get; }

    public SimulatedDom0 Dom0 { get; }

    public SimulatedDomain Domain { get; }

    public XnfDriver Xnf { get; }

    /// <summary>The guest's console step: its log goes out on the console page too.</summary>
    public Xen.Drivers.Console.ConsoleStep Console { get; } = new();

    public XenNexus Nexus { get; }

    public static DeviceSpec Nic(int index = 0) => DeviceSpec.Nic(index, "", 1);

    /// <summary>Adds NIC 0 and waits until both ends are connected.</summary>
    public async Task<(XnfInterface Front, Vif Back)> ConnectAsync()
    {
        await Dom0.Toolstack.AddDeviceAsync(Domain.DomainId, Nic());
        await WaitForLineAsync("xnf0: connected");
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until && Dom0.Network.Devices.FirstOrDefault()?.Vif is null) await Task.Delay(10);
        return (Xnf.Interfaces.Single(), Dom0.Network.Devices.Single().Vif!);
    }

    /// <summary>NIC 0's frontend directory.</summary>
    public string FrontendPath => $"/local/domain/{Domain.DomainId}/device/vif/0";

    /// <summary>NIC 0's backend directory.</summary>
    public string BackendPath => $"/local/domain/0/backend/vif/{Domain.DomainId}/0";

    /// <summary>Where xnf reports NIC 0's errors for the toolstack (xenbus_dev_error's node).</summary>
    public string ErrorNode => $"/local/domain/{Domain.DomainId}/error/device/vif/0/error";

    /// <summary>Waits (bounded) until <paramref name="path"/> exists, and equals <paramref name="expected"/> when given; returns its value.</summary>
    public Task<string> WaitForStoreValueAsync(string path, string? expected = null, int seconds = 15)
        => StoreWait.ForValueAsync(Dom0.Store, path, expected, seconds, Lines);

    public void Record(string line)
    {
        lock (log) log.Add(line);
    }

    public string[] Lines()
    {
        lock (log) return log.ToArray();
    }

    public async Task<string> WaitForLineAsync(string text, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            var line = Lines().FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null) return line;
            await Task.Delay(10);
        }
        throw new TimeoutException($"no log line with \"{text}\" in:\n{string.Join('\n', Lines())}");
    }

    public void Dispose()
    {
        try
        {
            if (Domain.IsShutDown) Nexus.Abandon();
            else Nexus.Dispose();
        }
        catch (Exception) { }
        Dom0.Dispose();
        Xen.Dispose();
    }
}
