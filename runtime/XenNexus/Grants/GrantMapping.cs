namespace Xen.Nexus.Grants;

/// <summary>A peer's grant mapped into a frame of this domain's memory by <see cref="GrantMapper.Map"/>.</summary>
/// <param name="Domain">The granting domain.</param>
/// <param name="GrantRef">Its grant reference.</param>
/// <param name="Gfn">The frame of this domain's memory the grant is mapped at.</param>
/// <param name="Handle">Xen's <c>grant_handle_t</c>, which unmapping takes.</param>
/// <param name="Access">Read-write or read-only.</param>
public readonly record struct GrantMapping(ushort Domain, uint GrantRef, ulong Gfn, uint Handle, GrantAccess Access);
