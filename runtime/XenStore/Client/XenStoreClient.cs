using Xen.XenStore.Client.Transports;
using Xen.XenStore.Protocol;

namespace Xen.XenStore.Client;

/// <summary>
/// A XenStore client over any <see cref="IXsClientTransport"/>. Requests are asynchronous and may be outstanding in
/// any number: each gets a request id, and a receive thread frames what the server sends, completes the request
/// whose id a reply echoes, and hands watch events to their subscriptions. A transport failure (on either thread,
/// such as the ring's event channel refusing a notification) or a protocol
/// violation by the server (oversized message, reply to no request, malformed watch event) fails every
/// outstanding request with an <see cref="XsConnectionException"/> and closes the client. A request is written
/// on the caller's thread before its task is returned, and blocks that thread while the transport has no room
/// (a full ring, a ring being reconnected): back-pressure is explicit, not queued.
/// </summary>
public sealed partial class XenStoreClient : XsStoreOperations, IDisposable, IAsyncDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly IXsClientTransport _transport;
    private readonly Dictionary<uint, XsPendingRequest> _pending = new();
    private readonly object _sendLock = new();
    private readonly Thread _receiver;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private uint _lastRequestId;
    private XsConnectionException? _fault;

    /// <summary>Starts a client on a connected transport; the client owns it from now on.</summary>
    /// <param name="transport">The transport.</param>
    /// <param name="options">Behaviour; defaults when null.</param>
    public XenStoreClient(IXsClientTransport transport, XenStoreClientOptions? options = null)
    {
        _transport = transport;
        Options = options ?? new XenStoreClientOptions();
        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = $"xenstore client: {transport.Name}" };
        _receiver.Start();
    }

    /// <summary>Connects as libxenstore's <c>xs_open</c> does: to the xenstored socket (<c>XENSTORED_PATH</c> or the default) when it exists, else through <c>/dev/xen/xenbus</c>.</summary>
    /// <param name="options">Behaviour; defaults when null.</param>
    /// <returns>The client.</returns>
    /// <exception cref="XsConnectionException">Neither is there.</exception>
    public static XenStoreClient Open(XenStoreClientOptions? options = null)
    {
        string socket = XsUnixSocketTransport.ResolvePath();
        bool useSocket = File.Exists(socket) || !File.Exists(XsXenbusDeviceTransport.DefaultPath);
        IXsClientTransport transport = useSocket ? XsUnixSocketTransport.Connect(socket) : XsXenbusDeviceTransport.Open();
        return new XenStoreClient(transport, options);
    }

    /// <summary>The behaviour chosen at construction.</summary>
    public XenStoreClientOptions Options { get; }

    /// <summary>What the transport is connected to.</summary>
    public string TransportName => _transport.Name;

    /// <summary>Our domain, when the transport implies it (0 over the dom0 socket).</summary>
    public uint? DomainId => _transport.DomainId;

    /// <summary>Completes when the connection ended: faulted with the reason, or normally after <see cref="Dispose"/>.</summary>
    public Task Completion => _closed.Task;

    private protected override XenStoreClient Client => this;

    private protected override uint TransactionId => 0;

    /// <summary>Sends <paramref name="request"/> (disposing it) and returns the reply, checked to be of the request's type.</summary>
    /// <param name="request">A frame from <see cref="XsRequestFrames"/>.</param>
    /// <param name="context">The path or arguments, for messages.</param>
    /// <param name="cancellationToken">Stops waiting; a reply arriving later is dropped.</param>
    internal async Task<XsMessageBuffer> CallAsync(XsMessageBuffer request, string context, CancellationToken cancellationToken)
    {
        var type = (XsdSockmsgType)request.Header.Type;
        var pending = new XsPendingRequest(Options.InlineCompletions);
        try
        {
            lock (_sendLock)
            {
                XsRequestFrames.SetRequestId(request, Register(pending));
                _transport.Send(request.Span);
            }
        }
        catch (XsConnectionException e)
        {
            Fault(e);
            throw;
        }
        catch (Exception e)
        {
            // Part of the frame may be on the wire: the connection cannot be used any more, and no request may wait
            // for a reply that will not come.
            var reason = new XsConnectionException($"{_transport.Name}: sending failed: {e.Message}", e);
            Fault(reason);
            throw reason;
        }
        finally
        {
            request.Dispose();
        }
        XsMessageBuffer reply;
        if (cancellationToken.CanBeCanceled)
        {
            // The id stays reserved until its reply comes; that reply is then dropped.
            using (cancellationToken.Register(() => pending.TrySetCanceled(cancellationToken)))
            {
                reply = await pending.Task.ConfigureAwait(false);
            }
        }
        else
        {
            reply = await pending.Task.ConfigureAwait(false);
        }
        return XsReplies.Check(reply, type, context);
    }

    private uint Register(XsPendingRequest pending)
    {
        lock (_pending)
        {
            if (_fault is not null) throw new XsConnectionException(_fault.Message, _fault);
            uint id;
            do id = unchecked(++_lastRequestId);
            while (id == 0 || _pending.ContainsKey(id));
            _pending.Add(id, pending);
            return id;
        }
    }

    private void ReceiveLoop()
    {
        using var frames = new XsFrameAssembler(ReceiveBufferSize);
        try
        {
            while (true)
            {
                int n = _transport.Receive(frames.FreeSpace);
                if (n == IXsClientTransport.Restarted)
                {
                    frames.Reset();
                    continue;
                }
                if (n == 0)
                {
                    Fault(new XsConnectionException(frames.Buffered > 0
                        ? $"{_transport.Name}: closed by the server in the middle of a message ({frames.Buffered} bytes)"
                        : $"{_transport.Name}: closed by the server"));
                    return;
                }
                frames.Advance(n);
                DispatchFrames(frames);
            }
        }
        catch (XsConnectionException e)
        {
            Fault(e);
        }
        catch (Exception e)
        {
            Fault(new XsConnectionException($"{_transport.Name}: the receive thread failed: {e.Message}", e));
        }
    }

    /// <summary>Hands every whole frame received on.</summary>
    private void DispatchFrames(XsFrameAssembler frames)
    {
        while (true)
        {
            var status = frames.TryTake(out var header, out var payload, out var frame);
            if (status == XsFrameStatus.Incomplete) return;
            if (status == XsFrameStatus.PayloadTooLong)
            {
                throw new XsProtocolException($"{_transport.Name}: the server sent a message of {header.Len} bytes, more than XENSTORE_PAYLOAD_MAX ({XsHeader.PayloadMax})");
            }
            if (header.Type == (uint)XsdSockmsgType.XsWatchEvent) DeliverWatchEvent(payload);
            else DeliverReply(header, frame);
        }
    }

    private void DeliverReply(in XsdSockmsg header, ReadOnlySpan<byte> frame)
    {
        XsPendingRequest? pending;
        lock (_pending) _pending.Remove(header.ReqId, out pending);
        if (pending is null)
        {
            throw new XsProtocolException($"{_transport.Name}: the server sent a reply (type {header.Type}) to request id {header.ReqId}, which is not outstanding");
        }
        pending.Deliver(XsMessageBuffer.CopyOf(frame));
    }

    /// <summary>Ends the connection: every outstanding request and watch fails with <paramref name="reason"/>, the transport is closed.</summary>
    private void Fault(XsConnectionException reason)
    {
        XsPendingRequest[] pending;
        lock (_pending)
        {
            if (_fault is not null) return;
            _fault = reason;
            pending = _pending.Values.ToArray();
            _pending.Clear();
        }
        foreach (var request in pending) request.TrySetException(reason);
        EndWatches(reason);
        _transport.Dispose();
        if (reason is XsClientClosedException) _closed.TrySetResult();
        else _closed.TrySetException(reason);
    }

    /// <summary>Closes the connection: outstanding requests fail, watch streams end, the receive thread stops.</summary>
    public void Dispose()
    {
        Fault(new XsClientClosedException($"{_transport.Name}: the client was disposed"));
        if (Thread.CurrentThread != _receiver) _receiver.Join(TimeSpan.FromSeconds(5));
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The reason given to requests outstanding when the client is disposed.</summary>
    private sealed class XsClientClosedException(string message) : XsConnectionException(message);
}
