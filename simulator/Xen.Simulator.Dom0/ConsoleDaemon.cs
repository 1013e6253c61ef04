using System.Text;
using Xen.Abi.Io;
using Xen.Nexus.Events;
using Xen.Nexus.Platform;
using Xen.Rings;

namespace Xen.Simulator.Dom0;

/// <summary>
/// xenconsoled's part: for each guest, the console page the toolstack gave it mapped (a privileged foreign mapping;
/// here the guest's memfd), dom0's end of its console event channel bound, and the <c>out</c> ring read into lines
/// on every notification; <see cref="Write"/> types into the <c>in</c> ring. A guest that breaks the rings' indices
/// loses its console, nothing more.
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

    /// <summary>
    /// Types <paramref name="data"/> into domain <paramref name="domid"/>'s console: as much as the <c>in</c> ring has
    /// room for, then a notification; returns the bytes written (0 when the ring is full or broken, or no such console).
    /// </summary>
    public int Write(uint domid, ReadOnlySpan<byte> data)
    {
        GuestConsole? console;
        lock (consoles) consoles.TryGetValue(domid, out console);
        if (console is null) return 0;
        var n = console.Type(data);
        if (n > 0)
        {
            try { events.Send(console.Port); }
            catch (Exception e) when (e is not OutOfMemoryException) { }
        }
        return n;
    }

    internal void Connect(uint domid, ulong gfn, uint port)
    {
        var guest = xen.Domain((ushort)domid) ?? throw new InvalidOperationException($"console of domain {domid}, which does not exist");
        var page = (XenconsInterface*)guest.Memory.Map(XenPage.Address(gfn), XenPage.Size);
        var console = new GuestConsole(this, domid, XenconsInterfaceRing.Out(page), XenconsInterfaceRing.In(page));
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

    private sealed class GuestConsole(ConsoleDaemon owner, uint domid, ByteRing output, ByteRing input)
    {
        private readonly List<string> lines = new();
        private readonly StringBuilder partial = new();
        private readonly byte[] buffer = new byte[XenconsInterfaceRing.OutSize];
        private bool broken;
        private bool inputBroken;

        public uint Port;

        public int Type(ReadOnlySpan<byte> data)
        {
            lock (lines)
            {
                if (inputBroken) return 0;
                try
                {
                    return input.Write(data);
                }
                catch (RingProtocolException)
                {
                    inputBroken = true;
                    return 0;
                }
            }
        }

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
