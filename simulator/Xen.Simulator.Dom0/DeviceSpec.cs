using System.Globalization;

namespace Xen.Simulator.Dom0;

/// <summary>
/// A paravirtual device as the toolstack writes it (libxl's <c>libxl__device</c>): its kind (the xenstore type,
/// <c>vbd</c> or <c>vif</c>), its device id, the backend domain, and the kind's own frontend and backend keys.
/// </summary>
/// <param name="Kind">The type under <c>device/</c> and <c>backend/</c>.</param>
/// <param name="DeviceId">The device id (a vbd's is its encoded virtual device, 51712 for xvda).</param>
/// <param name="BackendDomain">The backend's domain.</param>
/// <param name="FrontendKeys">Keys under the frontend directory besides backend, backend-id and state.</param>
/// <param name="BackendKeys">Keys under the backend directory besides frontend, frontend-id, online and state.</param>
public sealed record DeviceSpec(
    string Kind,
    uint DeviceId,
    uint BackendDomain,
    IReadOnlyDictionary<string, string> FrontendKeys,
    IReadOnlyDictionary<string, string> BackendKeys)
{
    /// <summary>The major of xvd disks in the vbd encoding (docs/misc/vbd-interface.txt).</summary>
    private const uint XvdMajor = 202;

    /// <summary>Disk <paramref name="index"/> (xvda, xvdb, ...) backed by <paramref name="path"/>, as libxl writes a <c>vbd</c>.</summary>
    public static DeviceSpec Disk(int index, string path, uint backendDomain = 0)
    {
        var name = "xvd" + (char)('a' + index);
        var devid = (XvdMajor << 8) | ((uint)index << 4);
        var id = devid.ToString(CultureInfo.InvariantCulture);
        return new DeviceSpec("vbd", devid, backendDomain,
            new Dictionary<string, string> { ["virtual-device"] = id, ["device-type"] = "disk" },
            new Dictionary<string, string>
            {
                ["params"] = path, ["type"] = "file", ["mode"] = "w", ["dev"] = name, ["device-type"] = "disk",
                ["removable"] = "0", ["bootable"] = "1",
            });
    }

    /// <summary>
    /// NIC <paramref name="index"/> from <paramref name="spec"/> (xl's <c>key=value,...</c>: <c>mac</c>, <c>bridge</c>;
    /// an empty spec takes a MAC in Xen's 00:16:3e prefix and bridge xenbr0), as libxl writes a <c>vif</c>.
    /// </summary>
    /// <exception cref="FormatException">A part of the spec is not <c>key=value</c>.</exception>
    public static DeviceSpec Nic(int index, string spec, uint domid, uint backendDomain = 0)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["mac"] = $"00:16:3e:{domid & 0xff:x2}:{(index >> 8) & 0xff:x2}:{index & 0xff:x2}",
            ["bridge"] = "xenbr0",
        };
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) throw new FormatException($"nic spec \"{spec}\": \"{part}\" is not key=value");
            keys[part[..eq]] = part[(eq + 1)..];
        }
        var handle = index.ToString(CultureInfo.InvariantCulture);
        return new DeviceSpec("vif", (uint)index, backendDomain,
            new Dictionary<string, string> { ["handle"] = handle, ["mac"] = keys["mac"] },
            new Dictionary<string, string>(keys) { ["handle"] = handle, ["script"] = "vif-bridge" });
    }
}
