namespace Xen.Nexus.Grants;

/// <summary>
/// Called once a deferred end of access succeeded: <paramref name="gfn"/>, the frame that was granted, is the
/// guest's again and may be reused or freed.
/// </summary>
public delegate void GrantReleased(uint grantRef, ulong gfn);
