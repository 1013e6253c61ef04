using System.Net.Sockets;
using Xen.XenStore.Protocol;
using Xen.XenStore.Server;

namespace Xen.XenStore.Server.Transport;

/// <summary>
/// One unix socket client of the server. A reader thread frames requests, hands them to the server and sends
/// the replies itself (no thread hop on the request/reply path); a writer thread sends what is queued outside
/// this client's requests (watch events fired by others). Sends are serialised, so frames never interleave, and
/// a client that stops reading blocks only its own threads. A length over <c>XENSTORE_PAYLOAD_MAX</c> closes it.
/// </summary>
internal sealed class XsSocketConnection : IAsyncDisposable
{
    private readonly XenStoreServer _server;
    private readonly Socket _socket;
    private readonly Action<XsSocketConnection> _closed;
    private readonly SemaphoreSlim _output = new(0);
    private readonly object _sending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly XsConnection _connection;
    private Thread? _reader;
    private Thread? _writer;
    private int _signalled;
    private int _closing;
    private volatile bool _readerProcessing;

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
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"xenstore socket {_connection.Id} reader" };
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = $"xenstore socket {_connection.Id} writer" };
        _reader.Start();
        _writer.Start();
    }

    /// <summary>Output was queued. While the reader is processing requests it sends everything queued right after, so the writer is not woken for it.</summary>
    private void Signal()
    {
        if (_readerProcessing) return;
        if (Interlocked.Exchange(ref _signalled, 1) == 0) _output.Release();
    }

    private void ReadLoop()
    {
        var frames = new XsFrameAssembler();
        string reason = "closed by the client";
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int n = _socket.Receive(frames.FreeSpace);
                if (n == 0)
                {
                    if (frames.Buffered > 0) reason = $"closed by the client in the middle of a message ({frames.Buffered} bytes)";
                    break;
                }
                frames.Advance(n);
                _readerProcessing = true;
                bool processed = ProcessFrames(frames, out bool tooLong);
                _readerProcessing = false;
                if (tooLong)
                {
                    reason = $"payload length over XENSTORE_PAYLOAD_MAX ({XsHeader.PayloadMax}); closing";
                    break;
                }
                if (processed) Flush();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
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
            frames.Dispose();
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

    private void WriteLoop()
    {
        try
        {
            while (true)
            {
                _output.Wait(_stop.Token);
                Volatile.Write(ref _signalled, 0);
                Flush();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            Close(_stop.IsCancellationRequested ? "server stopping" : e.Message);
        }
    }

    /// <summary>Sends every queued frame.</summary>
    private void Flush()
    {
        lock (_sending)
        {
            while (_connection.TryDequeue(out var frame))
            {
                using (frame)
                {
                    var span = frame.Span;
                    while (!span.IsEmpty) span = span[_socket.Send(span)..];
                }
            }
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

    public ValueTask DisposeAsync()
    {
        Close("server stopping");
        _reader?.Join();
        _writer?.Join();
        _stop.Dispose();
        _output.Dispose();
        return ValueTask.CompletedTask;
    }
}
