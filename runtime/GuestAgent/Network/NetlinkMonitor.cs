namespace Xen.GuestAgent.Network;

/// <summary>
/// Keeps an <see cref="InterfaceTable"/> current from rtnetlink on one thread: a dump of links and addresses at
/// start, then <c>RTM_NEWLINK</c>/<c>RTM_DELLINK</c>/<c>RTM_NEWADDR</c>/<c>RTM_DELADDR</c> as they come, and a fresh
/// dump reconciled into the table after an overrun. <see cref="Changed"/> is called (on that thread) after each
/// datagram that changed what <see cref="Snapshot"/> returns.
/// </summary>
public sealed class NetlinkMonitor : INetworkSource
{
    private const int DatagramBytes = 64 * 1024;

    private readonly NetlinkSocket _socket;
    private readonly InterfaceTable _table = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string> _log;

    /// <summary>Opens the socket and starts the thread; <see cref="Ready"/> completes after the first dump.</summary>
    /// <param name="log">Where a malformed message or a resynchronisation is reported.</param>
    /// <exception cref="IOException">The netlink socket cannot be opened.</exception>
    public NetlinkMonitor(Action<string> log)
    {
        _log = log;
        _socket = NetlinkSocket.Open();
        _thread = new Thread(Run) { IsBackground = true, Name = "xen-guest-agent netlink" };
        _thread.Start();
    }

    /// <inheritdoc/>
    public event Action? Changed;

    /// <inheritdoc/>
    public Task Ready => _ready.Task;

    /// <summary>How many resynchronisations followed an overrun (lost messages).</summary>
    public int Resynchronisations { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<InterfaceAddresses> Snapshot()
    {
        lock (_table) return _table.Snapshot();
    }

    private void Run()
    {
        var buffer = new byte[DatagramBytes];
        var events = new List<NetlinkEvent>();
        try
        {
            if (!Resynchronise(buffer, events)) return;
            _ready.TrySetResult();
            while (true)
            {
                int n = _socket.Receive(buffer);
                if (n == 0) return;
                if (n < 0)
                {
                    Resynchronisations++;
                    _log("netlink: messages were lost (ENOBUFS); reading every link and address again");
                    if (!Resynchronise(buffer, events)) return;
                    continue;
                }
                events.Clear();
                if (NetlinkParser.Parse(buffer.AsSpan(0, n), events) is { } problem) _log("netlink: malformed datagram dropped: " + problem);
                bool changed = false;
                lock (_table)
                {
                    foreach (var e in events) changed |= _table.Apply(e);
                }
                if (changed) Changed?.Invoke();
            }
        }
        catch (IOException e)
        {
            _log("netlink: " + e.Message);
            _ready.TrySetException(e);
        }
    }

    /// <summary>Dumps links then addresses into a fresh table (events meanwhile applied to it too) and reconciles; starts over after an overrun.</summary>
    /// <returns>False when woken to stop.</returns>
    private bool Resynchronise(byte[] buffer, List<NetlinkEvent> events)
    {
        while (true)
        {
            var fresh = new InterfaceTable();
            bool? complete = Dump(NetlinkAbi.RtmGetlink, fresh, buffer, events);
            if (complete == true) complete = Dump(NetlinkAbi.RtmGetaddr, fresh, buffer, events);
            if (complete is null) return false;
            if (complete == false) continue;
            bool changed;
            lock (_table) changed = _table.Reconcile(fresh);
            if (changed) Changed?.Invoke();
            return true;
        }
    }

    /// <returns>True at <c>NLMSG_DONE</c>, false after an overrun, null when woken to stop.</returns>
    private bool? Dump(ushort request, InterfaceTable into, byte[] buffer, List<NetlinkEvent> events)
    {
        _socket.RequestDump(request);
        while (true)
        {
            int n = _socket.Receive(buffer);
            if (n == 0) return null;
            if (n < 0) return false;
            events.Clear();
            if (NetlinkParser.Parse(buffer.AsSpan(0, n), events) is { } problem) _log("netlink: malformed datagram dropped: " + problem);
            bool done = false;
            foreach (var e in events)
            {
                if (e.Kind == NetlinkEventKind.DumpDone) done = true;
                else if (e.Kind == NetlinkEventKind.Error) throw new IOException($"netlink dump refused: errno {e.Error}");
                else into.Apply(e);
            }
            if (done) return true;
        }
    }

    /// <summary>Stops the thread and closes the socket.</summary>
    public void Dispose()
    {
        _socket.Wake();
        if (_thread.Join(TimeSpan.FromSeconds(5))) _socket.Dispose();
        _ready.TrySetCanceled();
    }
}
