using System.Runtime.InteropServices;
using Xen.Kernel.Machine;
using Xen.Kernel.Nexus;

namespace Xen.Kernel.Store;

/// <summary>
/// XenStore requests over <see cref="XsRing"/>, one at a time, as the client's framing: a struct xsd_sockmsg header,
/// then the body; replies are matched by request id, watch events that arrive in between are noted. A body longer
/// than XENSTORE_PAYLOAD_MAX, or a reply to no request, ends the connection. Paths are relative to the domain's
/// home (/local/domain/N), as the store resolves them.
/// </summary>
public static unsafe class XenStore
{
    /// <summary>struct xsd_sockmsg (io/xs_wire.h); the test holds its layout to Xen.Abi's.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    public struct XsdSockmsg
    {
        [FieldOffset(0)] public uint Type;
        [FieldOffset(4)] public uint ReqId;
        [FieldOffset(8)] public uint TxId;
        [FieldOffset(12)] public uint Len;
    }

    /// <summary>How long one request may take before the kernel gives up on it.</summary>
    public const ulong RequestTimeout = 30 * Clock.Second;

    private static byte* s_request;
    private static uint s_requestId;

    /// <summary>The last reply's body (a boot page; valid until the next request).</summary>
    public static byte* Reply { get; private set; }

    /// <summary>The last reply's length.</summary>
    public static uint ReplyLength { get; private set; }

    /// <summary>How many watch events arrived and were not yet taken by <see cref="TakeWatchEvent"/>.</summary>
    public static uint PendingWatchEvents { get; private set; }

    public static void Attach()
    {
        s_request = (byte*)BootPages.Allocate();
        Reply = (byte*)BootPages.Allocate();
    }

    /// <summary>XS_READ of <paramref name="path"/>: the value in <see cref="Reply"/>.</summary>
    public static bool Read(string path)
    {
        var n = Text.Put(s_request, 0, path);
        s_request[n++] = 0;
        return Request(XsNumbers.XsRead, n, "read");
    }

    /// <summary>XS_READ of a path already in bytes.</summary>
    public static bool Read(byte* path, uint length)
    {
        var n = Text.Put(s_request, 0, path, length);
        s_request[n++] = 0;
        return Request(XsNumbers.XsRead, n, "read");
    }

    /// <summary>
    /// XS_READ of a node that may be absent (xenbus's optional nodes): false with <see cref="NotFound"/> set and
    /// nothing logged when the store answers ENOENT; any other error is logged as by <see cref="Read(byte*, uint)"/>.
    /// </summary>
    public static bool ReadIfPresent(byte* path, uint length)
    {
        var n = Text.Put(s_request, 0, path, length);
        s_request[n++] = 0;
        return Request(XsNumbers.XsRead, n, "read", missingIsQuiet: true);
    }

    /// <summary>Whether the last request's error was ENOENT.</summary>
    public static bool NotFound { get; private set; }

    /// <summary>XS_WRITE of <paramref name="value"/> at <paramref name="path"/>.</summary>
    public static bool Write(string path, string value)
    {
        var n = Text.Put(s_request, 0, path);
        s_request[n++] = 0;
        n = Text.Put(s_request, n, value);
        return Request(XsNumbers.XsWrite, n, "write");
    }

    /// <summary>XS_DIRECTORY of a path in bytes: NUL-terminated names in <see cref="Reply"/>.</summary>
    public static bool Directory(byte* path, uint length)
    {
        var n = Text.Put(s_request, 0, path, length);
        s_request[n++] = 0;
        return Request(XsNumbers.XsDirectory, n, "directory");
    }

    /// <summary>XS_WATCH of <paramref name="path"/> with <paramref name="token"/>; the store fires it once at once.</summary>
    public static bool Watch(string path, string token)
    {
        var n = Text.Put(s_request, 0, path);
        s_request[n++] = 0;
        n = Text.Put(s_request, n, token);
        s_request[n++] = 0;
        return Request(XsNumbers.XsWatch, n, "watch");
    }

    /// <summary>Waits until a watch event has arrived (or takes one already noted); false at the deadline.</summary>
    public static bool TakeWatchEvent(ulong deadline)
    {
        while (PendingWatchEvents == 0)
        {
            if (XsRing.Broken) return false;
            if (!XsRing.HasReply)
            {
                if (!XsRing.Wait(deadline)) return false;
                continue;
            }
            if (!ReadMessage(out var header, deadline)) return false;
            if (header.Type != XsNumbers.XsWatchEvent)
                return Unexpected(header);
        }
        PendingWatchEvents--;
        return true;
    }

    private static bool Request(uint type, uint length, string operation, bool missingIsQuiet = false)
    {
        NotFound = false;
        XsdSockmsg header;
        header.Type = type;
        header.ReqId = ++s_requestId;
        header.TxId = 0;
        header.Len = length;
        var deadline = Clock.Now() + RequestTimeout;
        if (!XsRing.Write((byte*)&header, 16, deadline) || !XsRing.Write(s_request, length, deadline))
            return TimedOut(operation, length);
        while (true)
        {
            if (!ReadMessage(out var reply, deadline))
                return XsRing.Broken ? false : TimedOut(operation, length);
            if (reply.Type == XsNumbers.XsWatchEvent)
                continue;
            if (reply.ReqId != header.ReqId)
                return Unexpected(reply);
            if (reply.Type == XsNumbers.XsError)
            {
                NotFound = IsEnoent();
                if (NotFound && missingIsQuiet)
                    return false;
                Log.Write("xenstore0: ");
                Log.Write(operation);
                Log.Write(' ');
                LogRequestPath(length);
                Log.Write(": ");
                Text.Log(Reply, ReplyLength > 0 && Reply[ReplyLength - 1] == 0 ? ReplyLength - 1 : ReplyLength);
                Log.Write('\n');
                return false;
            }
            return true;
        }
    }

    /// <summary>One message's header and body (into <see cref="Reply"/>); a watch event is counted.</summary>
    private static bool ReadMessage(out XsdSockmsg header, ulong deadline)
    {
        XsdSockmsg h;
        header = default;
        if (!XsRing.Read((byte*)&h, 16, deadline))
            return false;
        if (h.Len > XsNumbers.XenstorePayloadMax)
        {
            Log.Write("xenstore0: reply of ");
            Log.WriteDecimal(h.Len);
            Log.WriteLine(" bytes is over XENSTORE_PAYLOAD_MAX: connection dropped");
            XsRing.Drop();
            return false;
        }
        if (!XsRing.Read(Reply, h.Len, deadline))
            return false;
        ReplyLength = h.Len;
        if (h.Type == XsNumbers.XsWatchEvent)
            PendingWatchEvents++;
        header = h;
        return true;
    }

    private static bool Unexpected(XsdSockmsg reply)
    {
        Log.Write("xenstore0: unexpected message type ");
        Log.WriteDecimal(reply.Type);
        Log.Write(" for request ");
        Log.WriteDecimal(reply.ReqId);
        Log.WriteLine(": connection dropped");
        XsRing.Drop();
        return false;
    }

    private static bool TimedOut(string operation, uint length)
    {
        Log.Write("xenstore0: ");
        Log.Write(operation);
        Log.Write(' ');
        LogRequestPath(length);
        Log.WriteLine(": no reply in time");
        return false;
    }

    /// <summary>Whether the error reply in <see cref="Reply"/> is "ENOENT" (NUL-terminated or not).</summary>
    private static bool IsEnoent()
    {
        var length = ReplyLength > 0 && Reply[ReplyLength - 1] == 0 ? ReplyLength - 1 : ReplyLength;
        return Text.Equals(Reply, length, "ENOENT");
    }

    /// <summary>The request's path: its body's first NUL-terminated entry.</summary>
    private static void LogRequestPath(uint length) => Text.Log(s_request, Text.EntryLength(s_request, 0, length));

}
