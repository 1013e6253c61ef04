using Xen.Drivers.Ethernet.Frames;

namespace Xen.Drivers.Ethernet.Tap;

/// <summary>
/// Joins a <see cref="TapDevice"/> and an <see cref="IFramePort"/>: frames the kernel sends into the TAP go out on
/// the port, frames the port receives come out of the TAP, each with its checksum and segmentation state translated
/// between <see cref="VirtioNetHeader"/> and <see cref="FrameOffload"/>. The TAP's offloads follow what the port
/// accepts; a blank checksum the port does not take is filled here.
/// </summary>
public sealed class TapBridge : IDisposable
{
    private const int ReadTimeoutMs = 100;
    private readonly TapDevice tap;
    private readonly Thread reader;
    private readonly Action<string> log;
    private volatile IFramePort? port;
    private volatile bool stopping;
    private long toPort, fromPort, dropped;

    /// <summary>Starts moving frames between <paramref name="tap"/> and (once <see cref="Attach"/>ed) a port.</summary>
    public TapBridge(TapDevice tap, Action<string>? log = null)
    {
        this.tap = tap;
        this.log = log ?? (_ => { });
        tap.SetOffload(OffloadFeatures.None);
        reader = new Thread(ReadLoop) { IsBackground = true, Name = "tap " + tap.Name };
        reader.Start();
    }

    /// <summary>Frames read from the TAP and sent on the port.</summary>
    public long FramesToPort => Interlocked.Read(ref toPort);

    /// <summary>Frames received on the port and written to the TAP.</summary>
    public long FramesFromPort => Interlocked.Read(ref fromPort);

    /// <summary>Frames dropped either way (the port refused, the kernel refused, or no port attached).</summary>
    public long FramesDropped => Interlocked.Read(ref dropped);

    /// <summary>Connects <paramref name="next"/> (a port whose link came up), setting the TAP's offloads to what it accepts.</summary>
    public void Attach(IFramePort next)
    {
        next.Received = Deliver;
        tap.SetOffload(next.Accepts);
        port = next;
        log($"{tap.Name}: bridged to {next.Name} (offloads {next.Accepts})");
    }

    /// <summary>Disconnects the port (its link went down); frames from the TAP are dropped until the next <see cref="Attach"/>.</summary>
    public void Detach(IFramePort old)
    {
        if (Interlocked.CompareExchange(ref port, null, old) == old)
        {
            old.Received = null;
            tap.SetOffload(OffloadFeatures.None);
        }
    }

    private void ReadLoop()
    {
        var frame = new byte[FrameLimit];
        while (!stopping)
        {
            int length;
            VirtioNetHeader header;
            try
            {
                length = tap.Read(frame, out header, ReadTimeoutMs);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (IOException e)
            {
                if (!stopping) log($"{tap.Name}: {e.Message}");
                return;
            }
            if (length == 0) continue;
            if (port is not { } target || !TryPrepare(frame.AsSpan(0, length), header, target.Accepts, out var offload) || !target.Send(frame.AsSpan(0, length), offload))
                Interlocked.Increment(ref dropped);
            else
                Interlocked.Increment(ref toPort);
        }
    }

    /// <summary>The kernel's header as netif metadata; a blank checksum the port cannot take is filled now.</summary>
    private static bool TryPrepare(Span<byte> frame, in VirtioNetHeader header, OffloadFeatures accepts, out FrameOffload offload)
    {
        offload = default;
        var gso = (header.GsoType & ~VirtioNetHeader.GsoEcn) switch
        {
            VirtioNetHeader.GsoNone => GsoKind.None,
            VirtioNetHeader.GsoTcpV4 when (accepts & OffloadFeatures.TcpV4Segmentation) != 0 => GsoKind.TcpV4,
            VirtioNetHeader.GsoTcpV6 when (accepts & OffloadFeatures.TcpV6Segmentation) != 0 => GsoKind.TcpV6,
            _ => (GsoKind?)null,
        };
        if (gso is null) return false;
        var blank = (header.Flags & VirtioNetHeader.FlagNeedsCsum) != 0;
        if (blank)
        {
            if (!L4Headers.TryLocate(frame, out var l4) || l4.HeaderStart != header.CsumStart) return false;
            var wanted = l4.IsIPv6 ? OffloadFeatures.ChecksumIPv6 : OffloadFeatures.ChecksumIPv4;
            if ((accepts & wanted) == 0)
            {
                if (gso != GsoKind.None) return false;
                L4Headers.FillChecksum(frame, l4);
                blank = false;
            }
        }
        offload = new FrameOffload(blank, blank || (header.Flags & VirtioNetHeader.FlagDataValid) != 0, gso.Value, gso == GsoKind.None ? (ushort)0 : header.GsoSize);
        return true;
    }

    private void Deliver(ReadOnlySpan<byte> frame, FrameOffload offload)
    {
        var header = default(VirtioNetHeader);
        if (offload.DataValidated) header.Flags |= VirtioNetHeader.FlagDataValid;
        if (offload.ChecksumBlank || offload.Gso != GsoKind.None)
        {
            if (!L4Headers.TryLocate(frame, out var l4) || (offload.Gso != GsoKind.None && (!l4.IsTcp || l4.IsIPv6 != (offload.Gso == GsoKind.TcpV6) || offload.GsoSize == 0)))
            {
                Interlocked.Increment(ref dropped);
                return;
            }
            header.Flags = VirtioNetHeader.FlagNeedsCsum;
            header.CsumStart = (ushort)l4.HeaderStart;
            header.CsumOffset = (ushort)l4.ChecksumOffset;
            if (offload.Gso != GsoKind.None)
            {
                header.GsoType = offload.Gso == GsoKind.TcpV4 ? VirtioNetHeader.GsoTcpV4 : VirtioNetHeader.GsoTcpV6;
                header.GsoSize = offload.GsoSize;
                header.HdrLen = (ushort)(l4.HeaderStart + l4.HeaderLength);
            }
        }
        try
        {
            if (tap.Write(header, frame)) Interlocked.Increment(ref fromPort);
            else Interlocked.Increment(ref dropped);
        }
        catch (ObjectDisposedException)
        {
            Interlocked.Increment(ref dropped);
        }
    }

    /// <summary>The largest frame a TAP hands over with segmentation on: 64 KiB of IP and the Ethernet header.</summary>
    public const int FrameLimit = 65536 + 64;

    /// <summary>Stops the reader and closes the TAP.</summary>
    public void Dispose()
    {
        stopping = true;
        if (port is { } p) Detach(p);
        reader.Join(TimeSpan.FromSeconds(2));
        tap.Dispose();
    }
}
