using System.Net.Sockets;
using Xen.XenStore.Protocol;
using Xen.XenStore.Server;

namespace Xen.XenStore.Server.Transport;

/// <summary>
/// One unix socket client of the server, on .NET's socket event loop (one epoll thread for every socket): no
/// thread of its own. An idle client holds no buffer: the read loop waits for readability with a zero-byte
/// receive and rents its frame buffer only while bytes are buffered. Requests are processed on the thread that
/// saw them arrive, and the replies sent from there (no hop on the request/reply path); output queued by other
/// clients' requests (watch events) is sent by a task started from the pool. One sender at a time keeps frames
/// whole and in order. A client that does not read its replies stops being read (back-pressure), and a length
/// over <c>XENSTORE_PAYLOAD_MAX</c> closes it.
/// </summary>
internal sealed class XsSocketConnection : IAsyncDisposable
{
    private readonly XenStoreServer _server;
    private readonly Socket _socket;
    private readonly Action<XsSocketConnection> _closed;
    private readonly CancellationTokenSource _stop = new();
    private readonly XsConnection _connection;
    private XsFrameAssembler? _frames;
    private Task _readLoop = Task.CompletedTask;
    private Task _sender = Task.CompletedTask;
    private int _sending;
    private int _closing;
    private volatile bool _processing;

    public XsSocketConnection(XenStoreServer server, Socket socket, Action<XsSocketConnection> closed)
    {
        _server = server;
        _socket = socket;
        _socket.Blocking = false;
        _closed = closed;
        _connection = server.Connect(0, "socket", Signal);
    }

    public void Start()
    {
        _server.Log?.Invoke($"socket client {_connection.Id} connected");
        _readLoop = ReadLoopAsync();
    }

    /// <summary>Output was queued (maybe under the server's lock): while this client's requests are processed, the read loop sends it right after; otherwise a sender starts on the pool.</summary>
    private void Signal()
    {
        if (_processing || Interlocked.CompareExchange(ref _sending, 1, 0) != 0) return;
        ThreadPool.UnsafeQueueUserWorkItem(static self => self._sender = self.SendQueuedAsync(), this, preferLocal: false);
    }

    private async Task ReadLoopAsync()
    {
        string reason = "closed by the client";
        try
        {
            while (true)
            {
                await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                _frames ??= new XsFrameAssembler();
                int n = _socket.Receive(_frames.FreeSpace, SocketFlags.None, out var error);
                if (error == SocketError.WouldBlock) continue;
                if (error != SocketError.Success) throw new SocketException((int)error);
                if (n == 0)
                {
                    if (_frames.Buffered > 0) reason = $"closed by the client in the middle of a message ({_frames.Buffered} bytes)";
                    break;
                }
                _frames.Advance(n);
                _processing = true;
                bool processed = ProcessFrames(_frames, out bool tooLong);
                _processing = false;
                if (tooLong)
                {
                    reason = $"payload length over XENSTORE_PAYLOAD_MAX ({XsHeader.PayloadMax}); closing";
                    break;
                }
                if (_frames.Buffered == 0)
                {
                    _frames.Dispose();
                    _frames = null;
                }
                if (!processed) continue;
                // Send the replies from here; if a sender is busy (events), wait for it: a client that does not read is not read.
                if (Interlocked.CompareExchange(ref _sending, 1, 0) == 0) await SendQueuedAsync().ConfigureAwait(false);
                else await Volatile.Read(ref _sender).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            reason = _stop.IsCancellationRequested ? "server stopping" : e.Message;
        }
        catch (Exception e)
        {
            // A fault of ours must cost this client its connection, not every client the server.
            reason = $"internal error, closing: {e}";
        }
        finally
        {
            _frames?.Dispose();
            _frames = null;
            Close(reason);
        }
    }

    /// <summary>Processes every whole request received; returns whether there was one.</summary>
    private bool ProcessFrames(XsFrameAssembler frames, out bool tooLong)
    {
        bool processed = false;
        while (true)
        {
            var status = frames.TryTake(out var header, out var payload, out _);
            tooLong = status == XsFrameStatus.PayloadTooLong;
            if (status != XsFrameStatus.Complete) return processed;
            _server.Process(_connection, header, payload);
            processed = true;
        }
    }

    /// <summary>Sends every queued frame; the caller has set <see cref="_sending"/>, which this clears when the queue is empty.</summary>
    private async Task SendQueuedAsync()
    {
        try
        {
            while (true)
            {
                while (_connection.TryDequeue(out var frame))
                {
                    using (frame)
                    {
                        var remaining = frame.Memory;
                        while (!remaining.IsEmpty) remaining = remaining[await _socket.SendAsync(remaining, SocketFlags.None, _stop.Token).ConfigureAwait(false)..];
                    }
                }
                Volatile.Write(ref _sending, 0);
                // Output queued after the last dequeue and before the flag cleared would have found a sender running.
                if (!_connection.HasOutput || Interlocked.CompareExchange(ref _sending, 1, 0) != 0) return;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Close(_stop.IsCancellationRequested ? "server stopping" : e.Message);
        }
    }

    private void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1) return;
        // Logged before the socket closes, so whoever sees the connection end can already read why.
        if (reason != "server stopping") _server.Log?.Invoke($"socket client {_connection.Id}: {reason}");
        _server.Disconnect(_connection);
        _stop.Cancel();
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { }
        _socket.Dispose();
        _closed(this);
    }

    public async ValueTask DisposeAsync()
    {
        Close("server stopping");
        await _readLoop.ConfigureAwait(false);
        await Volatile.Read(ref _sender).ConfigureAwait(false);
        _stop.Dispose();
    }
}
