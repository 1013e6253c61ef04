namespace Xen.Conformance.Cases;

/// <summary>
/// The ports a case made, by whose they are and what the case made them for (<c>offered</c>, <c>local</c>), so an
/// answer names a remote port by its role: numbers differ between runs, and a guest's port and dom0's port of the
/// same number are different ports.
/// </summary>
internal sealed class PortNames
{
    private readonly Dictionary<(ushort Domain, uint Port), string> names = [];

    /// <summary>Names <paramref name="port"/> of domain <paramref name="domain"/> (its real id, never DOMID_SELF).</summary>
    public PortNames With(ushort domain, uint port, string role)
    {
        if (domain >= XenConst.DomidFirstReserved) throw new ArgumentOutOfRangeException(nameof(domain), domain, "a port's owner by its domain id, not a reserved one");
        names[(domain, port)] = role;
        return this;
    }

    /// <summary>The role of <paramref name="port"/> of <paramref name="domain"/>, or <c>other</c> for a port no case made.</summary>
    public string Of(ushort domain, uint port) => names.GetValueOrDefault((domain, port), "other");
}
