using System.Text;
using Xen.Abi.Io;
using Xen.Nexus.Events;
using Xen.Nexus.Platform;
using Xen.Rings;

namespace Xen.Simulator.Dom0;

/// <summary>
/// xenconsoled's part: for each guest, the console page the toolstack gave it mapped (a privileged foreign mapping;
/// here the guest's memfd), dom0's end of its console event channel bound, and the <c>out</c> ring read into lines
/// on every notification. A guest that breaks the ring's indices loses its console, nothing more.
/// </summary>
public sealed unsafe class ConsoleDaemon : IDisposable
{
    private readonly SimulatedXen xen;
    private readonly EventChannels events;
    private readonly Dictionary<uint, GuestConsole> consoles = new();

    internal ConsoleDaemon(SimulatedXen xen, EventChannels events)
    {
        this.xen = xen;
        this.events = events;
    }

    /// <summary>Raised for each complete line a guest wrote (domain, line).</summary>
    public event Action<uint, string>? LineReceived;

    /// <summary>The lines domain <paramref name="domid"/> wrote so far.</summary>
    public IReadOnlyList<string> Lines(uint domid)
    {
        lock (consoles) return consoles.TryGetValue(domid, out var console) ? console.Snapshot() : [];
    }

    internal void Connect(uint domid, ulong gfn, uint port)
    {
        var guest = xen.Domain((ushort)domid) ?? throw new InvalidOperationException($"console of domain {domid}, which does not exist");
        var page = (XenconsInterface*)guest.Memory.Map(XenPage.Address(gfn), XenPage.Size);
        var console = new GuestConsole(this, domid, XenconsInterfaceRing.Out(page));
        console.Port = events.BindInterdomain((ushort)domid, port, (_, _) => console.Drain());
        lock (consoles) consoles[domid] = console;
    }

    internal void Disconnect(uint domid)
    {
        GuestConsole? console;
        lock (consoles) consoles.Remove(domid, out console);
        if (console is not null) Close(console);
    }

    private void Close(GuestConsole console)
    {
        console.Drain();
        try { events.Close(console.Port); }
        catch (Exception e) when (e is not OutOfMemoryException) { }
    }

    /// <summary>Stops reading every console (the pages go away with Xen next).</summary>
    public void Dispose()
    {
        GuestConsole[] all;
        lock (consoles)
        {
            all = consoles.Values.ToArray();
            consoles.Clear();
        }
        foreach (var console in all) Close(console);
    }

    private sealed class GuestConsole(ConsoleDaemon owner, uint domid, ByteRing output)
    {
        private readonly List<string> lines = new();
        private readonly StringBuilder partial = new();
        private readonly byte[] buffer = new byte[XenconsInterfaceRing.OutSize];
        private bool broken;

        public uint Port;

        public string[] Snapshot()
        {
            lock (lines) return lines.ToArray();
        }

        public void Drain()
        {
            var complete = new List<string>();
            lock (lines)
            {
                if (broken) return;
                try
                {
                    int n;
                    while ((n = output.Read(buffer)) > 0)
                    {
                        foreach (var ch in Encoding.UTF8.GetString(buffer, 0, n))
                        {
                            if (ch == '\n')
                            {
                                complete.Add(partial.ToString());
                                partial.Clear();
                            }
                            else if (ch != '\r')
                            {
                                partial.Append(ch);
                            }
                        }
                    }
                }
                catch (RingProtocolException)
                {
                    broken = true;
                }
                lines.AddRange(complete);
            }
            foreach (var line in complete) owner.LineReceived?.Invoke(domid, line);
        }
    }
}
