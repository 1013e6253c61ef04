namespace Xen.Nexus.Grants;

/// <summary>One end of a <c>GNTTABOP_copy</c>: a peer's grant reference, or a frame of this domain.</summary>
/// <param name="Domain">The domain (<c>DOMID_SELF</c> for a local frame).</param>
/// <param name="GrantRefOrGfn">The grant reference (<paramref name="IsGrantRef"/>) or the local frame number.</param>
/// <param name="Offset">The byte offset in the frame.</param>
/// <param name="IsGrantRef">Whether <paramref name="GrantRefOrGfn"/> is a grant reference.</param>
public readonly record struct GrantCopySegment(ushort Domain, ulong GrantRefOrGfn, ushort Offset, bool IsGrantRef)
{
    /// <summary>A peer's grant.</summary>
    public static GrantCopySegment Grant(ushort domain, uint grantRef, ushort offset = 0) => new(domain, grantRef, offset, true);

    /// <summary>A frame of this domain.</summary>
    public static GrantCopySegment Local(ulong gfn, ushort offset = 0) => new((ushort)XenH.DomidSelf, gfn, offset, false);
}
