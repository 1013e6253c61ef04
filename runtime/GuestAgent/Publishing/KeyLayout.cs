using System.Globalization;

namespace Xen.GuestAgent.Publishing;

/// <summary>
/// The keys (relative to the guest's home) and values a <see cref="GuestState"/> becomes. The two layouts agree on
/// the paths of docs/misc/xenstore-paths (<c>attr/vif/N/ipv4/M</c>, <c>data/meminfo_*</c>, <c>control/feature-*</c>)
/// and differ in the values of the <c>attr/PVAddons</c> version and the OS name, and in <c>data/updated</c>.
/// </summary>
public abstract class KeyLayout
{
    /// <summary>The subtree the agent owns whole: cleared when it connects, emptied parents removed.</summary>
    public const string VifRoot = "attr/vif";

    /// <summary>The key written after a batch of changes, when the layout has one.</summary>
    public const string UpdatedKey = "data/updated";

    /// <summary>xe-guest-utilities' layout.</summary>
    public static KeyLayout Xe { get; } = new XeKeyLayout();

    /// <summary>xen-guest-agent's (its <c>std</c> schema).</summary>
    public static KeyLayout Xga { get; } = new XgaKeyLayout();

    /// <summary>The layout's name on the command line (<c>xe</c>, <c>xga</c>).</summary>
    public abstract string Name { get; }

    /// <summary>A layout by its <see cref="Name"/>, or null.</summary>
    public static KeyLayout? Named(string name) => name switch
    {
        "xe" => Xe,
        "xga" => Xga,
        _ => null,
    };

    /// <summary>Every key and value for <paramref name="state"/>, ordered by key.</summary>
    public SortedDictionary<string, string> Keys(GuestState state)
    {
        var keys = new SortedDictionary<string, string>(StringComparer.Ordinal);
        AddVersion(keys);
        keys["attr/PVAddons/Installed"] = "1";
        AddOs(state.Os, keys);
        keys["data/os_uname"] = state.Os.KernelRelease;
        if (state.Os.MajorVersion is { } major) keys["data/os_majorver"] = major;
        if (state.Os.MinorVersion is { } minor) keys["data/os_minorver"] = minor;
        if (state.Memory is { } memory)
        {
            keys["data/meminfo_total"] = memory.TotalKib.ToString(CultureInfo.InvariantCulture);
            keys["data/meminfo_free"] = memory.FreeKib.ToString(CultureInfo.InvariantCulture);
        }
        foreach (var vif in state.Vifs)
        {
            AddSlots(keys, vif.Devid, "ipv4", vif.Ipv4);
            AddSlots(keys, vif.Devid, "ipv6", vif.Ipv6);
        }
        if (state.ShutdownFeatures)
        {
            keys["control/feature-poweroff"] = "1";
            keys["control/feature-reboot"] = "1";
        }
        return keys;
    }

    /// <summary>The value of <see cref="UpdatedKey"/> for a batch written at <paramref name="now"/>, or null when the layout writes none.</summary>
    public abstract string? UpdatedValue(DateTimeOffset now);

    /// <summary>The <c>attr/PVAddons/{Major,Minor,Micro,Build}Version</c> keys.</summary>
    private protected abstract void AddVersion(IDictionary<string, string> keys);

    /// <summary>The <c>data/os_name</c> and <c>data/os_distro</c> keys.</summary>
    private protected abstract void AddOs(Collectors.OsInfo os, IDictionary<string, string> keys);

    /// <summary>The agent's version (major, minor, micro).</summary>
    private protected static Version AgentVersion => typeof(KeyLayout).Assembly.GetName().Version ?? new Version(0, 0, 0);

    private static void AddSlots(IDictionary<string, string> keys, int devid, string family, IReadOnlyList<System.Net.IPAddress?> slots)
    {
        for (int slot = 0; slot < slots.Count; slot++)
        {
            if (slots[slot] is { } address)
            {
                keys[string.Create(CultureInfo.InvariantCulture, $"{VifRoot}/{devid}/{family}/{slot}")] = address.ToString();
            }
        }
    }
}
