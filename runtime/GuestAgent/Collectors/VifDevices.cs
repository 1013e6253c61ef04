using System.Globalization;
using System.Text.RegularExpressions;

namespace Xen.GuestAgent.Collectors;

/// <summary>
/// Which Xen vif an interface is: the <c>devid</c> of its netfront device (sysfs
/// <c>/sys/class/net/NAME/device/nodename</c> reads <c>device/vif/N</c>), else the one its name implies as
/// xe-guest-utilities reads names (<c>ethN</c>, the kernel's netfront order; <c>enXN</c>, systemd's name for vif N).
/// </summary>
public sealed partial class VifDevices(string sysfsNet = "/sys/class/net")
{
    /// <summary>The vif's devid, or null when the interface is not one.</summary>
    public int? DevidOf(string interfaceName)
    {
        if (interfaceName.Length == 0 || interfaceName.Contains('/') || interfaceName is "." or "..") return null;
        try
        {
            string nodename = File.ReadAllText(Path.Combine(sysfsNet, interfaceName, "device", "nodename")).Trim();
            if (NodenamePattern().Match(nodename) is { Success: true } node) return Parse(node.Groups[1].Value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not a netfront (no device, or another bus): fall back to the name.
        }
        return NamePattern().Match(interfaceName) is { Success: true } byName ? Parse(byName.Groups[1].Value) : null;
    }

    private static int? Parse(string digits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int devid) ? devid : null;

    [GeneratedRegex(@"^device/vif/([0-9]{1,9})$")]
    private static partial Regex NodenamePattern();

    [GeneratedRegex(@"^(?:eth|enX)([0-9]{1,9})$")]
    private static partial Regex NamePattern();
}
