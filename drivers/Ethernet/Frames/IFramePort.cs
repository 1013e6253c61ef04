namespace Xen.Drivers.Ethernet.Frames;

/// <summary>Runs for each frame a port receives; the span is valid only during the call.</summary>
public delegate void FrameReceived(ReadOnlySpan<byte> frame, FrameOffload offload);

/// <summary>
/// One end of an Ethernet link that carries frames with their offload metadata: a frontend's interface (xnf0) or a
/// backend's vif. A bridge moves frames between a port and a TAP device.
/// </summary>
public interface IFramePort
{
    /// <summary>The port's name in log lines (<c>xnf0</c>, <c>vif1.0</c>).</summary>
    string Name { get; }

    /// <summary>What <see cref="Send"/> accepts; a frame needing more must be completed first.</summary>
    OffloadFeatures Accepts { get; }

    /// <summary>The largest frame <see cref="Send"/> takes, Ethernet header included.</summary>
    int MaxFrameSize { get; }

    /// <summary>Frames arriving from the link; set before traffic starts.</summary>
    FrameReceived? Received { get; set; }

    /// <summary>
    /// Sends <paramref name="frame"/>, waiting while the link has no room; false when the port dropped it (the link is
    /// down, in an error state, or the frame is malformed or larger than <see cref="MaxFrameSize"/>).
    /// </summary>
    bool Send(ReadOnlySpan<byte> frame, FrameOffload offload);
}
