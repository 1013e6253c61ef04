using Xen.Linux.Devices;
using Xen.Services;

namespace Xen.Linux.Events;

/// <summary>
/// Event channels on <c>/dev/xen/evtchn</c>. One reader thread takes the ports that fired and runs each one's handler
/// while the kernel keeps the port masked, then unmasks it, so one handler runs at a time per port and an event that
/// arrives meanwhile runs it once more. Handlers run on that thread: they must not block for long.
/// </summary>
public sealed class LinuxEventChannelService : IEventChannelService, IDisposable
{
    private const int PollIntervalMilliseconds = 100;
    private const int ReadBatch = 256;

    private readonly IEvtchnPorts ports;
    private readonly Action<string> log;
    private readonly Dictionary<uint, EventChannelNotified> handlers = [];
    // Binding and registering its handler happen under this lock, and so does the reader's look-up: a port that
    // fires before its bind ioctl has returned finds its handler.
    private readonly Lock gate = new();
    private readonly Thread reader;
    private volatile bool stopping;

    /// <summary>Opens <paramref name="path"/> (<c>/dev/xen/evtchn</c>) and starts the reader thread.</summary>
    /// <exception cref="XenDeviceException">The device cannot be opened.</exception>
    public static LinuxEventChannelService Open(string path = EvtchnDevicePorts.DefaultPath, Action<string>? log = null)
        => new(new EvtchnDevicePorts(XenDevice.Open(path)), log);

    internal LinuxEventChannelService(IEvtchnPorts ports, Action<string>? log = null)
    {
        this.ports = ports;
        this.log = log ?? (_ => { });
        reader = new Thread(ReadLoop) { IsBackground = true, Name = $"{ports.Name} reader" };
        reader.Start();
    }

    /// <inheritdoc/>
    public uint AllocUnbound(ushort remoteDomain, EventChannelNotified handler) => Bind(handler, () => ports.BindUnbound(remoteDomain));

    /// <inheritdoc/>
    public uint BindInterdomain(ushort remoteDomain, uint remotePort, EventChannelNotified handler) =>
        Bind(handler, () => ports.BindInterdomain(remoteDomain, remotePort));

    /// <summary><c>EVTCHNOP_bind_virq</c> (<c>IOCTL_EVTCHN_BIND_VIRQ</c>): a port for virtual IRQ <paramref name="virq"/> (<c>VIRQ_DOM_EXC</c>, ...).</summary>
    /// <returns>The local port, bound to <paramref name="handler"/> and unmasked.</returns>
    public uint BindVirq(uint virq, EventChannelNotified handler) => Bind(handler, () => ports.BindVirq(virq));

    /// <inheritdoc/>
    public void Notify(uint port) => ports.Notify(port);

    /// <inheritdoc/>
    public void Close(uint port)
    {
        lock (gate)
        {
            if (!handlers.Remove(port)) throw new ArgumentException($"port {port} is not bound on {ports.Name}", nameof(port));
            ports.Unbind(port);
        }
    }

    private uint Bind(EventChannelNotified handler, Func<uint> bind)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(stopping, this);
        lock (gate)
        {
            uint port = bind();
            handlers[port] = handler;
            return port;
        }
    }

    private void ReadLoop()
    {
        var fired = new uint[ReadBatch];
        var unmask = new List<uint>(ReadBatch);
        try
        {
            while (!stopping)
            {
                int n = ports.ReadPending(fired, PollIntervalMilliseconds);
                unmask.Clear();
                if (n < 0)
                {
                    RecoverFromOverflow(unmask);
                    continue;
                }
                for (int i = 0; i < n; i++)
                {
                    if (Dispatch(fired[i])) unmask.Add(fired[i]);
                }
                Unmask(unmask);
            }
        }
        catch (Exception e) when (e is XenDeviceException or ObjectDisposedException)
        {
            if (!stopping) log($"{ports.Name}: the reader stops: {e.Message}");
        }
    }

    /// <summary>Runs the handler of <paramref name="port"/>; false when the port is not (or no longer) bound here.</summary>
    private bool Dispatch(uint port)
    {
        EventChannelNotified? handler;
        lock (gate) handlers.TryGetValue(port, out handler);
        if (handler is null) return false; // closed meanwhile: the kernel unbound it, nothing to unmask
        try
        {
            handler(port);
        }
        catch (Exception e)
        {
            log($"{ports.Name}: the handler of port {port} threw: {e.Message}");
        }
        return true;
    }

    /// <summary>The kernel's ring of fired ports overflowed: which ports fired is lost, so every handler runs once.</summary>
    private void RecoverFromOverflow(List<uint> unmask)
    {
        log($"{ports.Name}: the ring of fired ports overflowed; running every handler once");
        ports.Reset();
        uint[] bound;
        lock (gate) bound = [.. handlers.Keys];
        foreach (var port in bound)
        {
            if (Dispatch(port)) unmask.Add(port);
        }
        Unmask(unmask);
    }

    private void Unmask(List<uint> unmask)
    {
        if (unmask.Count == 0) return;
        try
        {
            ports.Unmask(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(unmask));
        }
        catch (XenDeviceException e)
        {
            log($"{ports.Name}: unmasking {unmask.Count} ports failed: {e.Message}");
        }
    }

    /// <summary>Stops the reader (within one poll interval) and closes the device, which unbinds every port.</summary>
    public void Dispose()
    {
        if (stopping) return;
        stopping = true;
        if (Thread.CurrentThread != reader) reader.Join();
        lock (gate) handlers.Clear();
        ports.Dispose();
    }
}
