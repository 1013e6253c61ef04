using System.Globalization;
using Xen.GuestAgent.Collectors;

namespace Xen.GuestAgent.Publishing;

/// <summary>
/// xe-guest-utilities' values: <c>attr/PVAddons</c> carries the agent's own version; <c>data/os_name</c> is
/// os-release's <c>PRETTY_NAME</c> and <c>data/os_distro</c> its <c>ID</c> (as its xe-linux-distribution script
/// writes them); <c>data/updated</c> is written after every batch that changed something, as a C <c>ctime</c>-style
/// date (<c>Tue Dec  1 13:28:15 2026</c>).
/// </summary>
internal sealed class XeKeyLayout : KeyLayout
{
    public override string Name => "xe";

    public override string? UpdatedValue(DateTimeOffset now)
    {
        var t = now.LocalDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{t:ddd MMM} {t.Day,2} {t:HH:mm:ss yyyy}");
    }

    private protected override void AddVersion(IDictionary<string, string> keys)
    {
        var version = AgentVersion;
        keys["attr/PVAddons/MajorVersion"] = version.Major.ToString(CultureInfo.InvariantCulture);
        keys["attr/PVAddons/MinorVersion"] = version.Minor.ToString(CultureInfo.InvariantCulture);
        keys["attr/PVAddons/MicroVersion"] = Math.Max(0, version.Build).ToString(CultureInfo.InvariantCulture);
        keys["attr/PVAddons/BuildVersion"] = Math.Max(0, version.Revision).ToString(CultureInfo.InvariantCulture);
    }

    private protected override void AddOs(OsInfo os, IDictionary<string, string> keys)
    {
        keys["data/os_name"] = os.PrettyName;
        keys["data/os_distro"] = os.Id;
    }
}
