namespace Xen.XenStore.Server;

/// <summary>One request being handled: who sent it, its header, its payload, and what it left for after the reply.</summary>
internal ref struct XsRequest(XsConnection connection, in XsdSockmsg header, ReadOnlySpan<byte> payload)
{
    public XsConnection Connection { get; } = connection;

    public XsdSockmsg Header { get; } = header;

    public ReadOnlySpan<byte> Payload { get; } = payload;

    /// <summary>A watch registered by this request, whose first event follows the reply.</summary>
    public XsServerWatch? RegisteredWatch { get; set; }

    /// <summary>A domain introduced by this request whose <see cref="XenStoreServer.DomainConnector"/> runs after the lock is released; the reply waits for it.</summary>
    public XsDomain? Connecting { get; set; }
}
