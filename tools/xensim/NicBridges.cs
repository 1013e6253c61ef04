using Xen.Drivers.Ethernet.Tap;
using Xen.Drivers.Xnf;
using Xen.Simulator.Dom0;

namespace Xen.Simulator.Tool;

/// <summary>
/// The TAP devices of the <c>--nic</c>s: for NIC <c>i</c>, its backend vif (devid <c>i</c>) is bridged to
/// <c>backend-tap</c> and the guest's xnf unit <c>i</c> to <c>guest-tap</c>, each as soon as its end connects.
/// </summary>
internal sealed class NicBridges : IDisposable
{
    private readonly Dictionary<uint, TapBridge> backends = new();
    private readonly Dictionary<string, TapBridge> guests = new(StringComparer.Ordinal);
    private readonly List<(string Name, TapBridge Bridge)> all = new();
    private readonly Action<string> log;

    public NicBridges(IReadOnlyList<NicSpec> nics, Action<string> log)
    {
        this.log = log;
        try
        {
            for (var i = 0; i < nics.Count; i++)
            {
                if (nics[i].BackendTap is { } backend) backends[(uint)i] = Open(backend);
                if (nics[i].GuestTap is { } guest) guests[$"xnf{i}"] = Open(guest);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private TapBridge Open(string name)
    {
        var bridge = new TapBridge(TapDevice.Create(name), log);
        all.Add((name, bridge));
        log($"xensim: TAP {name} created");
        return bridge;
    }

    /// <summary>Follows dom0's backends and the guest's xnf units.</summary>
    public void Follow(NetworkBackends network, XnfDriver xnf)
    {
        network.Started += device =>
        {
            var devid = uint.Parse(device.Backend[(device.Backend.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            if (!backends.TryGetValue(devid, out var bridge)) return;
            device.Connected += bridge.Attach;
            device.Disconnected += bridge.Detach;
        };
        xnf.InterfaceUp += unit => { if (guests.TryGetValue(unit.Name, out var bridge)) bridge.Attach(unit); };
        xnf.InterfaceDown += unit => { if (guests.TryGetValue(unit.Name, out var bridge)) bridge.Detach(unit); };
    }

    /// <summary>One line per TAP: frames each way and dropped.</summary>
    public IEnumerable<string> Statistics()
        => all.Select(t => $"xensim: TAP {t.Name}: {t.Bridge.FramesToPort} frames in, {t.Bridge.FramesFromPort} out, {t.Bridge.FramesDropped} dropped");

    public void Dispose()
    {
        foreach (var (_, bridge) in all) bridge.Dispose();
        all.Clear();
    }
}
