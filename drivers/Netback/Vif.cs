using System.Buffers.Binary;
using Xen.Abi.Io;
using Xen.Drivers.Ethernet.Frames;
using Xen.Services;

namespace Xen.Drivers.Netback;

/// <summary>
/// A connected vif (<c>vif&lt;domid&gt;.&lt;devid&gt;</c>): the frontend's queues, and its frames as an
/// <see cref="IFramePort"/>: frames the guest transmits are <see cref="Received"/>, frames <see cref="Send"/>
/// goes to the guest. A frontend that breaks the protocol stops it with one log line.
/// </summary>
public sealed class Vif : IFramePort, IDisposable
{
    private const int EthernetAndVlanHeader = 18;
    private readonly XenDomainServices services;
    private readonly VifQueue[] queues;
    private int failed;
    private long sent, received;

    internal Vif(string name, XenDomainServices services, ushort domain, FrontendConnection connection, NetbackOptions options)
    {
        Name = name;
        this.services = services;
        Accepts = connection.Receives;
        MaxFrameSize = (Accepts & OffloadFeatures.ScatterGather) != 0
            ? Netif.XenNetifMaxTxSize
            : Math.Min(options.Mtu + EthernetAndVlanHeader, GrantedPages.XenPageSize);
        queues = new VifQueue[connection.Queues.Length];
        try
        {
            for (var i = 0; i < queues.Length; i++) queues[i] = new VifQueue(this, services, domain, connection.Queues[i], options.Hostile);
        }
        catch
        {
            foreach (var queue in queues) queue?.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public OffloadFeatures Accepts { get; }

    /// <inheritdoc/>
    public int MaxFrameSize { get; }

    /// <summary>How many queues the frontend set up.</summary>
    public int QueueCount => queues.Length;

    /// <inheritdoc/>
    public FrameReceived? Received { get; set; }

    /// <summary>Frames from the guest and to it, per queue, in queue order.</summary>
    public IReadOnlyList<(long FromGuest, long ToGuest)> QueueStatistics => queues.Select(q => q.Frames).ToArray();

    /// <summary>Whether each queue has its own tx and rx event channels (<c>event-channel-tx</c>, <c>-rx</c>).</summary>
    public bool SplitEventChannels => queues[0].Split;

    /// <summary>Whether the frontend broke the protocol.</summary>
    public bool IsFailed => Volatile.Read(ref failed) != 0;

    /// <summary>Frames to the guest and from it.</summary>
    public (long Sent, long Received) Statistics => (Interlocked.Read(ref sent), Interlocked.Read(ref received));

    /// <inheritdoc/>
    public bool Send(ReadOnlySpan<byte> frame, FrameOffload offload)
    {
        if (IsFailed || frame.Length == 0 || frame.Length > MaxFrameSize) return false;
        if (offload.Gso == GsoKind.TcpV4 && (Accepts & OffloadFeatures.TcpV4Segmentation) == 0) return false;
        if (offload.Gso == GsoKind.TcpV6 && (Accepts & OffloadFeatures.TcpV6Segmentation) == 0) return false;
        if (offload.ChecksumBlank && !ChecksumAccepted(frame)) return false;
        if (!queues[QueueOf(frame)].Send(frame, offload)) return false;
        Interlocked.Increment(ref sent);
        return true;
    }

    private bool ChecksumAccepted(ReadOnlySpan<byte> frame)
        => L4Headers.TryLocate(frame, out var l4) && (Accepts & (l4.IsIPv6 ? OffloadFeatures.ChecksumIPv6 : OffloadFeatures.ChecksumIPv4)) != 0;

    private int QueueOf(ReadOnlySpan<byte> frame)
    {
        if (queues.Length == 1 || !L4Headers.TryLocate(frame, out var l4)) return 0;
        var ports = BinaryPrimitives.ReadUInt32BigEndian(frame[l4.HeaderStart..]);
        return (int)((ports ^ (ports >> 16)) % (uint)queues.Length);
    }

    internal void Deliver(ReadOnlySpan<byte> frame, FrameOffload offload)
    {
        Interlocked.Increment(ref received);
        Received?.Invoke(frame, offload);
    }

    /// <summary>Stops the vif once, with one log line.</summary>
    internal void Fail(string reason)
    {
        if (Interlocked.Exchange(ref failed, 1) != 0) return;
        services.Log($"{Name}: frontend error: {reason}; vif stopped");
    }

    /// <summary>Stops the workers, closes the event channels and unmaps the rings.</summary>
    public void Dispose()
    {
        foreach (var queue in queues) queue?.Dispose();
    }
}
