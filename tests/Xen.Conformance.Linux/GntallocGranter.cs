using Xen.Linux.Grants;
using Xen.Services;

namespace Xen.Conformance.Linux;

/// <summary>
/// Granting through <c>/dev/xen/gntalloc</c> (the kernel writes the grant entries). Ending access is unmapping the
/// page: the kernel then ends it with <c>gnttab_end_foreign_access</c>, which waits while a peer has it mapped.
/// </summary>
internal sealed class GntallocGranter(LinuxGrantService service) : IGranter, IDisposable
{
    private readonly Dictionary<uint, GrantedPages> pages = [];

    public uint Grant(ushort domain, bool readOnly)
    {
        var granted = service.Grant(domain, 1, readOnly);
        uint reference = granted.References[0];
        pages.Add(reference, granted);
        return reference;
    }

    public void EndAccess(uint reference)
    {
        if (pages.Remove(reference, out var granted)) granted.Dispose();
    }

    public void Dispose()
    {
        foreach (var granted in pages.Values) granted.Dispose();
        service.Dispose();
    }
}
