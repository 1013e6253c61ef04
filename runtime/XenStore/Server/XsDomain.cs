namespace Xen.XenStore.Server;

/// <summary>A domain the server was told about with <c>XS_INTRODUCE</c> (dom0 is always known).</summary>
internal sealed class XsDomain(uint id, ulong frame, uint port)
{
    public uint Id { get; } = id;

    /// <summary>The store page's frame number given at introduction.</summary>
    public ulong Frame { get; } = frame;

    /// <summary>The event channel port given at introduction.</summary>
    public uint Port { get; } = port;

    /// <summary>The domain this one acts for (<c>XS_SET_TARGET</c>), if any.</summary>
    public uint? Target { get; set; }

    /// <summary>The ring connection created for it, if the connector made one.</summary>
    public XsConnection? Connection { get; set; }
}
