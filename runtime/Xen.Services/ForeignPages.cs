namespace Xen.Services;

/// <summary>
/// A peer's granted pages mapped into this process, contiguous, in the order of <see cref="References"/>.
/// Disposing unmaps them; using <see cref="Span"/> afterwards is a bug.
/// </summary>
public abstract unsafe class ForeignPages : IDisposable
{
    private int disposed;

    /// <summary>Creates the mapping's view.</summary>
    protected ForeignPages(byte* address, ushort domain, uint[] references, bool readOnly)
    {
        Address = address;
        Domain = domain;
        References = references;
        ReadOnly = readOnly;
    }

    /// <summary>The first byte in this process.</summary>
    public byte* Address { get; }

    /// <summary>The granting domain.</summary>
    public ushort Domain { get; }

    /// <summary>The grant references mapped, in order.</summary>
    public IReadOnlyList<uint> References { get; }

    /// <summary>Whether the mapping is read-only.</summary>
    public bool ReadOnly { get; }

    /// <summary>The size in bytes.</summary>
    public int Length => References.Count * GrantedPages.XenPageSize;

    /// <summary>The mapped bytes.</summary>
    public Span<byte> Span => new(Address, Length);

    /// <summary>Unmaps the pages.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            Unmap();
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>Unmaps every page (<c>GNTTABOP_unmap_grant_ref</c> or the device's equivalent).</summary>
    protected abstract void Unmap();
}
