using System.Globalization;

namespace Xen.Simulator.Dom0;

/// <summary>libxl's device tree layout: the frontend under the guest's home, the backend under the backend domain's.</summary>
public static class DevicePaths
{
    /// <summary>The home of <paramref name="domid"/>.</summary>
    public static string Home(uint domid) => "/local/domain/" + domid.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>/local/domain/&lt;domid&gt;/device/&lt;kind&gt;/&lt;devid&gt;</c>.</summary>
    public static string Frontend(uint domid, DeviceSpec device) => $"{Home(domid)}/device/{device.Kind}/{device.DeviceId}";

    /// <summary><c>/local/domain/&lt;backend&gt;/backend/&lt;kind&gt;/&lt;domid&gt;/&lt;devid&gt;</c>.</summary>
    public static string Backend(uint domid, DeviceSpec device) => $"{Home(device.BackendDomain)}/backend/{device.Kind}/{domid}/{device.DeviceId}";
}
