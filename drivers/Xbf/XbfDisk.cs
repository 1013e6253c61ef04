using System.Globalization;
using Xen.Abi.Io;
using Xen.Drivers.Xbf.Block;
using Xen.Drivers.Xbf.Negotiation;
using Xen.Drivers.Xbf.Rings;
using Xen.Services.Xenbus;

namespace Xen.Drivers.Xbf;

/// <summary>
/// One xbf unit: a virtual disk on its queues. Transfers are split into requests of at most one request's
/// segments and spread over the queues; a response that breaks the protocol disables the disk (one log line) and
/// fails every pending request.
/// </summary>
public sealed class XbfDisk : IBlockDevice, IDisposable
{
    private readonly XbfQueue[] queues;
    private readonly Action<string> log;
    private XbfDiskInfo? info;
    private int nextQueue;
    private int state = (int)XbfDiskState.Initialising;

    internal XbfDisk(XenbusDevice device, XbfQueue[] queues)
    {
        Device = device;
        this.queues = queues;
        log = device.Services.Log;
    }

    /// <summary>The xenbus device.</summary>
    public XenbusDevice Device { get; }

    /// <summary>The unit's name (<c>xbf0</c>).</summary>
    public string Name => Device.UnitName ?? "xbf";

    /// <summary>The state.</summary>
    public XbfDiskState State => (XbfDiskState)Volatile.Read(ref state);

    /// <summary>What failed, once <see cref="State"/> is <see cref="XbfDiskState.Error"/>.</summary>
    public string? ErrorReason { get; private set; }

    /// <summary>What the backend published at connect time.</summary>
    /// <exception cref="InvalidOperationException">The backend has not connected yet.</exception>
    public XbfDiskInfo Info => info ?? throw new InvalidOperationException($"{Name}: the backend has not connected");

    /// <summary>The queues in use (<c>multi-queue-num-queues</c>, 1 without multi-queue).</summary>
    public int QueueCount => queues.Length;

    /// <summary>The ring page order (<c>ring-page-order</c>).</summary>
    public int RingPageOrder => queues[0].PageOrder;

    /// <summary>Entries of each ring.</summary>
    public uint RingSize => queues[0].RingSize;

    /// <summary>Segments (pages) one request carries: 11, or the indirect segments agreed.</summary>
    public int SegmentsPerRequest { get; private set; }

    /// <summary>Whether persistent grants are used (both ends offered <c>feature-persistent</c>).</summary>
    public bool PersistentGrants { get; private set; }

    /// <summary>Requests in flight on every queue.</summary>
    public int InFlight => queues.Sum(q => q.InFlight);

    /// <inheritdoc/>
    public long SectorCount => Info.Sectors;

    /// <inheritdoc/>
    public int SectorSize => Info.SectorSize;

    /// <inheritdoc/>
    public int PhysicalSectorSize => Info.PhysicalSectorSize;

    /// <inheritdoc/>
    public bool IsReadOnly => Info.IsReadOnly;

    /// <inheritdoc/>
    public bool CanFlush => Info.FlushCache || Info.Barrier;

    /// <inheritdoc/>
    public bool CanDiscard => Info.Discard && !Info.IsReadOnly;

    /// <inheritdoc/>
    public int DiscardGranularity => Info.DiscardGranularity;

    internal IReadOnlyList<XbfQueue> Queues => queues;

    /// <summary>The backend connected with <paramref name="connected"/>: the bounce pages are granted and requests may start.</summary>
    internal void Start(XbfDiskInfo connected, XbfOptions options, bool frontendPersistent)
    {
        var segments = connected.MaxIndirectSegments > Blkif.BlkifMaxSegmentsPerRequest
            ? Math.Clamp(options.MaxIndirectSegments, Blkif.BlkifMaxSegmentsPerRequest, connected.MaxIndirectSegments)
            : Blkif.BlkifMaxSegmentsPerRequest;
        var perQueue = (int)Math.Min(queues[0].RingSize, (uint)Math.Max(1, options.MaxRequestsPerQueue));
        PersistentGrants = frontendPersistent && connected.Persistent;
        foreach (var queue in queues) queue.AllocateSlots(perQueue, segments, PersistentGrants);
        info = connected;
        SegmentsPerRequest = segments;
        Volatile.Write(ref state, (int)XbfDiskState.Connected);
        log($"{Name}: {Describe(connected)}");
    }

    private string Describe(XbfDiskInfo disk)
    {
        var bytes = disk.Sectors * XbfGeometry.SectorBytes;
        var features = new List<string>();
        if (disk.FlushCache) features.Add("flush");
        if (disk.Barrier) features.Add("barrier");
        if (disk.Discard) features.Add(string.Create(CultureInfo.InvariantCulture, $"discard (granularity {disk.DiscardGranularity}, alignment {disk.DiscardAlignment}{(disk.DiscardSecure ? ", secure" : "")})"));
        if (PersistentGrants) features.Add("persistent grants");
        if (disk.IsReadOnly) features.Add("read-only");
        if (disk.IsCdrom) features.Add("cdrom");
        if (disk.IsRemovable) features.Add("removable");
        return string.Create(CultureInfo.InvariantCulture,
            $"{disk.Sectors} sectors ({bytes / (1024 * 1024)} MB), sector size {disk.SectorSize}, physical {disk.PhysicalSectorSize}; " +
            $"{queues.Length} queue(s) of {1 << RingPageOrder}-page rings ({RingSize} entries), {SegmentsPerRequest} segments per request" +
            $"{(SegmentsPerRequest > Blkif.BlkifMaxSegmentsPerRequest ? " (indirect)" : "")}; {(features.Count == 0 ? "no features" : string.Join(", ", features))}");
    }

    /// <inheritdoc/>
    public async ValueTask ReadAsync(long sector, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        CheckTransfer(sector, buffer.Length, write: false);
        var chunk = queues[0].MaxRequestBytes;
        var parts = new List<Task>();
        for (var done = 0; done < buffer.Length; done += chunk)
        {
            var length = Math.Min(chunk, buffer.Length - done);
            parts.Add(RunAsync(new XbfRequest((byte)Blkif.BlkifOpRead, sector + done / XbfGeometry.SectorBytes, ReadTarget: buffer.Slice(done, length)), cancellationToken));
        }
        await Task.WhenAll(parts).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask WriteAsync(long sector, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        CheckTransfer(sector, buffer.Length, write: true);
        var chunk = queues[0].MaxRequestBytes;
        var parts = new List<Task>();
        for (var done = 0; done < buffer.Length; done += chunk)
        {
            var length = Math.Min(chunk, buffer.Length - done);
            parts.Add(RunAsync(new XbfRequest((byte)Blkif.BlkifOpWrite, sector + done / XbfGeometry.SectorBytes, WriteData: buffer.Slice(done, length)), cancellationToken));
        }
        await Task.WhenAll(parts).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <c>BLKIF_OP_FLUSH_DISKCACHE</c> when offered, else an empty <c>BLKIF_OP_WRITE_BARRIER</c>, as blkfront chooses;
    /// it covers the writes completed before it, so it goes to every queue.
    /// </remarks>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotConnected();
        if (!CanFlush) return;
        var operation = (byte)(Info.FlushCache ? Blkif.BlkifOpFlushDiskcache : Blkif.BlkifOpWriteBarrier);
        await Task.WhenAll(queues.Select(q => RunOnAsync(q, new XbfRequest(operation, 0), cancellationToken))).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DiscardAsync(long sector, long sectorCount, CancellationToken cancellationToken = default)
    {
        ThrowIfNotConnected();
        if (!Info.Discard) throw new BlockDeviceException($"{Name}: the backend offers no discard", BlockDeviceFailure.NotSupported);
        if (Info.IsReadOnly) throw new BlockDeviceException($"{Name}: read-only", BlockDeviceFailure.ReadOnly);
        CheckRange(sector, sectorCount);
        if (sectorCount == 0) return;
        await RunAsync(new XbfRequest((byte)Blkif.BlkifOpDiscard, sector, DiscardSectors: sectorCount), cancellationToken).ConfigureAwait(false);
    }

    private Task RunAsync(XbfRequest request, CancellationToken cancellationToken)
    {
        var queue = queues[(int)((uint)Interlocked.Increment(ref nextQueue) % (uint)queues.Length)];
        return RunOnAsync(queue, request, cancellationToken);
    }

    private async Task RunOnAsync(XbfQueue queue, XbfRequest request, CancellationToken cancellationToken)
    {
        var status = await queue.SubmitAsync(request, cancellationToken).ConfigureAwait(false);
        switch (status)
        {
            case Blkif.BlkifRspOkay:
                return;
            case Blkif.BlkifRspEopnotsupp:
                throw new BlockDeviceException($"{Name}: {Blkif.CNameOf(request.Operation, "BLKIF_OP_")} at sector {request.Sector}: not supported by the backend", BlockDeviceFailure.NotSupported);
            default:
                throw new BlockDeviceException($"{Name}: {Blkif.CNameOf(request.Operation, "BLKIF_OP_")} at sector {request.Sector}: backend status {Blkif.CNameOf(status, "BLKIF_RSP_") ?? status.ToString(CultureInfo.InvariantCulture)}", BlockDeviceFailure.IoError);
        }
    }

    private void CheckTransfer(long sector, int length, bool write)
    {
        ThrowIfNotConnected();
        if (write && Info.IsReadOnly) throw new BlockDeviceException($"{Name}: read-only", BlockDeviceFailure.ReadOnly);
        if (length % Info.SectorSize != 0)
            throw new ArgumentException($"{Name}: a transfer of {length} bytes is not a multiple of the sector size {Info.SectorSize}", nameof(length));
        CheckRange(sector, length / XbfGeometry.SectorBytes);
    }

    private void CheckRange(long sector, long count)
    {
        var perSector = Info.SectorSize / XbfGeometry.SectorBytes;
        if (sector % perSector != 0 || count % perSector != 0)
            throw new ArgumentException($"{Name}: sectors {sector}+{count} are not aligned to the {Info.SectorSize}-byte sector size", nameof(sector));
        if (sector < 0 || count < 0 || sector > Info.Sectors - count)
            throw new ArgumentOutOfRangeException(nameof(sector), $"{Name}: sectors {sector}+{count} are outside the disk's {Info.Sectors}");
    }

    private void ThrowIfNotConnected()
    {
        switch (State)
        {
            case XbfDiskState.Connected:
                return;
            case XbfDiskState.Error:
                throw new BlockDeviceException($"{Name}: disabled after a backend error: {ErrorReason}", BlockDeviceFailure.DeviceError);
            case XbfDiskState.Closed:
                throw new BlockDeviceException($"{Name}: disconnected", BlockDeviceFailure.Disconnected);
            default:
                throw new InvalidOperationException($"{Name}: the backend has not connected");
        }
    }

    /// <summary>
    /// The backend broke the protocol: disable the disk (once, with one log line), fail everything pending and tell
    /// the toolstack in the device's error node.
    /// </summary>
    internal void Fail(string reason)
    {
        if (Interlocked.CompareExchange(ref state, (int)XbfDiskState.Error, (int)XbfDiskState.Connected) != (int)XbfDiskState.Connected
            && Interlocked.CompareExchange(ref state, (int)XbfDiskState.Error, (int)XbfDiskState.Initialising) != (int)XbfDiskState.Initialising)
            return;
        ErrorReason = reason;
        log($"{Name}: backend error: {reason}; disabled for further use");
        foreach (var queue in queues) queue.Stop($"{Name}: disabled after a backend error: {reason}", BlockDeviceFailure.DeviceError);
        _ = Device.TryReportErrorAsync(Xen.Abi.XenErrno.XenEio, $"backend error: {reason}");
    }

    /// <summary>Fails what is pending as disconnected, closes the event channels and ends the grants.</summary>
    public void Dispose()
    {
        if (State != XbfDiskState.Error) Volatile.Write(ref state, (int)XbfDiskState.Closed);
        foreach (var queue in queues) queue.Dispose();
    }
}
