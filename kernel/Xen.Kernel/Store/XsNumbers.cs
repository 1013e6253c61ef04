namespace Xen.Kernel.Store;

/// <summary>
/// The XenStore wire numbers the kernel uses (io/xs_wire.h). Written twice: Xen.Abi's XsWire and XsdSockmsgType
/// have them, but it is built on the BCL; Xen.Kernel.Tests holds them equal.
/// </summary>
public static class XsNumbers
{
    /// <summary>XS_DIRECTORY</summary>
    public const uint XsDirectory = 1;

    /// <summary>XS_READ</summary>
    public const uint XsRead = 2;

    /// <summary>XS_WATCH</summary>
    public const uint XsWatch = 4;

    /// <summary>XS_WRITE</summary>
    public const uint XsWrite = 11;

    /// <summary>XS_WATCH_EVENT</summary>
    public const uint XsWatchEvent = 15;

    /// <summary>XS_ERROR</summary>
    public const uint XsError = 16;

    /// <summary>XENSTORE_RING_SIZE: each direction's bytes in the page.</summary>
    public const uint XenstoreRingSize = 1024;

    /// <summary>XENSTORE_PAYLOAD_MAX: the longest message body a peer may send.</summary>
    public const uint XenstorePayloadMax = 4096;
}
