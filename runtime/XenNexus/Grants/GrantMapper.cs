using Xen.Abi;
using Xen.Nexus.Hypercalls;
using Xen.Nexus.Platform;

namespace Xen.Nexus.Grants;

/// <summary>
/// The backend side of grants, for dom0 code: maps a peer's grant into a frame of this domain's own memory
/// (<c>GNTTABOP_map_grant_ref</c> with <c>GNTMAP_host_map</c>), unmaps it, and copies with <c>GNTTABOP_copy</c>.
/// Every <c>GNTST_*</c> error is an exception naming the operation and status.
/// </summary>
public sealed unsafe class GrantMapper
{
    private readonly XenHypercalls hypercalls;

    /// <summary>Creates the mapper over <paramref name="hypercalls"/>.</summary>
    public GrantMapper(XenHypercalls hypercalls) => this.hypercalls = hypercalls;

    /// <summary>Maps <paramref name="grantRef"/> of <paramref name="domain"/> at a newly allocated frame of this domain.</summary>
    /// <exception cref="XenGrantStatusException">Xen refused the grant (bad reference, read-only, ...); the frame is freed.</exception>
    /// <exception cref="XenHypercallException">The hypercall failed.</exception>
    public GrantMapping Map(ushort domain, uint grantRef, GrantAccess access = GrantAccess.ReadWrite)
    {
        var memory = hypercalls.Hypervisor.Memory;
        var gfn = memory.AllocateFrames(1);
        try
        {
            return MapAt(domain, grantRef, gfn, access);
        }
        catch
        {
            memory.FreeFrames(gfn, 1);
            throw;
        }
    }

    /// <summary>Maps <paramref name="grantRef"/> of <paramref name="domain"/> at frame <paramref name="gfn"/>, which the caller owns.</summary>
    /// <exception cref="XenGrantStatusException">Xen refused the grant.</exception>
    public GrantMapping MapAt(ushort domain, uint grantRef, ulong gfn, GrantAccess access = GrantAccess.ReadWrite)
    {
        using var arg = hypercalls.Prepare<GnttabMapGrantRef>();
        arg.Value.HostAddr = XenPage.Address(gfn);
        arg.Value.Flags = (uint)(GrantTableH.GntmapHostMap | (access == GrantAccess.ReadOnly ? GrantTableH.GntmapReadonly : 0));
        arg.Value.Ref = grantRef;
        arg.Value.Dom = domain;
        arg.Call(XenOperations.GnttabopMapGrantRef, 1);
        XenHypercalls.CheckGrantStatus(XenOperations.GnttabopMapGrantRef, arg.Value.Status);
        return new GrantMapping(domain, grantRef, gfn, arg.Value.Handle, access);
    }

    /// <summary>The bytes of a mapping.</summary>
    public Span<byte> Contents(GrantMapping mapping)
        => new(hypercalls.Hypervisor.Memory.Map(XenPage.Address(mapping.Gfn), XenPage.Size), XenPage.Size);

    /// <summary>Unmaps <paramref name="mapping"/> (<c>GNTTABOP_unmap_grant_ref</c>); the frame stays the caller's.</summary>
    /// <exception cref="XenGrantStatusException">Xen refused (bad handle).</exception>
    public void UnmapAt(GrantMapping mapping)
    {
        using var arg = hypercalls.Prepare<GnttabUnmapGrantRef>();
        arg.Value.HostAddr = XenPage.Address(mapping.Gfn);
        arg.Value.Handle = mapping.Handle;
        arg.Call(XenOperations.GnttabopUnmapGrantRef, 1);
        XenHypercalls.CheckGrantStatus(XenOperations.GnttabopUnmapGrantRef, arg.Value.Status);
    }

    /// <summary>Unmaps a mapping from <see cref="Map"/> and frees its frame.</summary>
    /// <exception cref="XenGrantStatusException">Xen refused; the frame is not freed (it may still be mapped).</exception>
    public void Unmap(GrantMapping mapping)
    {
        UnmapAt(mapping);
        hypercalls.Hypervisor.Memory.FreeFrames(mapping.Gfn, 1);
    }

    /// <summary><c>GNTTABOP_copy</c> of <paramref name="length"/> bytes from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    /// <exception cref="XenGrantStatusException">Xen refused (bad reference, read-only destination, ...).</exception>
    public void Copy(GrantCopySegment source, GrantCopySegment destination, ushort length)
    {
        using var arg = hypercalls.Prepare<GnttabCopy>();
        ref var copy = ref arg.Value;
        Fill(ref copy.Source, source);
        Fill(ref copy.Dest, destination);
        copy.Len = length;
        copy.Flags = (ushort)((source.IsGrantRef ? GrantTableH.GntcopySourceGref : 0) | (destination.IsGrantRef ? GrantTableH.GntcopyDestGref : 0));
        arg.Call(XenOperations.GnttabopCopy, 1);
        XenHypercalls.CheckGrantStatus(XenOperations.GnttabopCopy, copy.Status);
    }

    private static void Fill(ref GnttabCopyPtr end, GrantCopySegment segment)
    {
        if (segment.IsGrantRef)
            end.U.Ref = (uint)segment.GrantRefOrGfn;
        else
            end.U.Gmfn = segment.GrantRefOrGfn;
        end.Domid = segment.Domain;
        end.Offset = segment.Offset;
    }
}
