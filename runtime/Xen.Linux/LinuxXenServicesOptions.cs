using Xen.XenStore.Client;

namespace Xen.Linux;

/// <summary>Where <see cref="LinuxXenServices.OpenAsync"/> finds the devices, and what it opens.</summary>
public sealed class LinuxXenServicesOptions
{
    /// <summary>The folder of the devices.</summary>
    public string DeviceDirectory { get; init; } = "/dev/xen";

    /// <summary>
    /// Whether to open <c>gntdev</c> for mapping and copying peers' grants (a backend's need; a plain guest's kernel
    /// may lack the driver).
    /// </summary>
    public bool ForeignMemory { get; init; } = true;

    /// <summary>Whether to open <c>privcmd</c> for hypercalls.</summary>
    public bool Hypercalls { get; init; } = true;

    /// <summary>
    /// The XenStore connection; null opens one as libxenstore's <c>xs_open</c> does (the xenstored socket when there
    /// is one, else <c>/dev/xen/xenbus</c>).
    /// </summary>
    public XenStoreClient? Store { get; init; }

    /// <summary>Where the services write their log lines.</summary>
    public Action<string>? Log { get; init; }
}
