using Microsoft.Win32.SafeHandles;

namespace Xen.XenStore.Client.Transports;

/// <summary>
/// Linux's <c>/dev/xen/xenbus</c>: the guest kernel's xenbus driver relays the same xs_wire frames to the store
/// over the domain's ring (request ids are the caller's, restored by the driver). Reads and writes on one
/// descriptor; a blocked read polls so that <see cref="Dispose"/> ends it.
/// </summary>
public sealed class XsXenbusDeviceTransport : IXsClientTransport
{
    /// <summary>The device Linux guests (and dom0) expose.</summary>
    public const string DefaultPath = "/dev/xen/xenbus";

    private const int PollIntervalMilliseconds = 100;

    private readonly SafeFileHandle _handle;
    private volatile bool _disposed;

    /// <summary>Uses an open descriptor of the device (or of anything speaking the same stream, such as a socket in tests).</summary>
    /// <param name="handle">The descriptor; the transport disposes it.</param>
    /// <param name="name">What the descriptor is, for messages.</param>
    public XsXenbusDeviceTransport(SafeFileHandle handle, string name)
    {
        _handle = handle;
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public uint? DomainId => null;

    /// <summary>Opens the device for reading and writing.</summary>
    /// <param name="path">The device; <see cref="DefaultPath"/> when null.</param>
    /// <returns>The transport.</returns>
    /// <exception cref="XsConnectionException">The device is missing (not a Xen guest or dom0) or cannot be opened.</exception>
    public static XsXenbusDeviceTransport Open(string? path = null)
    {
        path ??= DefaultPath;
        try
        {
            return new XsXenbusDeviceTransport(File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XsConnectionException($"cannot open {path}: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public int Receive(Span<byte> buffer)
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            while (!_disposed)
            {
                if (!XsPosix.WaitReadable(_handle, PollIntervalMilliseconds)) continue;
                int n = XsPosix.Read(_handle, buffer);
                if (n >= 0) return n;
            }
            return 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        catch (IOException e)
        {
            throw new XsConnectionException($"{Name}: {e.Message}", e);
        }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }

    /// <inheritdoc />
    public void Send(ReadOnlySpan<byte> data)
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            XsPosix.WriteAll(_handle, data);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            throw new XsConnectionException($"{Name}: {e.Message}", e);
        }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }

    /// <summary>Ends a blocked <see cref="Receive"/> within one poll interval and closes the descriptor once no call uses it.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }
}
