using System.Globalization;
using XenGen.RealXen.Host;

namespace XenGen.RealXen.Guest;

/// <summary>
/// The XenStore nodes of the disks realxen adds itself, as a toolstack does, rather than through libxl:
/// <list type="bullet">
/// <item><c>backend=standalone</c>: Xen 4.17's libxl accepts <c>backendtype=standalone</c> only for virtio disks,
/// which xen-blkfront does not see; the backend is dom0's <c>backend/standalone/&lt;domid&gt;/&lt;devid&gt;</c> (not
/// <c>backend/vbd</c>, which Linux's blkback in dom0 would take), for a user-space backend to serve.</item>
/// <item><c>backend=qdisk</c>: dom0's <c>backend/qdisk/&lt;domid&gt;/&lt;devid&gt;</c> as libxl writes it, served by
/// the QEMU <see cref="QdiskBackend"/> starts (libxl's own start of it times out under the emulator).</item>
/// </list>
/// The frontend is <c>device/vbd/&lt;devid&gt;</c> as libxl writes it.
/// </summary>
internal static class DiskNodes
{
    private const string XenstoreWrite = "/usr/bin/xenstore-write";
    private const string XenstoreChmod = "/usr/bin/xenstore-chmod";
    private const string XenstoreRm = "/usr/bin/xenstore-rm";

    /// <summary>Whether realxen writes this disk's nodes (libxl writes only the kernel blkback's).</summary>
    public static bool WrittenByRealXen(DiskSpec disk) => disk.Backend != DiskBackend.Kernel;

    /// <summary>The directory under dom0's <c>backend/</c> that the disk's backend lives in.</summary>
    public static string BackendKind(DiskBackend backend) => backend switch
    {
        DiskBackend.Qdisk => "qdisk",
        DiskBackend.Standalone => "standalone",
        _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, "libxl writes kernel blkback disks"),
    };

    /// <summary>Linux's xvd numbering: major 202, 16 minors a disk (<c>xvda</c> is 51712).</summary>
    public static int DeviceId(int index) => (202 << 8) | (index << 4);

    /// <summary>Writes frontend and backend of every disk realxen adds to domain <paramref name="domid"/> (created paused), with libxl's permissions.</summary>
    public static void Add(int domid, IReadOnlyList<DiskSpec> disks)
    {
        for (var i = 0; i < disks.Count; i++)
        {
            if (!WrittenByRealXen(disks[i])) continue;
            var kind = BackendKind(disks[i].Backend);
            var devid = DeviceId(i).ToString(CultureInfo.InvariantCulture);
            var frontend = $"/local/domain/{domid}/device/vbd/{devid}";
            var backend = $"/local/domain/0/backend/{kind}/{domid}/{devid}";
            // libxl's qdisk params name QEMU's image format before the file ("aio" is raw through Linux AIO).
            var parameters = disks[i].Backend == DiskBackend.Qdisk ? "aio:" + disks[i].File : disks[i].File;
            // Initialising = 1 (io/xenbus.h), on both ends, as libxl__device_generic_add leaves them.
            ProcessRunner.Check(XenstoreWrite, [
                $"{backend}/frontend", frontend, $"{backend}/frontend-id", domid.ToString(CultureInfo.InvariantCulture),
                $"{backend}/online", "1", $"{backend}/removable", "0", $"{backend}/bootable", "1",
                $"{backend}/type", kind, $"{backend}/dev", GuestSpec.DiskDevice(i), $"{backend}/device-type", "disk",
                $"{backend}/mode", "w", $"{backend}/params", parameters, $"{backend}/state", "1",
                $"{frontend}/backend", backend, $"{frontend}/backend-id", "0", $"{frontend}/virtual-device", devid,
                $"{frontend}/device-type", "disk", $"{frontend}/state", "1",
            ]);
            // The guest owns its frontend and dom0 reads it; dom0 owns the backend and the guest reads it.
            ProcessRunner.Check(XenstoreChmod, ["-r", frontend, $"n{domid}", "r0"]);
            ProcessRunner.Check(XenstoreChmod, ["-r", backend, "n0", $"r{domid}"]);
        }
    }

    /// <summary>Removes domain <paramref name="domid"/>'s backends that realxen wrote (xl removes only what libxl wrote), which tells their backends to stop.</summary>
    public static void Remove(int domid)
    {
        foreach (var backend in new[] { DiskBackend.Standalone, DiskBackend.Qdisk })
            ProcessRunner.Run(XenstoreRm, [$"/local/domain/0/backend/{BackendKind(backend)}/{domid}"]);
    }
}
