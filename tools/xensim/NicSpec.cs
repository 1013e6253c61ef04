namespace Xen.Simulator.Tool;

/// <summary>
/// One <c>--nic</c>: xl's <c>key=value,...</c> for the toolstack (<c>mac</c>, <c>bridge</c>), and xensim's own keys:
/// <c>backend-tap=NAME</c> bridges the backend's vif to a TAP device, <c>guest-tap=NAME</c> the guest's xnf unit to
/// another.
/// </summary>
internal sealed record NicSpec(string ToolstackSpec, string? BackendTap, string? GuestTap)
{
    private const string BackendTapKey = "backend-tap";
    private const string GuestTapKey = "guest-tap";

    /// <exception cref="FormatException">A part is not <c>key=value</c>, or a TAP key is empty.</exception>
    public static NicSpec Parse(string spec)
    {
        string? backend = null, guest = null;
        var rest = new List<string>();
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) throw new FormatException($"--nic \"{spec}\": \"{part}\" is not key=value");
            var (key, value) = (part[..eq], part[(eq + 1)..]);
            if (key is BackendTapKey or GuestTapKey && value.Length == 0) throw new FormatException($"--nic \"{spec}\": {key} needs a device name");
            if (key == BackendTapKey) backend = value;
            else if (key == GuestTapKey) guest = value;
            else rest.Add(part);
        }
        return new NicSpec(string.Join(',', rest), backend, guest);
    }
}
