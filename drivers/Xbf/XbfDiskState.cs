namespace Xen.Drivers.Xbf;

/// <summary>Where an <see cref="XbfDisk"/> is in its life.</summary>
public enum XbfDiskState
{
    /// <summary>Rings published, waiting for the backend to connect.</summary>
    Initialising,

    /// <summary>Serving requests.</summary>
    Connected,

    /// <summary>The backend broke the protocol: disabled for further use, every pending request failed.</summary>
    Error,

    /// <summary>Disconnected (unplugged, or the backend closed).</summary>
    Closed,
}
