namespace Xen.Nexus.Events;

/// <summary>The nexus's own flags of a port, changed only with atomic operations.</summary>
[Flags]
internal enum PortState
{
    /// <summary>Not bound by the nexus.</summary>
    None = 0,

    /// <summary>Bound, with a handler.</summary>
    Bound = 1,

    /// <summary>Masked by <see cref="EventChannels.Mask"/>: no handler starts until <see cref="EventChannels.Unmask"/>.</summary>
    UserMasked = 2,
}
