using System.Buffers;
using System.Net.Sockets;
using Xen.XenStore.Protocol;
using Xen.XenStore.Server;

namespace Xen.XenStore.Transport;

/// <summary>
/// One unix socket client of the server: a read loop that frames requests and hands them to the server, and a
/// write loop that sends what the connection queued. A length over <c>XENSTORE_PAYLOAD_MAX</c> closes it.
/// </summary>
internal sealed class XsSocketConnection : IAsyncDisposable
{
    private readonly XenStoreServer _server;
    private readonly Socket _socket;
    private readonly Action<XsSocketConnection> _closed;
    private readonly SemaphoreSlim _output = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly XsConnection _connection;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;
    private int _signalled;
    private int _closing;

    public XsSocketConnection(XenStoreServer server, Socket socket, Action<XsSocketConnection> closed)
    {
        _server = server;
        _socket = socket;
        _closed = closed;
        _connection = server.Connect(0, "socket", Signal);
    }

    public void Start()
    {
        _server.Log?.Invoke($"socket client {_connection.Id} connected");
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    private void Signal()
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 0) _output.Release();
    }

    private async Task ReadLoopAsync()
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(XsHeader.FrameMax);
        int filled = 0;
        string reason = "closed by the client";
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int n = await _socket.ReceiveAsync(buffer.AsMemory(filled, XsHeader.FrameMax - filled), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    if (filled > 0) reason = $"closed by the client in the middle of a message ({filled} bytes)";
                    break;
                }
                filled += n;
                int used = ProcessFrames(buffer.AsSpan(0, filled), out bool tooLong);
                if (tooLong)
                {
                    reason = $"payload length over XENSTORE_PAYLOAD_MAX ({XsHeader.PayloadMax}); closing";
                    break;
                }
                buffer.AsSpan(used, filled - used).CopyTo(buffer);
                filled -= used;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            reason = e is OperationCanceledException ? "server stopping" : e.Message;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Close(reason);
        }
    }

    private int ProcessFrames(ReadOnlySpan<byte> data, out bool tooLong)
    {
        int used = 0;
        tooLong = false;
        while (true)
        {
            var status = XsFrame.TryDecode(data[used..], out var header, out var payload, out int length);
            if (status == XsFrameStatus.Incomplete) return used;
            if (status == XsFrameStatus.PayloadTooLong)
            {
                tooLong = true;
                return used;
            }
            _server.Process(_connection, header, payload);
            used += length;
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await _output.WaitAsync(_stop.Token).ConfigureAwait(false);
                Volatile.Write(ref _signalled, 0);
                while (_connection.TryDequeue(out var frame))
                {
                    using (frame)
                    {
                        var memory = frame.Memory;
                        while (!memory.IsEmpty)
                        {
                            int sent = await _socket.SendAsync(memory, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                            memory = memory[sent..];
                        }
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            Close(e is OperationCanceledException ? "server stopping" : e.Message);
        }
    }

    private void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1) return;
        _server.Disconnect(_connection);
        try { _stop.Cancel(); } catch (ObjectDisposedException) { }
        _socket.Dispose();
        if (reason != "server stopping") _server.Log?.Invoke($"socket client {_connection.Id}: {reason}");
        _closed(this);
    }

    public async ValueTask DisposeAsync()
    {
        Close("server stopping");
        try { await Task.WhenAll(_readLoop, _writeLoop).ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
        _output.Dispose();
    }
}
