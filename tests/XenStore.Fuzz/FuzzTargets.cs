using Xen.Abi.Io;
using Xen.XenStore.Protocol;
using Xen.XenStore.Server;
using Xen.XenStore.Server.Transport;

namespace Xen.XenStore.Fuzz;

/// <summary>
/// The fuzz targets. Each takes arbitrary bytes and either returns or throws: an exception, a crash or a hang
/// is a finding. After the input, each checks that the server still answers correctly and that every frame it
/// queued is well-formed.
/// </summary>
public static unsafe class FuzzTargets
{
    /// <summary>
    /// The decoder and the server behind it: byte 0 picks the sender (even: dom0, odd: guest 1), the rest is a
    /// stream of frames reassembled by <see cref="XsFrameAssembler"/> and handed to <see cref="XenStoreServer.Process"/> until it
    /// ends or announces an illegal length (where a transport closes the connection).
    /// </summary>
    /// <param name="input">The fuzzer's bytes.</param>
    public static void Decoder(ReadOnlySpan<byte> input)
    {
        var server = NewServer(out var dom0);
        if (input.IsEmpty) return;
        var sender = (input[0] & 1) == 0 ? dom0 : server.Connect(1, "fuzzed guest", static () => { });
        var stream = input[1..];
        using var frames = new XsFrameAssembler();
        while (!stream.IsEmpty)
        {
            // As a transport receives: as much as the assembler has room for, then every whole frame.
            var space = frames.FreeSpace;
            int count = Math.Min(space.Length, stream.Length);
            stream[..count].CopyTo(space);
            frames.Advance(count);
            stream = stream[count..];
            XsFrameStatus status;
            while ((status = frames.TryTake(out var header, out var payload, out _)) == XsFrameStatus.Complete)
            {
                server.Process(sender, header, payload);
                DrainWellFormed(sender);
            }
            if (status == XsFrameStatus.PayloadTooLong) break;
        }
        CheckServerAnswers(server, dom0);
    }

    /// <summary>
    /// The ring transport: the input is a script of what a malicious guest does to its page — write bytes into
    /// <c>req</c> through the ring, write raw bytes anywhere in the buffers, set any index or the connection
    /// state (asking for reconnections), notify, read
    /// responses — against an interface placed at the end of a page followed by an inaccessible one.
    /// </summary>
    /// <param name="input">The fuzzer's bytes.</param>
    public static void Ring(ReadOnlySpan<byte> input)
    {
        var server = NewServer(out var dom0);
        using var memory = new GuardedPage(atEnd: true);
        var page = memory.Page;
        using var connection = new XsRingServerConnection(server, 1, page, static () => { });
        Span<byte> scratch = stackalloc byte[256];
        while (input.Length >= 2 && !connection.IsClosed)
        {
            byte op = input[0];
            int argument = input[1];
            input = input[2..];
            switch (op % 6)
            {
                case 0:
                    int count = Math.Min(argument, input.Length);
                    try { XenstoreDomainInterfaceRing.Req(page).Write(input[..count]); }
                    catch (Xen.Rings.RingProtocolException) { }
                    input = input[count..];
                    break;
                case 1:
                    if (input.Length < 4) return;
                    uint value = BitConverter.ToUInt32(input[..4]);
                    input = input[4..];
                    switch (argument % 5)
                    {
                        case 0: page->ReqProd = value; break;
                        case 1: page->ReqCons = value; break;
                        case 2: page->RspProd = value; break;
                        case 3: page->RspCons = value; break;
                        default: page->Connection = value; break;
                    }
                    break;
                case 2:
                    connection.Notify();
                    break;
                case 3:
                    try { XenstoreDomainInterfaceRing.Rsp(page).Read(scratch[..Math.Min(argument, scratch.Length)]); }
                    catch (Xen.Rings.RingProtocolException) { }
                    break;
                case 4:
                    int at = argument * 8 % (2 * (int)XenstoreDomainInterfaceRing.ReqSize);
                    int raw = Math.Min(Math.Min(8, input.Length), 2 * (int)XenstoreDomainInterfaceRing.ReqSize - at);
                    input[..raw].CopyTo(new Span<byte>((byte*)page + at, raw));
                    input = input[raw..];
                    break;
                default:
                    connection.Notify();
                    try { XenstoreDomainInterfaceRing.Rsp(page).Read(scratch); }
                    catch (Xen.Rings.RingProtocolException) { }
                    break;
            }
        }
        connection.Notify();
        if (connection.IsClosed && page->Error == (uint)XsWire.XenstoreErrorNone) throw new InvalidOperationException("ring closed without saying why in the error field");
        if (page->Error == (uint)XsWire.XenstoreErrorComm) throw new InvalidOperationException("the ring transport hit an internal error (XENSTORE_ERROR_COMM)");
        CheckServerAnswers(server, dom0);
    }

    private static XenStoreServer NewServer(out XsConnection dom0)
    {
        var server = new XenStoreServer(new XsQuotas { NodesPerDomain = 50, WatchEventMemory = 16 * 64 });
        dom0 = server.Connect(0, "fuzz dom0", static () => { });
        Request(server, dom0, XsdSockmsgType.XsIntroduce, "1\0" + "1\0" + "1\0");
        Request(server, dom0, XsdSockmsgType.XsMkdir, "/local/domain/1\0");
        Request(server, dom0, XsdSockmsgType.XsSetPerms, "/local/domain/1\0n1\0");
        Request(server, dom0, XsdSockmsgType.XsWrite, "/fuzz/canary\0alive");
        return server;
    }

    /// <summary>The canary written before the input is still readable by dom0, and a new write works.</summary>
    private static void CheckServerAnswers(XenStoreServer server, XsConnection dom0)
    {
        DrainWellFormed(dom0);
        var (type, payload) = Request(server, dom0, XsdSockmsgType.XsWrite, "/fuzz/after\0ok");
        if (type != XsdSockmsgType.XsWrite) throw new InvalidOperationException($"write after the input failed: {System.Text.Encoding.ASCII.GetString(payload)}");
        (type, payload) = Request(server, dom0, XsdSockmsgType.XsRead, "/fuzz/after\0");
        if (type != XsdSockmsgType.XsRead || !payload.AsSpan().SequenceEqual("ok"u8)) throw new InvalidOperationException("read after the input returned the wrong value");
    }

    private static (XsdSockmsgType Type, byte[] Payload) Request(XenStoreServer server, XsConnection connection, XsdSockmsgType type, string payload)
    {
        var buffer = new byte[XsHeader.FrameMax];
        var writer = new XsMessageWriter(buffer, type, 0x5eed, 0);
        writer.AppendBytes(System.Text.Encoding.ASCII.GetBytes(payload));
        int length = writer.Finish();
        XsFrame.TryDecode(buffer.AsSpan(0, length), out var header, out var body, out _);
        server.Process(connection, header, body);
        (XsdSockmsgType, byte[])? reply = null;
        while (connection.TryDequeue(out var frame))
        {
            using (frame)
            {
                CheckWellFormed(frame);
                if (frame.Header.ReqId == 0x5eed) reply = ((XsdSockmsgType)frame.Header.Type, frame.Payload.ToArray());
            }
        }
        return reply ?? throw new InvalidOperationException($"no reply to {type}");
    }

    private static void DrainWellFormed(XsConnection connection)
    {
        while (connection.TryDequeue(out var frame))
        {
            using (frame) CheckWellFormed(frame);
        }
    }

    private static void CheckWellFormed(XsMessageBuffer frame)
    {
        if (XsFrame.TryDecode(frame.Span, out var header, out _, out int length) != XsFrameStatus.Complete || length != frame.Length)
            throw new InvalidOperationException("the server queued a malformed frame");
        if (header.Type == (uint)XsdSockmsgType.XsError && !XsError.TryFromName(System.Text.Encoding.ASCII.GetString(frame.Payload).TrimEnd('\0'), out _))
            throw new InvalidOperationException("error reply without a name from the table");
    }
}
