using Xen.GuestAgent.Control;
using Xen.GuestAgent.Publishing;

namespace Xen.GuestAgent;

/// <summary>How the agent behaves.</summary>
public sealed record GuestAgentOptions
{
    /// <summary>The key layout; xe-guest-utilities' by default.</summary>
    public KeyLayout Layout { get; init; } = KeyLayout.Xe;

    /// <summary>How often <c>/proc/meminfo</c> and the OS files are read (60 s by default); nothing else runs on a timer.</summary>
    public TimeSpan MemoryInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>What runs for a poweroff, reboot or halt request; null leaves <c>control/shutdown</c> alone (the kernel handles it) and advertises no feature.</summary>
    public ShutdownCommand? ShutdownCommand { get; init; } = new("systemctl");

    /// <summary>The longest pause between attempts to reach the store after it went away.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The root the OS files are read under (<c>etc/os-release</c>, <c>proc/sys/kernel/osrelease</c>).</summary>
    public string OsRoot { get; init; } = "/";

    /// <summary>The meminfo file.</summary>
    public string MemInfoPath { get; init; } = "/proc/meminfo";

    /// <summary>The sysfs folder of network interfaces.</summary>
    public string SysfsNet { get; init; } = "/sys/class/net";
}
