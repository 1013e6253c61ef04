using Xen.Abi;
using Xen.Nexus.Grants;
using Xen.Nexus.Hypercalls;
using Xen.Nexus.Platform;

namespace Xen.Nexus.Init;

/// <summary>Maps shared info at a frame of the guest's (<c>XENMEM_add_to_physmap</c>, <c>XENMAPSPACE_shared_info</c>).</summary>
public sealed unsafe class SharedInfoStep : INexusInitStep
{
    /// <inheritdoc/>
    public string Name => "shared info";

    /// <inheritdoc/>
    public void Attach(XenNexus nexus)
    {
        var memory = nexus.Hypervisor.Memory;
        var gfn = memory.AllocateFrames(1);
        try
        {
            using var arg = nexus.Hypercalls.Prepare<XenAddToPhysmap>();
            arg.Value.Domid = (ushort)XenH.DomidSelf;
            arg.Value.Space = MemoryH.XenmapspaceSharedInfo;
            arg.Value.Idx = 0;
            arg.Value.Gpfn = gfn;
            arg.Call(XenOperations.XenmemAddToPhysmap);
        }
        catch
        {
            memory.FreeFrames(gfn, 1);
            throw;
        }
        nexus.SharedInfoGfn = gfn;
        nexus.SharedInfo = (SharedInfo*)memory.Map(XenPage.Address(gfn), XenPage.Size);
        nexus.Log($"{nexus.Options.DeviceName}: shared info at gfn 0x{gfn:x}");
    }

    /// <inheritdoc/>
    public void Detach(XenNexus nexus)
    {
        if (nexus.SharedInfo == null)
            return;
        // A frame Xen still maps as shared info is never handed back to the allocator.
        if (PhysmapFrames.TryRemove(nexus.Hypercalls, nexus.SharedInfoGfn))
            nexus.Hypervisor.Memory.FreeFrames(nexus.SharedInfoGfn, 1);
        else
            nexus.RetainedFrames++;
        nexus.SharedInfo = null;
        nexus.SharedInfoGfn = 0;
    }
}
