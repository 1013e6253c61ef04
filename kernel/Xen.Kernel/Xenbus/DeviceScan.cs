using Xen.Kernel.Machine;
using Xen.Kernel.Store;

namespace Xen.Kernel.Xenbus;

/// <summary>
/// Lists <c>device/</c> as XenbusProbe does and reports each device with its backend and backend-id, in the
/// probe's words; the kernel has no drivers, so each is "not configured". A backend that is not an absolute path
/// or a backend-id that is not a number is reported and ignored.
/// </summary>
public static unsafe class DeviceScan
{
    /// <summary>The longest device path kept (device/CLASS/ID plus "/backend-id" must fit the 1 KiB path buffer).</summary>
    private const uint PathLimit = 256;

    private static byte* s_classes;
    private static byte* s_ids;
    private static byte* s_path;
    private static byte* s_backend;

    /// <summary>How many devices were reported with a valid backend.</summary>
    public static uint Found { get; private set; }

    public static bool Scan()
    {
        var page = (byte*)BootPages.Allocate();
        s_classes = page;
        s_ids = page + 1024;
        s_path = page + 2048;
        s_backend = page + 3072;
        var n = Text.Put(s_path, 0, "device");
        if (!XenStore.Directory(s_path, n))
            return false;
        var classesLength = Keep(s_classes);
        for (uint c = 0; c < classesLength;)
        {
            var classLength = Text.EntryLength(s_classes, c, classesLength);
            if (classLength > 0 && !ScanClass(s_classes + c, classLength))
                return false;
            c += classLength + 1;
        }
        Log.Write("xen0: ");
        Log.WriteDecimal(Found);
        Log.WriteLine(" devices in device/");
        return true;
    }

    private static bool ScanClass(byte* type, uint typeLength)
    {
        if (typeLength > PathLimit)
            return true;
        var n = Text.Put(s_path, 0, "device/");
        n = Text.Put(s_path, n, type, typeLength);
        if (!XenStore.Directory(s_path, n))
            return false;
        var idsLength = Keep(s_ids);
        for (uint i = 0; i < idsLength;)
        {
            var idLength = Text.EntryLength(s_ids, i, idsLength);
            if (idLength > 0 && !Report(type, typeLength, s_ids + i, idLength))
                return false;
            i += idLength + 1;
        }
        return true;
    }

    private static bool Report(byte* type, uint typeLength, byte* id, uint idLength)
    {
        // A peer's names are checked before they are copied: a path past the limit is not a device of ours.
        if (typeLength + idLength > PathLimit)
            return true;
        var n = Text.Put(s_path, 0, "device/");
        n = Text.Put(s_path, n, type, typeLength);
        n = Text.Put(s_path, n, "/");
        n = Text.Put(s_path, n, id, idLength);
        var device = n;
        // Like the probe, a child without a backend is not a device (libxl's device/suspend/event-channel), and
        // one whose nodes are still being written is skipped: neither is an error.
        if (!XenStore.ReadIfPresent(s_path, Text.Put(s_path, device, "/backend")))
            return true;
        var backendLength = Keep(s_backend);
        if (!XenStore.ReadIfPresent(s_path, Text.Put(s_path, device, "/backend-id")))
            return true;
        Log.Write('"');
        Text.Log(type, typeLength);
        Log.Write("\" at xen0: ");
        Text.Log(s_path, device);
        if (backendLength == 0 || s_backend[0] != '/' || !Text.TryParseDecimal(XenStore.Reply, XenStore.ReplyLength, out var backendId))
        {
            Log.Write(": bad backend \"");
            Text.Log(s_backend, backendLength);
            Log.Write("\" or backend-id \"");
            Text.Log(XenStore.Reply, XenStore.ReplyLength);
            Log.WriteLine("\", ignored");
            return true;
        }
        Log.Write(" backend ");
        Log.WriteDecimal(backendId);
        Log.Write(" (");
        Text.Log(s_backend, backendLength);
        Log.WriteLine(") not configured");
        Found++;
        return true;
    }

    /// <summary>Copies the reply into one of the scan's 1 KiB buffers (cut there); its kept length.</summary>
    private static uint Keep(byte* buffer)
    {
        var length = XenStore.ReplyLength < 1024 ? XenStore.ReplyLength : 1024;
        return Text.Put(buffer, 0, XenStore.Reply, length);
    }
}
