namespace Xen.Simulator.Tool.Nbd;

/// <summary>The NBD protocol's numbers (the protocol document of the NBD project): magics, options, replies, commands, flags, errors.</summary>
internal static class NbdProtocol
{
    public const ulong InitMagic = 0x4e42444d41474943;   // "NBDMAGIC"
    public const ulong OptionMagic = 0x49484156454f5054; // "IHAVEOPT"
    public const ulong OptionReplyMagic = 0x0003e889045565a9;
    public const uint RequestMagic = 0x25609513;
    public const uint SimpleReplyMagic = 0x67446698;

    // Handshake flags (server) and client flags.
    public const ushort FlagFixedNewstyle = 1 << 0;
    public const ushort FlagNoZeroes = 1 << 1;
    public const uint ClientFlagFixedNewstyle = 1 << 0;
    public const uint ClientFlagNoZeroes = 1 << 1;

    // Options.
    public const uint OptExportName = 1;
    public const uint OptAbort = 2;
    public const uint OptList = 3;
    public const uint OptInfo = 6;
    public const uint OptGo = 7;

    // Option replies.
    public const uint RepAck = 1;
    public const uint RepServer = 2;
    public const uint RepInfo = 3;
    public const uint RepErrUnsup = 0x80000001;
    public const uint RepErrInvalid = 0x80000003;

    // NBD_REP_INFO types.
    public const ushort InfoExport = 0;
    public const ushort InfoBlockSize = 3;

    // Transmission flags.
    public const ushort TransmitHasFlags = 1 << 0;
    public const ushort TransmitReadOnly = 1 << 1;
    public const ushort TransmitSendFlush = 1 << 2;
    public const ushort TransmitSendFua = 1 << 3;
    public const ushort TransmitSendTrim = 1 << 5;
    public const ushort TransmitCanMultiConn = 1 << 8;

    // Commands and their flags.
    public const ushort CmdRead = 0;
    public const ushort CmdWrite = 1;
    public const ushort CmdDisc = 2;
    public const ushort CmdFlush = 3;
    public const ushort CmdTrim = 4;
    public const ushort CmdFlagFua = 1 << 0;

    // Errors (the protocol's errno subset).
    public const uint Eperm = 1;
    public const uint Eio = 5;
    public const uint Einval = 22;
    public const uint Enospc = 28;
    public const uint Enotsup = 95;
    public const uint Eshutdown = 108;

    /// <summary>The largest payload a request may carry (what nbdkit and qemu-nbd accept).</summary>
    public const int MaxPayload = 32 << 20;
}
