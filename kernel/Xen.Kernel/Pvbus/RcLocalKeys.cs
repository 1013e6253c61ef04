using Xen.Kernel.Machine;
using Xen.Kernel.Store;

namespace Xen.Kernel.Pvbus;

/// <summary>
/// The keys xen(4)'s manual has rc.local set with hostctl, so a XenServer host sees the guest initialised: the
/// PV add-ons' version, the OS, the vif's addresses (the manual's documentation addresses), then data/updated.
/// </summary>
public static class RcLocalKeys
{
    /// <summary>What the kernel calls its OS (the manual's kern.ostype).</summary>
    public const string OsType = "XenGen";

    /// <summary>Its release (the manual's kern.osrelease).</summary>
    public const string OsRelease = "kernel";

    public static bool Write()
    {
        return Put("attr/PVAddons/MajorVersion", "6")
            && Put("attr/PVAddons/MinorVersion", "2")
            && Put("attr/PVAddons/MicroVersion", "0")
            && Put("attr/PVAddons/BuildVersion", "76888")
            && Put("attr/PVAddons/Installed", "1")
            && Put("data/os_name", "XenGen kernel")
            && Put("data/os_uname", OsRelease)
            && Put("data/os_distro", OsType)
            && Put("attr/vif/0/ipv4/0", "192.0.2.1")
            && Put("attr/vif/0/ipv6/0", "2001:db8::1")
            && Put("data/updated", "1");
    }

    private static bool Put(string key, string value)
    {
        if (!XenStore.Write(key, value))
            return false;
        Log.Write("pvbus0: ");
        Log.Write(key);
        Log.Write(" = \"");
        Log.Write(value);
        Log.WriteLine("\"");
        return true;
    }
}
