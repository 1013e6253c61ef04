using System.Globalization;
using Xen.GuestAgent.Collectors;

namespace Xen.GuestAgent.Publishing;

/// <summary>
/// xen-guest-agent's <c>std</c> values: a pseudo-version <c>1.0.0</c> in <c>attr/PVAddons</c> (management tools hide
/// a major version of 0) with the real one in <c>BuildVersion</c>; <c>data/os_name</c> is the name and version
/// (<c>Debian GNU/Linux 12</c>) and <c>data/os_distro</c> the name; no <c>data/updated</c> (XAPI ignores it).
/// </summary>
internal sealed class XgaKeyLayout : KeyLayout
{
    public override string Name => "xga";

    public override string? UpdatedValue(DateTimeOffset now) => null;

    private protected override void AddVersion(IDictionary<string, string> keys)
    {
        keys["attr/PVAddons/MajorVersion"] = "1";
        keys["attr/PVAddons/MinorVersion"] = "0";
        keys["attr/PVAddons/MicroVersion"] = "0";
        var version = AgentVersion;
        keys["attr/PVAddons/BuildVersion"] = string.Create(CultureInfo.InvariantCulture, $"xengen-{version.Major}.{version.Minor}.{Math.Max(0, version.Build)}");
    }

    private protected override void AddOs(OsInfo os, IDictionary<string, string> keys)
    {
        keys["data/os_name"] = os.VersionId is { } version ? $"{os.Name} {version}" : os.Name;
        keys["data/os_distro"] = os.Name;
    }
}
