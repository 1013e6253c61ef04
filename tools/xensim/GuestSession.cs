using Xen.Drivers.Blkback;
using Xen.Drivers.Xbf;
using Xen.Drivers.Console;
using Xen.Drivers.Netback;
using Xen.Drivers.Xnf;
using Xen.Nexus.Init;
using Xen.Nexus.Store;
using Xen.Simulator.Dom0;
using Xen.Simulator.Tool.Nbd;
using Xen.XenStore.Server.Transport;

namespace Xen.Simulator.Tool;

/// <summary>
/// One run: the simulated Xen, dom0 (xenstored on the rings and on <c>--store-socket</c>, one server), the guest
/// built by the toolstack with its devices, the guest's nexus booted with the XenStore phases, and the pvbus socket.
/// Stopping asks the guest to power off as <c>xl shutdown</c> does (its devices close, it makes SCHEDOP_shutdown),
/// destroys it and removes the sockets.
/// </summary>
internal sealed class GuestSession : IAsyncDisposable
{
    private readonly TextWriter output;
    private readonly object outputLock = new();
    private SimulatedXen? xen;
    private SimulatedDom0? dom0;
    private SimulatedDomain? domain;
    private XenNexus? nexus;
    private XsUnixSocketServer? storeSocket;
    private PvbusSocketServer? pvbusSocket;
    private NbdServer? nbd;
    private readonly XbfDriver xbf = new();
    private NicBridges? bridges;
    private readonly List<DeviceSpec> devices = new();

    private GuestSession(TextWriter output) => this.output = output;

    public static async Task<GuestSession> StartAsync(RunOptions options, TextWriter output)
    {
        var session = new GuestSession(output);
        try
        {
            await session.BootAsync(options);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private void Print(string line)
    {
        lock (outputLock) output.WriteLine(line);
    }

    private async Task BootAsync(RunOptions options)
    {
        if (options.DomainId is < 1 or > 0x7fef) throw new ArgumentException($"--domid {options.DomainId}: a guest's domid is 1..32751");
        if (options.Vcpus is < 1 or > Xen.Abi.Hvm.HvmInfoTableConstants.HvmMaxVcpus)
            throw new ArgumentException($"--vcpus {options.Vcpus}: a guest has 1..{Xen.Abi.Hvm.HvmInfoTableConstants.HvmMaxVcpus} vCPUs (HVM_MAX_VCPUS)");
        if (options.NbdSocket is not null && options.Disks.Length == 0) throw new ArgumentException("--nbd exports the first --disk: give one");
        // Sparse memfds: the room is for grants (the frontend's bounce pages, dom0's mappings of them).
        xen = new SimulatedXen(new SimulatedXenOptions { Dom0MemoryFrames = 16384 });
        dom0 = new SimulatedDom0(xen, line => { if (!line.StartsWith("xenstored: ", StringComparison.Ordinal)) Print("dom0: " + line); });
        // Guests are numbered from 1: skip to the asked domid with placeholder domains, as a long-running host would have.
        for (var i = 1; i < options.DomainId; i++) xen.CreateDomain(new DomainConfiguration { MemoryFrames = 16 });
        domain = await dom0.Toolstack.CreateGuestAsync(options.Name, new DomainConfiguration { Vcpus = options.Vcpus, MemoryFrames = 16384 });
        dom0.Toolstack.ServeWith("vbd", async request => await BlkbackDevice.StartAsync(request.Services, request.Backend));
        for (var i = 0; i < options.Disks.Length; i++)
            devices.Add(DeviceSpec.Disk(i, options.Disks[i]));
        var nics = options.Nics.Select(NicSpec.Parse).ToArray();
        dom0.Network.Options = new NetbackOptions { Offloads = options.Offload };
        var xnf = new XnfDriver(new XnfOptions { ChecksumOffload = options.Offload, Segmentation = options.Offload, MaxQueues = options.Queues });
        bridges = new NicBridges(nics, Print);
        bridges.Follow(dom0.Network, xnf);
        for (var i = 0; i < nics.Length; i++)
            devices.Add(DeviceSpec.Nic(i, nics[i].ToolstackSpec, domain.DomainId));
        foreach (var device in devices)
            await dom0.Toolstack.AddDeviceAsync(domain.DomainId, device);
        if (options.StoreSocket is { } storePath)
        {
            storeSocket = new XsUnixSocketServer(dom0.Server, storePath);
            storeSocket.Start();
        }
        var console = new ConsoleStep();
        var nexusOptions = new NexusOptions { EventChannelAbi = options.Events, Log = line => { Print(line); console.Console?.WriteLine(line); } };
        nexusOptions.Add(NexusPhase.XenStore, console);
        var phases = XenbusPhases.AddTo(nexusOptions, [xbf, xnf]);
        nexus = await Task.Run(() => XenNexus.Attach(domain.Guest, nexusOptions));
        Print(XensSide(domain));
        if (options.PvbusSocket is { } pvbusPath)
        {
            pvbusSocket = new PvbusSocketServer(phases.Pvbus!, pvbusPath);
            Print($"pvbus0: {pvbusPath} (keys under {phases.Store!.Home})");
        }
        if (storeSocket is not null) Print($"xenstored: {storeSocket.Path}");
        if (options.NbdSocket is { } nbdPath) await ExportAsync(nbdPath);
    }

    /// <summary>What the simulated Xen recorded of the guest's vCPUs and event channel ABI (not what the nexus logged).</summary>
    private static string XensSide(SimulatedDomain domain)
    {
        var abi = domain.UsesFifoEventChannels
            ? $"FIFO event channels (init_control on {domain.FifoControlBlocks} of them)"
            : "2-level event channels";
        return $"xensim: domain {domain.DomainId} on Xen: {domain.VcpuCount} vCPU{(domain.VcpuCount == 1 ? "" : "s")}, vcpu_info registered on {domain.RegisteredVcpuInfos}, {abi}";
    }

    /// <summary>Serves the first disk, once xbf0 is connected, as an NBD export.</summary>
    private async Task ExportAsync(string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        XbfDisk disk;
        try { disk = await xbf.WaitForDiskAsync(timeout.Token); }
        catch (OperationCanceledException) { throw new InvalidOperationException("--nbd: xbf0 did not connect in 30 s"); }
        nbd = new NbdServer(path, disk, disk.Name, Print);
        Print($"nbd0: {path} ({disk.Name}, {disk.SectorCount * 512} bytes)");
    }

    /// <summary>Runs until <paramref name="stop"/> or the guest shuts down by itself.</summary>
    public async Task RunUntilAsync(CancellationToken stop)
    {
        var stopped = Task.Delay(Timeout.Infinite, stop);
        await Task.WhenAny(stopped, domain!.Shutdown);
        await StopExportAsync();
        if (!domain.IsShutDown)
        {
            Print("xensim: stopping: control/shutdown = poweroff");
            await dom0!.Toolstack.RequestShutdownAsync(domain.DomainId, "poweroff");
            await Task.WhenAny(domain.Shutdown, Task.Delay(TimeSpan.FromSeconds(10)));
        }
        Print(domain.IsShutDown
            ? $"xensim: domain {domain.DomainId} shut down ({Xen.Nexus.Control.ShutdownRequests.NameOf(domain.Shutdown.Result.Reason)})"
            : $"xensim: domain {domain.DomainId} did not shut down");
        foreach (var device in devices)
            Print(await DeviceStates.ReportAsync(dom0!.Store, domain.DomainId, device, TimeSpan.FromSeconds(5)));
        foreach (var line in bridges?.Statistics() ?? []) Print(line);
        Print($"xensim: console: {dom0!.Consoles.Lines(domain.DomainId).Count} lines read by dom0");
    }

    private async Task StopExportAsync()
    {
        if (nbd is { } server)
        {
            nbd = null;
            await server.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopExportAsync();
        if (pvbusSocket is not null) await pvbusSocket.DisposeAsync();
        if (dom0 is not null && domain is not null)
        {
            try { await dom0.Toolstack.DestroyGuestAsync(domain.DomainId).WaitAsync(TimeSpan.FromSeconds(5)); }
            catch (Exception e) when (e is not OutOfMemoryException) { Print($"xensim: destroying the guest: {e.Message}"); }
        }
        // The guest's nexus goes before Xen, shut down or not: its XenStore client reads the ring page Xen unmaps.
        try
        {
            if (domain is { IsShutDown: true }) nexus?.Abandon();
            else nexus?.Dispose();
        }
        catch (Exception e) when (e is not OutOfMemoryException) { Print($"xensim: detaching the guest's nexus: {e.Message}"); }
        if (storeSocket is not null) await storeSocket.DisposeAsync();
        dom0?.Dispose();
        bridges?.Dispose();
        xen?.Dispose();
    }
}
