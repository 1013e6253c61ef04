using System.Net.Sockets;
using System.Text;
using Xen.Abi.Io;
using Xen.Nexus.Pvbus;
using Xen.XenStore.Client;
using Xen.XenStore.Protocol;

namespace Xen.Simulator.Tool;

/// <summary>
/// The guest's pvbus on a unix socket, spoken in the XenStore wire protocol so hostctl's <c>-f SOCKET</c> works
/// unchanged: <c>XS_READ</c>, <c>XS_WRITE</c>, <c>XS_DIRECTORY</c>, <c>XS_MKDIR</c>, <c>XS_RM</c> and
/// <c>XS_GET_DOMAIN_PATH</c> act on the guest's keys through <see cref="Pvbus"/> (relative keys under the guest's
/// home, as /dev/pvbus0 resolves them); anything else answers <c>ENOSYS</c>. A client is the guest, not dom0.
/// </summary>
internal sealed class PvbusSocketServer : IAsyncDisposable
{
    private readonly Pvbus pvbus;
    private readonly Socket listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    public PvbusSocketServer(Pvbus pvbus, string path)
    {
        this.pvbus = pvbus;
        Path = path;
        if (File.Exists(path)) File.Delete(path);
        listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(16);
        accepting = AcceptAsync();
    }

    public string Path { get; }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await listener.AcceptAsync(stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var _ = client;
        var buffer = new byte[XsHeader.FrameMax];
        var filled = 0;
        try
        {
            while (true)
            {
                var n = await client.ReceiveAsync(buffer.AsMemory(filled), stop.Token);
                if (n == 0) return;
                filled += n;
                while (true)
                {
                    var status = XsFrame.TryDecode(buffer.AsSpan(0, filled), out var header, out var payload, out var length);
                    if (status == XsFrameStatus.PayloadTooLong) return;
                    if (status != XsFrameStatus.Complete) break;
                    var request = (header.Type, header.ReqId, header.TxId, payload.ToArray());
                    buffer.AsSpan(length, filled - length).CopyTo(buffer);
                    filled -= length;
                    var reply = await AnswerAsync(request.Type, request.ReqId, request.TxId, request.Item4);
                    await client.SendAsync(reply, stop.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task<byte[]> AnswerAsync(uint type, uint requestId, uint transactionId, byte[] payload)
    {
        var args = SplitStrings(payload);
        try
        {
            return (XsdSockmsgType)type switch
            {
                XsdSockmsgType.XsRead => Frame(type, requestId, transactionId, Encoding.UTF8.GetBytes(await ReadRawAsync(args[0])), terminate: false),
                XsdSockmsgType.XsWrite => await WriteAsync(type, requestId, transactionId, payload),
                XsdSockmsgType.XsDirectory => Frame(type, requestId, transactionId, Encoding.UTF8.GetBytes(string.Concat((await pvbus.ListAsync(args[0])).Select(c => c + "\0"))), terminate: false),
                XsdSockmsgType.XsMkdir => await OkAfter(type, requestId, transactionId, () => pvbus.WriteIfMissingAsync(args[0])),
                XsdSockmsgType.XsRm => await OkAfter(type, requestId, transactionId, () => pvbus.RemoveAsync(args[0])),
                // The socket is the guest's device: whatever domain a client believes it is (a socket client says 0), its home is the guest's.
                XsdSockmsgType.XsGetDomainPath => Frame(type, requestId, transactionId, Encoding.UTF8.GetBytes(pvbus.Home), terminate: true),
                _ => Error(requestId, transactionId, XsError.Enosys),
            };
        }
        catch (XsErrorException e)
        {
            return Error(requestId, transactionId, e.Error);
        }
        catch (IndexOutOfRangeException)
        {
            return Error(requestId, transactionId, XsError.Einval);
        }
    }

    private Task<string> ReadRawAsync(string key) => pvbus.ReadValueAsync(key);

    private async Task<byte[]> WriteAsync(uint type, uint requestId, uint transactionId, byte[] payload)
    {
        var nul = Array.IndexOf(payload, (byte)0);
        if (nul < 0) return Error(requestId, transactionId, XsError.Einval);
        var key = Encoding.UTF8.GetString(payload, 0, nul);
        var value = Encoding.UTF8.GetString(payload, nul + 1, payload.Length - nul - 1);
        await pvbus.WriteAsync(key, value);
        return Frame(type, requestId, transactionId, "OK"u8.ToArray(), terminate: true);
    }

    private static async Task<byte[]> OkAfter(uint type, uint requestId, uint transactionId, Func<Task> action)
    {
        await action();
        return Frame(type, requestId, transactionId, "OK"u8.ToArray(), terminate: true);
    }

    private static string[] SplitStrings(byte[] payload)
        => Encoding.UTF8.GetString(payload).Split('\0', StringSplitOptions.RemoveEmptyEntries);

    private static byte[] Error(uint requestId, uint transactionId, XsError error)
        => Frame((uint)XsdSockmsgType.XsError, requestId, transactionId, Encoding.ASCII.GetBytes(error.Name ?? "EIO"), terminate: true);

    private static byte[] Frame(uint type, uint requestId, uint transactionId, byte[] body, bool terminate)
    {
        var buffer = new byte[XsHeader.FrameMax];
        var writer = new XsMessageWriter(buffer, (XsdSockmsgType)type, requestId, transactionId);
        if (!(terminate ? writer.AppendString(body) : writer.AppendBytes(body))) return Error(requestId, transactionId, XsError.E2big);
        return buffer[..writer.Finish()];
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Dispose();
        try { await accepting; } catch (Exception) { }
        try { File.Delete(Path); } catch (IOException) { }
    }
}
