using Xen.Simulator.Hypercalls;
using Xen.Simulator.Memory;

namespace Xen.Simulator.Grants;

/// <summary>GNTTABOP_copy: bytes between two (domain, grant reference or own frame, offset) ends; the destination of a read-only grant is refused.</summary>
internal static unsafe class GrantCopy
{
    internal static long Copy(HypercallContext call, GnttabCopy* op)
    {
        op->Status = CopyOne(call, op);
        return 0;
    }

    /// <summary>gnttab_copy_one's order: both ends' domains first, then the source, then the destination, then the offsets.</summary>
    private static short CopyOne(HypercallContext call, GnttabCopy* op)
    {
        bool sourceIsGref = (op->Flags & Gnttab.GntcopySourceGref) != 0, destIsGref = (op->Flags & Gnttab.GntcopyDestGref) != 0;
        var status = LockDomain(call, op->Source.Domid, sourceIsGref, out _);
        if (status == Gnttab.GntstOkay)
        {
            status = LockDomain(call, op->Dest.Domid, destIsGref, out _);
        }

        if (status != Gnttab.GntstOkay)
        {
            return status;
        }

        status = Claim(call, &op->Source, sourceIsGref, readOnly: true, out var source, out var sourceRelease);
        if (status != Gnttab.GntstOkay)
        {
            return status;
        }

        status = Claim(call, &op->Dest, destIsGref, readOnly: false, out var dest, out var destRelease);
        if (status == Gnttab.GntstOkay)
        {
            if (op->Source.Offset + (uint)op->Len > Frames.Size || op->Dest.Offset + (uint)op->Len > Frames.Size)
            {
                status = Gnttab.GntstBadCopyArg;
            }
            else
            {
                Buffer.MemoryCopy(source + op->Source.Offset, dest + op->Dest.Offset, op->Len, op->Len);
            }

            destRelease?.Invoke();
        }

        sourceRelease?.Invoke();
        return status;
    }

    /// <summary>
    /// gnttab_copy_lock_domain: the end's domain (DOMID_SELF is the caller), GNTST_bad_domain if none; a frame (not a
    /// grant reference) only as DOMID_SELF, GNTST_permission_denied otherwise, privileged or not.
    /// </summary>
    private static short LockDomain(HypercallContext call, ushort domid, bool isGref, out SimulatedDomain? domain)
    {
        domain = domid == XenConst.DomidSelf ? call.Domain : call.Domain.Xen.Domain(domid);
        if (domain is null)
        {
            return Gnttab.GntstBadDomain;
        }

        // Xen 4.17 wants DOMID_SELF itself for a frame: the caller's own domid there is refused too.
        return (short)(isGref || domid == XenConst.DomidSelf ? Gnttab.GntstOkay : Gnttab.GntstPermissionDenied);
    }

    /// <summary>gnttab_copy_claim_buf: the frame of one end, its grant pinned for the copy.</summary>
    private static short Claim(HypercallContext call, GnttabCopyPtr* end, bool isGref, bool readOnly, out byte* frame, out Action? release)
    {
        frame = null;
        release = null;
        var domain = end->Domid == XenConst.DomidSelf ? call.Domain : call.Domain.Xen.Domain(end->Domid);
        if (domain is null)
        {
            return Gnttab.GntstBadDomain;
        }

        if (!isGref)
        {
            if (end->U.Gmfn >= domain.Memory.FrameCount)
            {
                return Gnttab.GntstBadPage;
            }

            frame = domain.Memory.Backing(end->U.Gmfn).Pointer;
            return Gnttab.GntstOkay;
        }

        var gref = end->U.Ref;
        if (gref >= domain.Grants.NrEntries)
        {
            return Gnttab.GntstBadGntref;
        }

        var granted = domain.Grants.Entry(gref)->Frame;
        if (granted >= domain.Memory.FrameCount)
        {
            return Gnttab.GntstBadPage;
        }

        var status = domain.Grants.Pin(gref, call.Domain.DomainId, readOnly);
        if (status != Gnttab.GntstOkay)
        {
            return status;
        }

        frame = domain.Memory.Backing(granted).Pointer;
        release = () => domain.Grants.Unpin(gref, readOnly);
        return Gnttab.GntstOkay;
    }
}
