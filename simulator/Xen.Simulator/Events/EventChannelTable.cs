using Xen.Simulator.Hypercalls;

namespace Xen.Simulator.Events;

/// <summary>
/// A domain's ports. As in Xen, ports exist in buckets allocated on demand (a port past the last bucket is invalid,
/// -EINVAL), port 0 is reserved, and allocation takes the lowest free port up to the domain's maximum.
/// </summary>
internal sealed class EventChannelTable
{
    /// <summary>Ports per bucket (Xen's EVTCHNS_PER_BUCKET is an implementation detail; 64 here).</summary>
    internal const int PortsPerBucket = 64;

    private readonly List<EventChannel> _ports = new();
    private readonly uint _maxPort;

    internal EventChannelTable(uint maxPort, IEventChannelAbi abi)
    {
        _maxPort = maxPort;
        Abi = abi;
        AddBucket();
        _ports[0].State = ChannelState.Reserved;
    }

    /// <summary>The ABI the guest uses: 2-level until EVTCHNOP_init_control switches it to FIFO.</summary>
    internal IEventChannelAbi Abi { get; set; }

    /// <summary>How many ports exist (valid_evtchns).</summary>
    internal uint ValidPorts => (uint)_ports.Count;

    /// <summary>Whether <paramref name="port"/> names an existing port (port_is_valid).</summary>
    internal bool IsValid(uint port) => port < _ports.Count && port < Abi.MaxPorts;

    /// <summary>The channel at a valid port.</summary>
    internal EventChannel this[uint port] => _ports[(int)port];

    /// <summary>Every existing port.</summary>
    internal IEnumerable<EventChannel> All => _ports;

    /// <summary>get_free_port: the lowest free port, or -ENOSPC.</summary>
    internal long AllocatePort(out EventChannel? channel)
    {
        for (var port = 0U; ; port++)
        {
            if (port > _maxPort || port >= Abi.MaxPorts)
            {
                channel = null;
                return Errno.NoSpace;
            }

            if (port == _ports.Count)
            {
                AddBucket();
            }

            if (_ports[(int)port].State == ChannelState.Free)
            {
                channel = _ports[(int)port];
                return port;
            }
        }
    }

    private void AddBucket()
    {
        for (var i = 0; i < PortsPerBucket; i++)
        {
            _ports.Add(new EventChannel((uint)_ports.Count));
        }
    }
}
