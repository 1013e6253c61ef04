using System.Text;
using Xen.Nexus.Unplug;

namespace Xen.Simulator.Devices;

/// <summary>
/// The platform device's unplug ports as QEMU implements the protocol for Xen: what the guest read and wrote is
/// recorded for tests (product, build, unplug mask, log lines). Other ports read as a floating bus (all ones).
/// </summary>
public sealed class UnplugPorts
{
    private readonly object _lock = new();
    private readonly StringBuilder _line = new();
    private readonly List<string> _log = new();

    /// <summary>The protocol version reported on port 0x12 (0 makes drivers skip product and build).</summary>
    public byte ProtocolVersion { get; set; } = 1;

    /// <summary>Whether the product and build written are refused (the magic then reads 0xd249).</summary>
    public Func<ushort, uint, bool> IsBlacklisted { get; set; } = (_, _) => false;

    /// <summary>The product number the drivers wrote.</summary>
    public ushort? Product { get; private set; }

    /// <summary>The build number the drivers wrote.</summary>
    public uint? Build { get; private set; }

    /// <summary>Every unplug bit written so far (the devices that have disappeared).</summary>
    public ushort UnplugMask { get; private set; }

    /// <summary>How many unplug writes there were.</summary>
    public int UnplugWrites { get; private set; }

    /// <summary>The lines the drivers logged.</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_lock)
            {
                return _log.ToArray();
            }
        }
    }

    internal uint In(ushort port, PortWidth width)
    {
        lock (_lock)
        {
            return (port, width) switch
            {
                (UnplugProtocol.MagicPort, PortWidth.Word) => Product is { } product && Build is { } build && IsBlacklisted(product, build)
                    ? UnplugProtocol.BlacklistedMagic
                    : UnplugProtocol.Magic,
                (UnplugProtocol.VersionPort, PortWidth.Byte) => ProtocolVersion,
                _ => width switch { PortWidth.Byte => 0xffU, PortWidth.Word => 0xffffU, _ => 0xffff_ffffU },
            };
        }
    }

    internal void Out(ushort port, uint value, PortWidth width)
    {
        lock (_lock)
        {
            switch (port, width)
            {
                case (UnplugProtocol.MagicPort, PortWidth.Word):
                    UnplugMask |= (ushort)value;
                    UnplugWrites++;
                    break;
                case (UnplugProtocol.MagicPort, PortWidth.Dword):
                    Build = value;
                    break;
                case (UnplugProtocol.VersionPort, PortWidth.Word):
                    Product = (ushort)value;
                    break;
                case (UnplugProtocol.VersionPort, PortWidth.Byte):
                    Log1((byte)value);
                    break;
            }
        }
    }

    private void Log1(byte b)
    {
        if (b == '\n')
        {
            _log.Add(_line.ToString());
            _line.Clear();
        }
        else
        {
            _line.Append((char)b);
        }
    }
}
