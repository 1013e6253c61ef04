namespace Xen.Conformance;

/// <summary>How results are written in answers: errno and GNTST_ by their C names, so a line reads as Xen's headers do.</summary>
public static class Answers
{
    /// <summary>A hypercall's return: <c>0</c>, a positive value, or <c>-EINVAL</c> (xen/errno.h's name).</summary>
    public static string Rc(long rc) => rc >= 0 ? rc.ToString() : "-" + ErrnoName(-rc);

    /// <summary><c>EINVAL</c> for 22; <c>errno 4242</c> for a number xen/errno.h does not name.</summary>
    public static string ErrnoName(long errno)
    {
        string? name = Enum.IsDefined((XenErrno)(int)errno) ? Enum.GetName((XenErrno)(int)errno) : null;
        // The generated enumerators are XEN_EINVAL in .NET casing (XenEinval): back to the C spelling.
        return name is not null && name.StartsWith("XenE", StringComparison.Ordinal)
            ? "E" + name["XenE".Length..].ToUpperInvariant()
            : $"errno {errno}";
    }

    /// <summary>A GNTST_* status by its C name.</summary>
    public static string GrantStatus(short status) => Gnttab.CNameOf(status, "GNTST_") ?? $"GNTST_?({status})";

    /// <summary>An EVTCHNSTAT_* status by its C name.</summary>
    public static string ChannelStatus(uint status) => Evtchn.CNameOf(status, "EVTCHNSTAT_") ?? $"EVTCHNSTAT_?({status})";

    /// <summary>A domain id relative to the asking domain: <c>self</c>, <c>peer</c>, or the number.</summary>
    public static string Domain(ushort domid, ushort self, ushort? peer) =>
        domid == self ? "self" : domid == peer ? "peer" : domid.ToString();
}
