using Xen.Nexus.Hypercalls;
using Xen.Nexus.Platform;

namespace Xen.Nexus.Init;

/// <summary>
/// Installs the hypercall page: CPUID base+2 gives the number of pages and the MSR; writing each page's
/// guest-physical address (with its index in the low bits) to that MSR makes Xen fill it. Then allocates the
/// per-vCPU hypercall argument pages.
/// </summary>
/// <remarks>Xen has no way to take a hypercall page back; on detach its frames are freed, as on Linux's failure paths.</remarks>
public sealed class HypercallPageStep : INexusInitStep
{
    /// <inheritdoc/>
    public string Name => "hypercall page";

    /// <inheritdoc/>
    public void Attach(XenNexus nexus)
    {
        var hv = nexus.Hypervisor;
        var leaf = hv.Cpuid(nexus.CpuidBase + 2);
        var pages = (int)leaf.Eax;
        if (pages < 1)
            throw new XenNotFoundException($"CPUID 0x{nexus.CpuidBase + 2:x8}: no hypercall pages");
        var gfn = hv.Memory.AllocateFrames(pages);
        try
        {
            for (var i = 0; i < pages; i++)
                hv.WriteMsr(leaf.Ebx, XenPage.Address(gfn + (ulong)i) | (uint)i);
            nexus.Hypercalls = new XenHypercalls(hv);
        }
        catch
        {
            hv.Memory.FreeFrames(gfn, pages);
            throw;
        }
        nexus.HypercallPageGfn = gfn;
        nexus.HypercallPages = pages;
        nexus.Log($"{nexus.Options.DeviceName}: hypercall page at gfn 0x{gfn:x} (msr 0x{leaf.Ebx:x8}, {pages} page{(pages == 1 ? "" : "s")})");
    }

    /// <inheritdoc/>
    public void Detach(XenNexus nexus)
    {
        nexus.Hypercalls?.Dispose();
        nexus.Hypercalls = null!;
        if (nexus.HypercallPages > 0)
            nexus.Hypervisor.Memory.FreeFrames(nexus.HypercallPageGfn, nexus.HypercallPages);
        nexus.HypercallPages = 0;
    }
}
