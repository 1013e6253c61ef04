using Xen.Services;

namespace Xen.Drivers.Blkback.Rings;

/// <summary>
/// A queue's persistent grants (blkback's persistent_gnts): a frontend's page mapped once and kept until the
/// queue disconnects, up to a limit; past it, data goes by grant copy.
/// </summary>
internal sealed class PersistentGrants(IForeignMemoryService foreign, ushort domain, int limit) : IDisposable
{
    private readonly Dictionary<uint, ForeignPages> mapped = new();

    /// <summary>How many grants are mapped.</summary>
    public int Count => mapped.Count;

    /// <summary>The mapped page of <paramref name="gref"/>, mapping it now if there is room; null past the limit.</summary>
    /// <exception cref="GrantRefusedException">The hypervisor refused the mapping.</exception>
    public ForeignPages? Get(uint gref)
    {
        if (mapped.TryGetValue(gref, out var page)) return page;
        if (mapped.Count >= limit) return null;
        page = foreign.Map(domain, [gref], readOnly: false);
        mapped.Add(gref, page);
        return page;
    }

    /// <summary>Unmaps every page.</summary>
    public void Dispose()
    {
        foreach (var page in mapped.Values) page.Dispose();
        mapped.Clear();
    }
}
