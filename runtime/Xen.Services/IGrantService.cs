namespace Xen.Services;

/// <summary>Granting: how a frontend shares its rings and buffers with a backend.</summary>
public interface IGrantService
{
    /// <summary>
    /// Allocates <paramref name="pageCount"/> zeroed pages and grants <paramref name="domain"/> access to each.
    /// </summary>
    /// <exception cref="InvalidOperationException">No grant reference or memory is left.</exception>
    GrantedPages Grant(ushort domain, int pageCount, bool readOnly = false);
}
