using System.Runtime.CompilerServices;
using Xen.Abi;
using Xen.Nexus.Hypercalls;
using Xen.Nexus.Platform;

namespace Xen.Nexus.Events;

/// <summary>
/// Each vCPU's <c>vcpu_info</c>, placed in the nexus's own pages with <c>VCPUOP_register_vcpu_info</c> (so more than
/// the 32 of shared info are possible); where Xen lacks that operation (<c>XEN_ENOSYS</c>), vCPUs below 32 use the
/// slot in shared info.
/// </summary>
/// <remarks>
/// Xen cannot unregister a vcpu_info: its frames are never returned to the guest's free memory, even when the nexus
/// is detached (<see cref="RetainedFrames"/>).
/// </remarks>
public sealed unsafe class VcpuInfoPages
{
    private readonly VcpuInfo*[] infos;

    private VcpuInfoPages(VcpuInfo*[] infos, ulong firstGfn, int frames, bool registered)
    {
        this.infos = infos;
        FirstGfn = firstGfn;
        RetainedFrames = frames;
        Registered = registered;
    }

    /// <summary>vCPU <paramref name="vcpu"/>'s vcpu_info.</summary>
    public VcpuInfo* this[int vcpu] => infos[vcpu];

    /// <summary>Whether the vcpu_infos are in the nexus's pages (else in shared info).</summary>
    public bool Registered { get; }

    /// <summary>The first frame of the vcpu_info pages (0 when not registered).</summary>
    public ulong FirstGfn { get; }

    /// <summary>How many frames Xen keeps writing to and the guest must never reuse.</summary>
    public int RetainedFrames { get; }

    /// <summary>Registers every vCPU's vcpu_info, or falls back to shared info's slots.</summary>
    /// <param name="hypercalls">The plumbing.</param>
    /// <param name="sharedInfo">Shared info, for the fallback.</param>
    /// <param name="retained">Told how many frames became Xen's for good, as soon as they did (even if a later vCPU fails).</param>
    /// <exception cref="XenHypercallException">Registration failed other than with <c>XEN_ENOSYS</c> on vCPU 0.</exception>
    public static VcpuInfoPages Register(XenHypercalls hypercalls, SharedInfo* sharedInfo, Action<int> retained)
    {
        var hv = hypercalls.Hypervisor;
        var count = hv.VcpuCount;
        var perPage = XenPage.Size / sizeof(VcpuInfo);
        var frames = (count + perPage - 1) / perPage;
        var gfn = hv.Memory.AllocateFrames(frames);
        var mapped = hv.Memory.Map(XenPage.Address(gfn), (nuint)(frames * XenPage.Size));
        var infos = new VcpuInfo*[count];
        for (var vcpu = 0; vcpu < count; vcpu++)
        {
            var page = (ulong)(vcpu / perPage);
            var offset = (uint)(vcpu % perPage * sizeof(VcpuInfo));
            using var arg = hypercalls.Prepare<VcpuRegisterVcpuInfo>();
            arg.Value.Mfn = gfn + page;
            arg.Value.Offset = offset;
            try
            {
                arg.Call(XenOperations.VcpuopRegisterVcpuInfo, (ulong)vcpu);
            }
            catch (XenHypercallException e) when (vcpu == 0 && e.Errno == XenErrno.XenEnosys)
            {
                hv.Memory.FreeFrames(gfn, frames);
                return InSharedInfo(hv, sharedInfo);
            }
            catch (XenHypercallException) when (vcpu == 0)
            {
                hv.Memory.FreeFrames(gfn, frames); // nothing registered yet: the frames are still the guest's
                throw;
            }
            if (vcpu == 0)
                retained(frames);
            infos[vcpu] = (VcpuInfo*)(mapped + (page * XenPage.Size) + offset);
        }
        return new VcpuInfoPages(infos, gfn, frames, registered: true);
    }

    private static VcpuInfoPages InSharedInfo(IHypervisor hv, SharedInfo* sharedInfo)
    {
        var limit = sizeof(SharedInfo.VcpuInfoArray) / sizeof(VcpuInfo);
        if (hv.VcpuCount > limit)
            throw new NotSupportedException($"VCPUOP_register_vcpu_info: XEN_ENOSYS, and {hv.VcpuCount} vCPUs exceed shared info's {limit}");
        var infos = new VcpuInfo*[hv.VcpuCount];
        for (var vcpu = 0; vcpu < infos.Length; vcpu++)
            infos[vcpu] = (VcpuInfo*)Unsafe.AsPointer(ref sharedInfo->VcpuInfo[vcpu]);
        return new VcpuInfoPages(infos, 0, 0, registered: false);
    }
}
