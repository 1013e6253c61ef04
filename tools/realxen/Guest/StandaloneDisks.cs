using System.Globalization;
using XenGen.RealXen.Host;

namespace XenGen.RealXen.Guest;

/// <summary>
/// The <c>backend=standalone</c> disks, whose XenStore nodes realxen writes itself as a toolstack does: Xen 4.17's
/// libxl accepts <c>backendtype=standalone</c> only for virtio disks, which xen-blkfront does not see. The frontend is
/// <c>device/vbd/&lt;devid&gt;</c> as libxl writes it; the backend is dom0's <c>backend/standalone/&lt;domid&gt;/&lt;devid&gt;</c>
/// (not <c>backend/vbd</c>, which Linux's blkback in dom0 would take), for a user-space backend to serve.
/// </summary>
internal static class StandaloneDisks
{
    /// <summary>The directory under dom0's <c>backend/</c> that these disks' backends live in.</summary>
    public const string BackendKind = "standalone";

    private const string XenstoreWrite = "/usr/bin/xenstore-write";
    private const string XenstoreChmod = "/usr/bin/xenstore-chmod";
    private const string XenstoreRm = "/usr/bin/xenstore-rm";

    /// <summary>Linux's xvd numbering: major 202, 16 minors a disk (<c>xvda</c> is 51712).</summary>
    public static int DeviceId(int index) => (202 << 8) | (index << 4);

    /// <summary>Writes frontend and backend of every standalone disk of domain <paramref name="domid"/> (created paused), with libxl's permissions.</summary>
    public static void Add(int domid, IReadOnlyList<DiskSpec> disks)
    {
        for (var i = 0; i < disks.Count; i++)
        {
            if (disks[i].Backend != DiskBackend.Standalone) continue;
            var devid = DeviceId(i).ToString(CultureInfo.InvariantCulture);
            var frontend = $"/local/domain/{domid}/device/vbd/{devid}";
            var backend = $"/local/domain/0/backend/{BackendKind}/{domid}/{devid}";
            // Initialising = 1 (io/xenbus.h), on both ends, as libxl__device_generic_add leaves them.
            ProcessRunner.Check(XenstoreWrite, [
                $"{backend}/frontend", frontend, $"{backend}/frontend-id", domid.ToString(CultureInfo.InvariantCulture),
                $"{backend}/online", "1", $"{backend}/removable", "0", $"{backend}/bootable", "1",
                $"{backend}/type", BackendKind, $"{backend}/dev", GuestSpec.DiskDevice(i), $"{backend}/device-type", "disk",
                $"{backend}/mode", "w", $"{backend}/params", disks[i].File, $"{backend}/state", "1",
                $"{frontend}/backend", backend, $"{frontend}/backend-id", "0", $"{frontend}/virtual-device", devid,
                $"{frontend}/device-type", "disk", $"{frontend}/state", "1",
            ]);
            // The guest owns its frontend and dom0 reads it; dom0 owns the backend and the guest reads it.
            ProcessRunner.Check(XenstoreChmod, ["-r", frontend, $"n{domid}", "r0"]);
            ProcessRunner.Check(XenstoreChmod, ["-r", backend, "n0", $"r{domid}"]);
        }
    }

    /// <summary>Removes domain <paramref name="domid"/>'s standalone backends (xl removes only what libxl wrote), which tells their backend to stop.</summary>
    public static void Remove(int domid) => ProcessRunner.Run(XenstoreRm, [$"/local/domain/0/backend/{BackendKind}/{domid}"]);
}
