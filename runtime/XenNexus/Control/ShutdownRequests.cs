using Xen.Abi;

namespace Xen.Nexus.Control;

/// <summary>
/// The requests the toolstack writes to <c>control/shutdown</c> that the nexus acts on, and the
/// <c>SCHEDOP_shutdown</c> reason (<c>SHUTDOWN_*</c>) each becomes. <c>suspend</c> is not among them: the nexus cannot
/// suspend, so it neither advertises <c>feature-suspend</c> nor acknowledges the request.
/// </summary>
public static class ShutdownRequests
{
    /// <summary>
    /// Request → reason, and whether xenstore-paths defines a <c>control/feature-&lt;request&gt;</c> key for it (the
    /// toolstack makes only those writable by the guest: poweroff, reboot, suspend).
    /// </summary>
    public static IReadOnlyList<(string Request, uint Reason, bool HasFeatureKey)> Supported { get; } =
    [
        ("poweroff", (uint)Sched.ShutdownPoweroff, true),
        ("reboot", (uint)Sched.ShutdownReboot, true),
        ("halt", (uint)Sched.ShutdownPoweroff, false),
        ("crash", (uint)Sched.ShutdownCrash, false),
    ];

    /// <summary>The reason for <paramref name="request"/>, or null when it is not supported.</summary>
    public static uint? ReasonOf(string request)
    {
        foreach (var (name, reason, _) in Supported)
        {
            if (name == request) return reason;
        }
        return null;
    }

    /// <summary>The reason's C name (<c>SHUTDOWN_poweroff</c>) for logs.</summary>
    public static string NameOf(uint reason) => reason switch
    {
        (uint)Sched.ShutdownPoweroff => "SHUTDOWN_poweroff",
        (uint)Sched.ShutdownReboot => "SHUTDOWN_reboot",
        (uint)Sched.ShutdownSuspend => "SHUTDOWN_suspend",
        (uint)Sched.ShutdownCrash => "SHUTDOWN_crash",
        (uint)Sched.ShutdownWatchdog => "SHUTDOWN_watchdog",
        _ => $"reason {reason}",
    };
}
