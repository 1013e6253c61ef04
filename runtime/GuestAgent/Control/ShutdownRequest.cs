namespace Xen.GuestAgent.Control;

/// <summary>The <c>control/shutdown</c> values the agent acts on (docs/misc/xenstore-paths: poweroff, reboot, halt).</summary>
public static class ShutdownRequest
{
    /// <summary>The key, relative to the guest's home.</summary>
    public const string Key = "control/shutdown";

    /// <summary>Whether the agent acts on <paramref name="value"/>; <c>suspend</c> needs the kernel and is left to it.</summary>
    public static bool IsActedOn(string value) => value is "poweroff" or "reboot" or "halt";
}
