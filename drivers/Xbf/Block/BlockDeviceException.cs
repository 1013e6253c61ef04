namespace Xen.Drivers.Xbf.Block;

/// <summary>A request failed: the backend answered an error, or the device is in its error state or gone.</summary>
public sealed class BlockDeviceException : IOException
{
    /// <summary>Creates the exception.</summary>
    public BlockDeviceException(string message, BlockDeviceFailure failure, Exception? inner = null) : base(message, inner)
        => Failure = failure;

    /// <summary>Why the request failed.</summary>
    public BlockDeviceFailure Failure { get; }
}

/// <summary>Why a block request failed.</summary>
public enum BlockDeviceFailure
{
    /// <summary>The backend answered <c>BLKIF_RSP_ERROR</c>.</summary>
    IoError,

    /// <summary>The backend answered <c>BLKIF_RSP_EOPNOTSUPP</c>, or the operation is not offered.</summary>
    NotSupported,

    /// <summary>The device is read-only.</summary>
    ReadOnly,

    /// <summary>The backend broke the protocol: the device is disabled and every pending request failed.</summary>
    DeviceError,

    /// <summary>The device was disconnected (unplugged, or the backend closed) while the request was pending.</summary>
    Disconnected,
}
