namespace Xen.Drivers.Disk.Tests;

/// <summary>
/// A simulated Xen with dom0 serving vbds with <see cref="BlkbackDevice"/> on a temporary file, and one guest whose
/// nexus probes them with <see cref="XbfDriver"/>.
/// </summary>
public sealed class DiskBed : IAsyncDisposable
{
    private readonly List<string> log = new();

    public DiskBed(long bytes = 8 << 20, BlkbackOptions? backend = null, XbfOptions? frontend = null)
    {
        ImagePath = Path.Combine(Path.GetTempPath(), $"xbf-{Guid.NewGuid():n}.img");
        using (var image = File.Create(ImagePath)) image.SetLength(bytes);
        Backend = backend ?? new BlkbackOptions();
        Driver = new XbfDriver(frontend);
        Xen = new SimulatedXen(new SimulatedXenOptions { Dom0MemoryFrames = 16384 });
        Dom0 = new SimulatedDom0(Xen, Record);
        Dom0.Toolstack.ServeWith("vbd", async request => await BlkbackDevice.StartAsync(request.Services, request.Backend, Backend));
        Domain = Dom0.Toolstack.CreateGuestAsync("guest", new DomainConfiguration { Vcpus = 2, MemoryFrames = 16384 }).GetAwaiter().GetResult();
    }

    public string ImagePath { get; }

    public BlkbackOptions Backend { get; }

    public XbfDriver Driver { get; }

    public SimulatedXen Xen { get; }

    public SimulatedDom0 Dom0 { get; }

    public SimulatedDomain Domain { get; }

    public XenNexus? Nexus { get; private set; }

    public XenbusPhases? Phases { get; private set; }

    /// <summary>Adds the disk (unless <paramref name="withDisk"/> is false: a later add is a hotplug) and boots the guest.</summary>
    public async Task BootAsync(bool withDisk = true)
    {
        if (withDisk) await AddDiskAsync();
        var options = new NexusOptions { Log = Record };
        Phases = XenbusPhases.AddTo(options, [Driver]);
        Nexus = await Task.Run(() => XenNexus.Attach(Domain.Guest, options));
    }

    /// <summary>Adds the guest's first disk.</summary>
    public Task AddDiskAsync() => Dom0.Toolstack.AddDeviceAsync(Domain.DomainId, DeviceSpec.Disk(0, ImagePath));

    /// <summary>Adds the disk, boots the guest and waits for xbf0 to connect.</summary>
    public async Task<XbfDisk> StartAsync()
    {
        await BootAsync();
        return await WaitForDiskAsync();
    }

    /// <summary>Waits (bounded) for xbf0 to connect.</summary>
    public async Task<XbfDisk> WaitForDiskAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            return await Driver.WaitForDiskAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("xbf0 did not connect:\n" + string.Join('\n', Lines()));
        }
    }

    /// <summary>The backend serving the guest's first disk.</summary>
    public BlkbackDevice BackendDevice
        => (BlkbackDevice)Dom0.Toolstack.BackendAt(DevicePaths.Backend(Domain.DomainId, DeviceSpec.Disk(0, ImagePath)))!;

    /// <summary>The guest's first disk's frontend directory.</summary>
    public string FrontendPath => DevicePaths.Frontend(Domain.DomainId, DeviceSpec.Disk(0, ImagePath));

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
            if (Lines().FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line) return line;
            await Task.Delay(20);
        }
        throw new TimeoutException($"no log line with \"{text}\" in:\n{string.Join('\n', Lines())}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Domain.IsShutDown) Nexus?.Abandon();
            else Nexus?.Dispose();
        }
        catch (Exception) { }
        try { await Dom0.Toolstack.DestroyGuestAsync(Domain.DomainId).WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (Exception) { }
        Dom0.Dispose();
        Xen.Dispose();
        File.Delete(ImagePath);
    }
}
