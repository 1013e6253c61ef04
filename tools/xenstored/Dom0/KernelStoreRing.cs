using Xen.Abi;
using Xen.Abi.Io;
using Xen.Linux.Devices;
using Xen.Linux.Events;
using Xen.XenStore.Server;
using Xen.XenStore.Server.Transport;

namespace Xen.XenStore.Daemon.Dom0;

/// <summary>
/// Dom0's own kernel as a client, as C xenstored serves it: Linux (xenbus in <c>XS_LOCAL</c> mode) allocates the
/// store page and an unbound port for a daemon in its own user space, and xenfs shows them as <c>xsd_kva</c> (an
/// mmap of that page) and <c>xsd_port</c>. The daemon binds the port interdomain to dom0 and serves the page.
/// </summary>
internal sealed unsafe class KernelStoreRing : IDisposable
{
    /// <summary>Where the page is looked for, in order.</summary>
    public static readonly string[] PagePaths = ["/dev/xen/xsd_kva", "/proc/xen/xsd_kva"];

    /// <summary>The port's file.</summary>
    public const string PortPath = "/proc/xen/xsd_port";

    private const int PageSize = 4096;

    private readonly XenDevice pageDevice;
    private readonly byte* page;
    private readonly LinuxEventChannelService events;
    private uint localPort;
    private XsRingServerConnection? ring;

    private KernelStoreRing(XenDevice pageDevice, byte* page, LinuxEventChannelService events)
    {
        this.pageDevice = pageDevice;
        this.page = page;
        this.events = events;
    }

    /// <summary>The local port bound to the kernel's.</summary>
    public uint LocalPort => localPort;

    /// <summary>The kernel's port, from <see cref="PortPath"/>.</summary>
    public uint KernelPort { get; private init; }

    /// <summary>Maps the kernel's page, binds its port and starts serving it (requests the kernel already queued too).</summary>
    /// <exception cref="IOException">A file is missing or unreadable, or the port file does not hold a number.</exception>
    public static KernelStoreRing Connect(XenStoreServer server, LinuxEventChannelService events)
    {
        uint kernelPort = ReadPort();
        string path = Array.Find(PagePaths, File.Exists) ?? throw new IOException($"dom0's store page: none of {string.Join(", ", PagePaths)} exists (is xenfs mounted on /proc/xen?)");
        var device = XenDevice.Open(path);
        KernelStoreRing? kernel = null;
        try
        {
            kernel = new KernelStoreRing(device, device.Map(PageSize, writable: true, 0), events) { KernelPort = kernelPort };
            kernel.Start(server, kernelPort);
            return kernel;
        }
        catch
        {
            if (kernel is not null) kernel.Dispose();
            else device.Dispose();
            throw;
        }
    }

    private void Start(XenStoreServer server, uint kernelPort)
    {
        localPort = events.BindInterdomain(0, kernelPort, _ => Volatile.Read(ref ring)?.Notify());
        var connection = new XsRingServerConnection(server, 0, (XenstoreDomainInterface*)page, () => events.Notify(localPort));
        Volatile.Write(ref ring, connection);
        connection.Notify();
        events.Notify(localPort);
    }

    private static uint ReadPort()
    {
        string text;
        try
        {
            text = File.ReadAllText(PortPath).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{PortPath}: {e.Message} (is xenfs mounted on /proc/xen, and is this dom0?)", e);
        }
        return uint.TryParse(text, System.Globalization.NumberStyles.None, null, out uint port)
            ? port
            : throw new IOException($"{PortPath} holds '{text}', not a port number");
    }

    /// <summary>Stops serving: unbinds the port, closes the connection, unmaps the page.</summary>
    public void Dispose()
    {
        if (ring is not null)
        {
            try { events.Close(localPort); } catch (ArgumentException) { }
            ring.Dispose();
        }
        pageDevice.Unmap(page, PageSize);
        pageDevice.Dispose();
    }
}
