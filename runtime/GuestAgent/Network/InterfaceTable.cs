using System.Net;
using System.Net.Sockets;

namespace Xen.GuestAgent.Network;

/// <summary>
/// The interfaces and their addresses as netlink told them, each address in a stable slot of its family: it keeps
/// its slot while it exists, a removed one frees its slot for the next, and at most <see cref="SlotsPerFamily"/>
/// are kept per family (more are not published).
/// </summary>
internal sealed class InterfaceTable
{
    /// <summary>Slots per address family and interface (<c>ipv4/0</c>…<c>ipv4/9</c>).</summary>
    public const int SlotsPerFamily = 10;

    private readonly Dictionary<int, Entry> _interfaces = new();

    /// <summary>Applies one event.</summary>
    /// <returns>Whether anything a snapshot shows changed.</returns>
    public bool Apply(in NetlinkEvent e)
    {
        switch (e.Kind)
        {
            case NetlinkEventKind.LinkChanged:
                var link = Get(e.Index);
                if (e.Name is null || e.Name == link.Name) return false;
                link.Name = e.Name;
                return true;
            case NetlinkEventKind.LinkRemoved:
                return _interfaces.Remove(e.Index);
            case NetlinkEventKind.AddressAdded:
                return Slots(Get(e.Index), e.Address!).Add(e.Address!);
            case NetlinkEventKind.AddressRemoved:
                return _interfaces.TryGetValue(e.Index, out var entry) && Slots(entry, e.Address!).Remove(e.Address!);
            default:
                return false;
        }
    }

    /// <summary>
    /// Takes <paramref name="fresh"/> (a complete dump) as the truth, keeping the slot of every address still there,
    /// so that a resynchronisation after lost messages moves nothing that did not change.
    /// </summary>
    /// <returns>Whether anything changed.</returns>
    public bool Reconcile(InterfaceTable fresh)
    {
        bool changed = false;
        foreach (int gone in _interfaces.Keys.Where(index => !fresh._interfaces.ContainsKey(index)).ToList())
        {
            _interfaces.Remove(gone);
            changed = true;
        }
        foreach (var (index, truth) in fresh._interfaces)
        {
            var entry = Get(index);
            if (entry.Name != truth.Name)
            {
                entry.Name = truth.Name;
                changed = true;
            }
            changed |= entry.V4.Reconcile(truth.V4) | entry.V6.Reconcile(truth.V6);
        }
        return changed;
    }

    /// <summary>A copy of the current state, ordered by interface index.</summary>
    public IReadOnlyList<InterfaceAddresses> Snapshot() =>
        _interfaces.OrderBy(pair => pair.Key)
            .Where(pair => pair.Value.Name is not null)
            .Select(pair => new InterfaceAddresses(pair.Key, pair.Value.Name!, pair.Value.V4.Copy(), pair.Value.V6.Copy()))
            .ToList();

    private Entry Get(int index)
    {
        if (!_interfaces.TryGetValue(index, out var entry)) _interfaces.Add(index, entry = new Entry());
        return entry;
    }

    private static SlotList Slots(Entry entry, IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? entry.V6 : entry.V4;

    private sealed class Entry
    {
        public string? Name;
        public readonly SlotList V4 = new();
        public readonly SlotList V6 = new();
    }

    private sealed class SlotList
    {
        private readonly IPAddress?[] _slots = new IPAddress?[SlotsPerFamily];

        public bool Add(IPAddress address)
        {
            if (Array.IndexOf(_slots, address) >= 0) return false;
            int free = Array.IndexOf(_slots, null);
            if (free < 0) return false;
            _slots[free] = address;
            return true;
        }

        public bool Remove(IPAddress address)
        {
            int at = Array.IndexOf(_slots, address);
            if (at < 0) return false;
            _slots[at] = null;
            return true;
        }

        public bool Reconcile(SlotList truth)
        {
            bool changed = false;
            for (int i = 0; i < _slots.Length; i++)
            {
                if (_slots[i] is { } held && Array.IndexOf(truth._slots, held) < 0)
                {
                    _slots[i] = null;
                    changed = true;
                }
            }
            foreach (var address in truth._slots)
            {
                if (address is not null) changed |= Add(address);
            }
            return changed;
        }

        public IPAddress?[] Copy() => (IPAddress?[])_slots.Clone();
    }
}

/// <summary>One interface's addresses by slot (null: a free slot).</summary>
/// <param name="Index">The kernel's interface index.</param>
/// <param name="Name">Its name.</param>
/// <param name="Ipv4">The IPv4 slots.</param>
/// <param name="Ipv6">The IPv6 slots.</param>
public sealed record InterfaceAddresses(int Index, string Name, IReadOnlyList<IPAddress?> Ipv4, IReadOnlyList<IPAddress?> Ipv6);
