namespace Xen.Services;

/// <summary>
/// Pages of this domain's memory shared with one peer domain, one grant reference per page. Zeroed when granted,
/// page-aligned and contiguous in this process. Disposing ends the peer's access; a page the peer still maps is not
/// reused until it unmaps (the service defers the release), so disposing never hands memory back too early.
/// </summary>
public abstract unsafe class GrantedPages : IDisposable
{
    private int disposed;

    /// <summary>Creates the pages' view.</summary>
    protected GrantedPages(byte* address, int pageCount, uint[] references, bool readOnly)
    {
        Address = address;
        PageCount = pageCount;
        References = references;
        ReadOnly = readOnly;
    }

    /// <summary>The first byte of the first page in this process.</summary>
    public byte* Address { get; }

    /// <summary>How many pages.</summary>
    public int PageCount { get; }

    /// <summary>The size in bytes.</summary>
    public int Length => PageCount * XenPageSize;

    /// <summary>The grant reference of each page, in order: what the peer is told (ring-ref, gref, ...).</summary>
    public IReadOnlyList<uint> References { get; }

    /// <summary>Whether the peer may only read.</summary>
    public bool ReadOnly { get; }

    /// <summary>All the pages' bytes.</summary>
    public Span<byte> Span => new(Address, Length);

    /// <summary>Page <paramref name="index"/>'s bytes.</summary>
    public Span<byte> Page(int index)
    {
        if ((uint)index >= (uint)PageCount)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{PageCount} pages are granted");
        return new Span<byte>(Address + (long)index * XenPageSize, XenPageSize);
    }

    /// <summary>Xen's page size.</summary>
    public const int XenPageSize = 1 << Xen.Abi.Io.Ring.XenPageShift;

    /// <summary>Ends the peer's access (deferred while it still maps a page).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            Release();
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>Ends access to every page and, once the peer no longer maps them, frees them.</summary>
    protected abstract void Release();
}
