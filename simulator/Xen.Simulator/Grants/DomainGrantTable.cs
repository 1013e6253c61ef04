using Xen.Simulator.Memory;

namespace Xen.Simulator.Grants;

/// <summary>
/// A domain's grant table, version 1: its frames (Xen's pages, growing on demand to the domain's maximum, placed in
/// the guest's physmap by XENMEM_add_to_physmap), the pin counts of its entries that other domains have mapped, and
/// its own maptrack (the handles of the grants it mapped).
/// </summary>
internal sealed unsafe class DomainGrantTable : IDisposable
{
    /// <summary>Xen's INITIAL_NR_GRANT_FRAMES.</summary>
    internal const uint InitialFrames = 1;

    internal static readonly uint EntriesPerFrame = (uint)(Frames.Size / sizeof(GrantEntryV1));

    private readonly SimulatedDomain _domain;
    private readonly Dictionary<ulong, ulong> _placedAt = new();
    private readonly Dictionary<uint, (int Readers, int Writers)> _pins = new();
    private readonly Dictionary<uint, GrantMapping> _maptrack = new();

    internal DomainGrantTable(SimulatedDomain domain)
    {
        _domain = domain;
        NrFrames = InitialFrames;
    }

    /// <summary>Frames in use (nr_grant_frames).</summary>
    internal uint NrFrames { get; private set; }

    /// <summary>The domain's maximum.</summary>
    internal uint MaxFrames => _domain.Configuration.MaxGrantFrames;

    /// <summary>Entries in use.</summary>
    internal uint NrEntries => NrFrames * EntriesPerFrame;

    /// <summary>The entry of <paramref name="gref"/>, which must be below <see cref="NrEntries"/>.</summary>
    internal GrantEntryV1* Entry(uint gref) =>
        (GrantEntryV1*)_domain.GrantMachineFrame(gref / EntriesPerFrame).Pointer + gref % EntriesPerFrame;

    /// <summary>gnttab_grow_table: at least <paramref name="frames"/> frames, if the maximum allows.</summary>
    internal bool Grow(uint frames)
    {
        if (frames > MaxFrames)
        {
            return false;
        }

        NrFrames = Math.Max(NrFrames, frames);
        return true;
    }

    /// <summary>XENMAPSPACE_grant_table: frame <paramref name="idx"/> placed at <paramref name="gfn"/>, moved from where it was.</summary>
    internal long MapFrame(ulong idx, ulong gfn)
    {
        if ((idx & XenMem.XenmapidxGrantTableStatus) != 0 || idx >= MaxFrames || !Grow((uint)idx + 1))
        {
            return Hypercalls.Errno.Invalid;
        }

        if (_placedAt.TryGetValue(idx, out var old) && old != gfn)
        {
            _domain.Memory.Restore(old);
        }

        _domain.Memory.Place(gfn, _domain.GrantMachineFrame((uint)idx));
        _placedAt[idx] = gfn;
        return 0;
    }

    /// <summary>The guest frame where frame <paramref name="idx"/> is placed, or null.</summary>
    internal ulong? PlacedAt(uint idx) => _placedAt.TryGetValue(idx, out var gfn) ? gfn : null;

    /// <summary>
    /// _set_status_v1: in one compare-exchange on the entry's (flags, domid) word, checks that <paramref name="gref"/>
    /// permits access to <paramref name="domid"/> (and writing, unless <paramref name="readOnly"/>) and sets
    /// GTF_reading, and GTF_writing if writable. GNTST_general_error if the entry does not allow it.
    /// </summary>
    internal short Pin(uint gref, ushort domid, bool readOnly)
    {
        var combo = (uint*)Entry(gref);
        while (true)
        {
            var old = Volatile.Read(ref *combo);
            var flags = (ushort)old;
            var grantee = (ushort)(old >> 16);
            if ((flags & Gnttab.GtfTypeMask) != Gnttab.GtfPermitAccess || grantee != domid
                || (!readOnly && (flags & Gnttab.GtfReadonly) != 0))
            {
                return Gnttab.GntstGeneralError;
            }

            var updated = old | Gnttab.GtfReading | (readOnly ? 0 : Gnttab.GtfWriting);
            if (Interlocked.CompareExchange(ref *combo, updated, old) == old)
            {
                break;
            }
        }

        _pins.TryGetValue(gref, out var pins);
        _pins[gref] = (pins.Readers + 1, pins.Writers + (readOnly ? 0 : 1));
        return Gnttab.GntstOkay;
    }

    /// <summary>Drops a pin; the last reader clears GTF_reading, the last writer GTF_writing.</summary>
    internal void Unpin(uint gref, bool readOnly)
    {
        var pins = _pins[gref];
        pins = (pins.Readers - 1, pins.Writers - (readOnly ? 0 : 1));
        var clear = (pins.Writers == 0 ? Gnttab.GtfWriting : 0) | (pins.Readers == 0 ? Gnttab.GtfReading : 0);
        if (pins.Readers == 0)
        {
            _pins.Remove(gref);
        }
        else
        {
            _pins[gref] = pins;
        }

        ClearFlags(gref, clear);
    }

    /// <summary>A new maptrack handle for <paramref name="mapping"/>.</summary>
    internal uint Track(GrantMapping mapping)
    {
        var handle = 0U;
        while (_maptrack.ContainsKey(handle))
        {
            handle++;
        }

        _maptrack[handle] = mapping;
        return handle;
    }

    /// <summary>The mapping of <paramref name="handle"/>, or null.</summary>
    internal GrantMapping? Tracked(uint handle) => _maptrack.GetValueOrDefault(handle);

    internal void Untrack(uint handle) => _maptrack.Remove(handle);

    private void ClearFlags(uint gref, uint flags) => Interlocked.And(ref *(uint*)Entry(gref), ~flags);

    /// <summary>Forgets this domain's mappings (its memory goes with it).</summary>
    public void Dispose() => _maptrack.Clear();
}
