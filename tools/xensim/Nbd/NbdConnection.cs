using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Xen.Drivers.Xbf.Block;
using static Xen.Simulator.Tool.Nbd.NbdProtocol;

namespace Xen.Simulator.Tool.Nbd;

/// <summary>One client: the fixed newstyle negotiation, then transmission with requests served concurrently.</summary>
internal sealed class NbdConnection(Socket socket, NbdServer server, Action<string> log)
{
    /// <summary>Requests served at once per client (fio's iodepth 32 fits with room).</summary>
    private const int MaxInFlight = 64;

    private readonly NetworkStream stream = new(socket, ownsSocket: true);
    private readonly SemaphoreSlim sending = new(1, 1);
    private readonly SemaphoreSlim inFlight = new(MaxInFlight, MaxInFlight);
    private readonly BlockDeviceStream disk = new(server.Device);
    private bool noZeroes;

    private IBlockDevice Device => server.Device;

    public async Task ServeAsync(CancellationToken stop)
    {
        await using var _ = stream;
        try
        {
            if (await NegotiateAsync(stop)) await TransmitAsync(stop);
        }
        catch (Exception e) when (e is IOException or SocketException or EndOfStreamException or OperationCanceledException or ObjectDisposedException)
        {
        }
        catch (NbdProtocolException e)
        {
            log($"nbd: client dropped: {e.Message}");
        }
        // Let requests still running finish before the stream goes.
        for (var i = 0; i < MaxInFlight; i++) await inFlight.WaitAsync(CancellationToken.None);
    }

    private async Task<bool> NegotiateAsync(CancellationToken stop)
    {
        var hello = new byte[18];
        BinaryPrimitives.WriteUInt64BigEndian(hello, InitMagic);
        BinaryPrimitives.WriteUInt64BigEndian(hello.AsSpan(8), OptionMagic);
        BinaryPrimitives.WriteUInt16BigEndian(hello.AsSpan(16), FlagFixedNewstyle | FlagNoZeroes);
        await stream.WriteAsync(hello, stop);
        var flags = BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(4, stop));
        if ((flags & ClientFlagFixedNewstyle) == 0) throw new NbdProtocolException("the client is not fixed newstyle");
        noZeroes = (flags & ClientFlagNoZeroes) != 0;
        while (true)
        {
            var header = await ReadAsync(16, stop);
            if (BinaryPrimitives.ReadUInt64BigEndian(header) != OptionMagic) throw new NbdProtocolException("an option without IHAVEOPT");
            var option = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
            var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12));
            if (length > 64 * 1024) throw new NbdProtocolException($"option {option} of {length} bytes");
            var data = await ReadAsync((int)length, stop);
            switch (option)
            {
                case OptExportName:
                    var info = new byte[noZeroes ? 10 : 134];
                    BinaryPrimitives.WriteUInt64BigEndian(info, (ulong)ExportBytes);
                    BinaryPrimitives.WriteUInt16BigEndian(info.AsSpan(8), TransmissionFlags);
                    await stream.WriteAsync(info, stop);
                    return true;
                case OptAbort:
                    await ReplyAsync(option, RepAck, [], stop);
                    return false;
                case OptList:
                    var name = Encoding.UTF8.GetBytes(server.Name);
                    var entry = new byte[4 + name.Length];
                    BinaryPrimitives.WriteUInt32BigEndian(entry, (uint)name.Length);
                    name.CopyTo(entry, 4);
                    await ReplyAsync(option, RepServer, entry, stop);
                    await ReplyAsync(option, RepAck, [], stop);
                    break;
                case OptInfo or OptGo:
                    if (!WellFormedInfoRequest(data))
                    {
                        await ReplyAsync(option, RepErrInvalid, [], stop);
                        break;
                    }
                    await ReplyAsync(option, RepInfo, ExportInfo(), stop);
                    await ReplyAsync(option, RepInfo, BlockSizeInfo(), stop);
                    await ReplyAsync(option, RepAck, [], stop);
                    if (option == OptGo) return true;
                    break;
                default:
                    await ReplyAsync(option, RepErrUnsup, [], stop);
                    break;
            }
        }
    }

    /// <summary>NBD_OPT_INFO/GO data: a name length, the name, a count of info requests and the requests.</summary>
    private static bool WellFormedInfoRequest(byte[] data)
    {
        if (data.Length < 6) return false;
        var nameLength = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (nameLength > data.Length - 6) return false;
        var requests = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(4 + (int)nameLength));
        return data.Length == 6 + nameLength + requests * 2;
    }

    private long ExportBytes => Device.SectorCount * 512;

    private ushort TransmissionFlags
    {
        get
        {
            var flags = (ushort)(TransmitHasFlags | TransmitSendFlush | TransmitSendFua | TransmitCanMultiConn);
            if (Device.IsReadOnly) flags |= TransmitReadOnly;
            if (Device.CanDiscard) flags |= TransmitSendTrim;
            return flags;
        }
    }

    private byte[] ExportInfo()
    {
        var info = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(info, InfoExport);
        BinaryPrimitives.WriteUInt64BigEndian(info.AsSpan(2), (ulong)ExportBytes);
        BinaryPrimitives.WriteUInt16BigEndian(info.AsSpan(10), TransmissionFlags);
        return info;
    }

    private byte[] BlockSizeInfo()
    {
        var info = new byte[14];
        BinaryPrimitives.WriteUInt16BigEndian(info, InfoBlockSize);
        BinaryPrimitives.WriteUInt32BigEndian(info.AsSpan(2), (uint)Device.SectorSize);
        BinaryPrimitives.WriteUInt32BigEndian(info.AsSpan(6), (uint)Math.Max(4096, Device.PhysicalSectorSize));
        BinaryPrimitives.WriteUInt32BigEndian(info.AsSpan(10), MaxPayload);
        return info;
    }

    private async Task ReplyAsync(uint option, uint type, byte[] data, CancellationToken stop)
    {
        var reply = new byte[20 + data.Length];
        BinaryPrimitives.WriteUInt64BigEndian(reply, OptionReplyMagic);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(8), option);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(12), type);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(16), (uint)data.Length);
        data.CopyTo(reply, 20);
        await stream.WriteAsync(reply, stop);
    }

    private async Task TransmitAsync(CancellationToken stop)
    {
        var header = new byte[28];
        while (true)
        {
            await stream.ReadExactlyAsync(header, stop);
            if (BinaryPrimitives.ReadUInt32BigEndian(header) != RequestMagic) throw new NbdProtocolException("a request without its magic");
            var flags = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4));
            var type = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(6));
            var handle = BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8));
            var offset = BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(16));
            var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24));
            if (type == CmdDisc) return;
            if (type is CmdRead or CmdWrite && length > MaxPayload) throw new NbdProtocolException($"a request of {length} bytes");
            byte[]? payload = null;
            if (type == CmdWrite)
            {
                payload = ArrayPool<byte>.Shared.Rent((int)length);
                await stream.ReadExactlyAsync(payload.AsMemory(0, (int)length), stop);
            }
            await inFlight.WaitAsync(stop);
            _ = ServeRequestAsync(type, flags, handle, offset, length, payload);
        }
    }

    private async Task ServeRequestAsync(ushort type, ushort flags, ulong handle, ulong offset, uint length, byte[]? payload)
    {
        byte[]? data = null;
        try
        {
            uint error;
            try
            {
                error = InRange(type, offset, length);
                if (error == 0)
                {
                    switch (type)
                    {
                        case CmdRead:
                            data = ArrayPool<byte>.Shared.Rent((int)length);
                            await disk.ReadAtAsync((long)offset, data.AsMemory(0, (int)length));
                            break;
                        case CmdWrite:
                            await disk.WriteAtAsync((long)offset, payload.AsMemory(0, (int)length));
                            if ((flags & CmdFlagFua) != 0) await Device.FlushAsync();
                            break;
                        case CmdFlush:
                            await Device.FlushAsync();
                            break;
                        case CmdTrim:
                            await TrimAsync((long)offset, length);
                            break;
                        default:
                            error = Einval;
                            break;
                    }
                }
            }
            catch (BlockDeviceException e)
            {
                error = e.Failure switch
                {
                    BlockDeviceFailure.ReadOnly => Eperm,
                    BlockDeviceFailure.NotSupported => Enotsup,
                    BlockDeviceFailure.Disconnected => Eshutdown,
                    _ => Eio,
                };
            }
            catch (ArgumentException)
            {
                error = Einval;
            }
            await SendReplyAsync(handle, error, error == 0 && type == CmdRead ? data.AsMemory(0, (int)length) : default);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The client went away; its connection loop ends too.
        }
        finally
        {
            if (payload is not null) ArrayPool<byte>.Shared.Return(payload);
            if (data is not null) ArrayPool<byte>.Shared.Return(data);
            inFlight.Release();
        }
    }

    private uint InRange(ushort type, ulong offset, uint length)
    {
        if (type is not (CmdRead or CmdWrite or CmdTrim)) return 0;
        if (offset > (ulong)ExportBytes || length > (ulong)ExportBytes - offset) return type == CmdRead ? Einval : Enospc;
        if (type != CmdRead && Device.IsReadOnly) return Eperm;
        return 0;
    }

    /// <summary>A trim of the whole sectors inside the range (a trim is advisory; partial sectors are left alone).</summary>
    private async Task TrimAsync(long offset, uint length)
    {
        if (!Device.CanDiscard) return;
        var unit = Device.SectorSize;
        var start = (offset + unit - 1) / unit * unit;
        var end = (offset + length) / unit * unit;
        if (end > start) await Device.DiscardAsync(start / 512, (end - start) / 512);
    }

    private async Task SendReplyAsync(ulong handle, uint error, ReadOnlyMemory<byte> data)
    {
        var reply = ArrayPool<byte>.Shared.Rent(16 + data.Length);
        try
        {
            BinaryPrimitives.WriteUInt32BigEndian(reply, SimpleReplyMagic);
            BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(4), error);
            BinaryPrimitives.WriteUInt64BigEndian(reply.AsSpan(8), handle);
            data.Span.CopyTo(reply.AsSpan(16));
            await sending.WaitAsync();
            try
            {
                await stream.WriteAsync(reply.AsMemory(0, 16 + data.Length));
            }
            finally
            {
                sending.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(reply);
        }
    }

    private async Task<byte[]> ReadAsync(int length, CancellationToken stop)
    {
        var buffer = new byte[length];
        await stream.ReadExactlyAsync(buffer, stop);
        return buffer;
    }

    private sealed class NbdProtocolException(string message) : Exception(message);
}
