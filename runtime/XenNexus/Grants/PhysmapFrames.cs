using Xen.Abi;
using Xen.Nexus.Hypercalls;

namespace Xen.Nexus.Grants;

/// <summary>Undoes <c>XENMEM_add_to_physmap</c>: shared info and grant frames given back on detach.</summary>
internal static class PhysmapFrames
{
    /// <summary><c>XENMEM_remove_from_physmap</c> of <paramref name="gfn"/>; false (and nothing thrown) if Xen refuses.</summary>
    public static bool TryRemove(XenHypercalls hypercalls, ulong gfn)
    {
        try
        {
            using var arg = hypercalls.Prepare<XenRemoveFromPhysmap>();
            arg.Value.Domid = (ushort)XenH.DomidSelf;
            arg.Value.Gpfn = gfn;
            arg.Call(XenOperations.XenmemRemoveFromPhysmap);
            return true;
        }
        catch (XenHypercallException)
        {
            return false;
        }
    }
}
