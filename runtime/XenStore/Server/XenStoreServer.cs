using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

/// <summary>
/// The XenStore daemon's logic, free of I/O: the node tree with permissions, transactions, watches, domains and
/// quotas. Transports open a <see cref="XsConnection"/> per client, hand each decoded request to
/// <see cref="Process"/>, and send what the connection queues. One lock serialises requests, so every request
/// sees and leaves a consistent tree.
/// </summary>
public sealed partial class XenStoreServer
{
    private readonly object _lock = new();
    private readonly XsStore _store = new();
    private readonly List<XsConnection> _connections = new();
    private readonly Dictionary<uint, XsDomain> _domains = new();
    private readonly List<XsChange> _afterReply = new();
    private uint _nextConnectionId;
    private uint _nextTransactionId;

    /// <summary>Creates a server with an empty tree (the root, owned by dom0).</summary>
    /// <param name="quotas">Limits for unprivileged domains; the C daemon's defaults when null.</param>
    public XenStoreServer(XsQuotas? quotas = null)
    {
        Quotas = quotas ?? new XsQuotas();
    }

    /// <summary>The limits applied to unprivileged domains.</summary>
    public XsQuotas Quotas { get; }

    /// <summary>The clock watch event timeouts are measured with; the system's unless a test sets another.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Receives one line per notable event (connections, bad input, domains); null for silence.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// Called on <c>XS_INTRODUCE</c> to connect the domain's store page (map the frame, bind the port) and
    /// attach a transport with <see cref="Connect"/>; the handle returned is disposed on <c>XS_RELEASE</c>.
    /// Null when the server has no way to reach guests (then domains are only recorded).
    /// </summary>
    public Func<XsIntroduction, IDisposable?>? DomainConnector { get; init; }

    /// <summary>Opens a connection for a client in <paramref name="domainId"/> (0 for the unix socket).</summary>
    /// <param name="domainId">The client's domain.</param>
    /// <param name="name">A name for logs.</param>
    /// <param name="outputAvailable">Called when frames were queued for the client; it must only wake the transport, never call back into the server.</param>
    /// <returns>The connection.</returns>
    public XsConnection Connect(uint domainId, string name, Action outputAvailable)
    {
        lock (_lock)
        {
            var connection = new XsConnection(++_nextConnectionId, domainId, name, outputAvailable, Quotas, Time);
            _connections.Add(connection);
            if (_domains.TryGetValue(domainId, out var domain) && domainId != 0) domain.Connection = connection;
            return connection;
        }
    }

    /// <summary>Closes a connection: its transactions are discarded, its watches removed, its queued frames dropped.</summary>
    /// <param name="connection">The connection.</param>
    public void Disconnect(XsConnection connection)
    {
        lock (_lock)
        {
            if (connection.IsClosed) return;
            connection.IsClosed = true;
            _connections.Remove(connection);
            connection.Watches.Clear();
            connection.Transactions.Clear();
            connection.DiscardOutput(close: true);
        }
    }

    /// <summary>Discards a connection's watches, transactions and queued frames; it stays open (ring reconnection).</summary>
    /// <param name="connection">The connection.</param>
    public void Reset(XsConnection connection)
    {
        lock (_lock)
        {
            connection.Watches.Clear();
            connection.Transactions.Clear();
            connection.DiscardOutput(close: false);
        }
    }

    /// <summary>Handles one request and queues its reply (and any watch events it causes) on the connections concerned.</summary>
    /// <param name="connection">The client.</param>
    /// <param name="header">The request's header.</param>
    /// <param name="payload">The request's payload, at most <c>XENSTORE_PAYLOAD_MAX</c> bytes (the transport checks framing).</param>
    /// <remarks>
    /// Exception-safe: a handler that throws leaves no reply buffer rented and no watch event pending (the exception
    /// propagates to the transport, which closes that client). The <see cref="DomainConnector"/> of an
    /// <c>XS_INTRODUCE</c> runs after the server's lock is released; if it throws, the introduction is undone and
    /// answered with <c>EIO</c>.
    /// </remarks>
    public void Process(XsConnection connection, in XsdSockmsg header, ReadOnlySpan<byte> payload)
    {
        XsDomain? connecting = null;
        try
        {
            lock (_lock)
            {
                if (connection.IsClosed) return;
                connecting = ProcessLocked(connection, header, payload);
            }
        }
        finally
        {
            DisposeReleasedHandles();
        }
        if (connecting is not null) ConnectDomain(connection, header, connecting);
    }

    /// <summary>Test hook: called under the lock before each request is dispatched (a test throws from it to fault a handler).</summary>
    internal Action<XsdSockmsg>? BeforeDispatch { get; set; }

    /// <summary>Whether the calling thread holds the server's lock (for tests of what runs outside it).</summary>
    internal bool IsLockHeld => Monitor.IsEntered(_lock);

    /// <summary>Handles a request under the lock; returns the domain of an <c>XS_INTRODUCE</c> whose connector is still to run (its reply waits for it).</summary>
    private XsDomain? ProcessLocked(XsConnection connection, in XsdSockmsg header, ReadOnlySpan<byte> payload)
    {
        XsMessageBuffer? reply = XsMessageBuffer.Rent();
        try
        {
            scoped var writer = new XsMessageWriter(reply.Space, (XsdSockmsgType)header.Type, header.ReqId, header.TxId);
            scoped var request = new XsRequest(connection, header, payload);
            BeforeDispatch?.Invoke(header);
            XsError error = Dispatch(ref request, ref writer);
            if (request.Connecting is { } domain) return domain;
            SendReply(connection, ref reply, ref writer, error, header);
            if (request.RegisteredWatch is { } watch) SendEvent(connection, watch, watch.Report(watch.Path));
            foreach (var change in _afterReply) Fire(change);
            return null;
        }
        finally
        {
            reply?.Dispose();
            _afterReply.Clear();
            _firedByThisRequest.Clear();
        }
    }

    /// <summary>Queues the reply (an <c>XS_ERROR</c> instead when <paramref name="error"/> is one); the connection owns the buffer from then on.</summary>
    private static void SendReply(XsConnection connection, ref XsMessageBuffer? reply, scoped ref XsMessageWriter writer, XsError error, in XsdSockmsg header)
    {
        if (error.IsError)
        {
            writer = new XsMessageWriter(reply!.Space, XsdSockmsgType.XsError, header.ReqId, header.TxId);
            XsErrorMessage.TryEncode(ref writer, error);
        }
        var frame = reply!.Commit(writer.Finish());
        reply = null;
        connection.EnqueueReply(frame);
        connection.SignalOutput();
    }

    private void DisposeReleasedHandles()
    {
        IDisposable[] released;
        lock (_lock)
        {
            if (_disposeAfterUnlock.Count == 0) return;
            released = _disposeAfterUnlock.ToArray();
            _disposeAfterUnlock.Clear();
        }
        foreach (var handle in released) handle.Dispose();
    }

    /// <summary>Whether <paramref name="domainId"/> is dom0 or was introduced and not released.</summary>
    /// <param name="domainId">The domain.</param>
    /// <returns>True when the server knows the domain.</returns>
    public bool IsDomainIntroduced(uint domainId)
    {
        lock (_lock) return domainId == 0 || _domains.ContainsKey(domainId);
    }

    /// <summary>The number of nodes, the root and the special paths (<c>@introduceDomain</c>, <c>@releaseDomain</c>) included, as C xenstored counts them.</summary>
    public int NodeCount
    {
        get { lock (_lock) return _store.Live.Nodes.Count; }
    }

    private void Report(string line) => Log?.Invoke(line);
}
