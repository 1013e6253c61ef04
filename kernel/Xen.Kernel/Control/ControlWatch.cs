using Xen.Kernel.Machine;
using Xen.Kernel.Nexus;
using Xen.Kernel.Store;

namespace Xen.Kernel.Control;

/// <summary>
/// The watch on <c>control/shutdown</c>, as ControlWatchStep: "poweroff" is acknowledged by clearing the key and
/// answered with SCHEDOP_shutdown(SHUTDOWN_poweroff); any other request is refused with a log line and left in
/// place. The wait for a request has a deadline, after which the kernel powers off by itself.
/// </summary>
public static unsafe class ControlWatch
{
    /// <summary>How long the kernel waits for the toolstack's request.</summary>
    public const ulong RequestTimeout = 30 * 60 * Clock.Second;

    private const string Key = "control/shutdown";

    public static bool Attach()
    {
        if (!XenStore.Watch(Key, "control-shutdown"))
            return false;
        Log.WriteLine("xen0: watching control/shutdown");
        return true;
    }

    /// <summary>Waits for a "poweroff" request; false when none came in time or the store failed.</summary>
    public static bool WaitForPoweroff()
    {
        var deadline = Clock.Now() + RequestTimeout;
        while (XenStore.TakeWatchEvent(deadline))
        {
            if (!XenStore.Read(Key))
                continue;
            var request = XenStore.Reply;
            var length = XenStore.ReplyLength;
            if (length == 0)
                continue;
            if (!Text.Equals(request, length, "poweroff"))
            {
                Log.Write("xen0: shutdown request \"");
                Text.Log(request, length);
                Log.WriteLine("\" refused: not supported");
                continue;
            }
            if (!XenStore.Write(Key, ""))
                return false;
            Log.WriteLine("xen0: shutdown request \"poweroff\": SHUTDOWN_poweroff");
            return true;
        }
        Log.WriteLine("xen0: no shutdown request before the deadline");
        return false;
    }
}
