using System.Text;
using Xen.XenStore.Tests.Support;
using T = Xen.Abi.Io.XsdSockmsgType;

namespace Xen.XenStore.Tests.Differential;

/// <summary>
/// Plays a <see cref="RequestScript"/> on two connections to one daemon and writes down, per step, the reply and
/// the watch events each connection received, normalised only where the spec leaves the value to the daemon:
/// transaction ids (each daemon's own, replaced by the script's logical number) and <c>DIRECTORY_PART</c>'s
/// generation count. Events are gathered by a request on each connection after every step (its reply comes after
/// every event queued before it), so whether an event precedes or follows the reply that caused it is not compared.
/// </summary>
internal sealed class WireSession : IDisposable
{
    private const uint SyncRequest = 0xfffff000;
    private readonly SocketClient[] _connections;
    private readonly Dictionary<int, uint> _transactions = new();
    private uint _requestId;

    public WireSession(string socketPath)
    {
        _connections = [new SocketClient(socketPath), new SocketClient(socketPath)];
    }

    public List<string> Play(IReadOnlyList<ScriptStep> script)
    {
        var outcomes = new List<string>(script.Count);
        for (int i = 0; i < script.Count; i++)
        {
            try
            {
                outcomes.Add(Play(script[i]));
            }
            catch (IOException e)
            {
                throw new IOException($"step {i}: {script[i]}: {e.Message}", e);
            }
        }
        return outcomes;
    }

    private string Play(ScriptStep step)
    {
        var events = new List<string>[] { new(), new() };
        uint tx = step.Transaction switch
        {
            0 => 0,
            ScriptStep.BogusTransaction => 0x7fff_fff0,
            int logical => _transactions.GetValueOrDefault(logical, 0x7fff_fff0u + (uint)logical % 8),
        };
        uint id = ++_requestId;
        var connection = _connections[step.Connection];
        connection.Socket.Send(Frame(step.Type, id, tx, step.Payload));
        var (header, payload) = ReceiveReply(connection, id, events[step.Connection]);
        string reply = Normalise(step, header, payload);
        for (int c = 0; c < 2; c++) Sync(c, events[c]);
        return $"{reply} | events 0: [{string.Join(", ", events[0])}] 1: [{string.Join(", ", events[1])}]";
    }

    private string Normalise(ScriptStep step, XsdSockmsg header, byte[] payload)
    {
        var type = (T)header.Type;
        var strings = Frames.Strings(payload);
        if (type == T.XsTransactionStart && step.StartsTransaction != 0 && strings.Length == 1 && uint.TryParse(strings[0], out uint daemonId))
        {
            _transactions[step.StartsTransaction] = daemonId;
            return $"{type} T{step.StartsTransaction}";
        }
        if (type == T.XsDirectoryPart && strings.Length >= 1)
        {
            int firstNul = Array.IndexOf(payload, (byte)0);
            return $"{type} G{ScriptStep.Escape(payload[firstNul..])}";
        }
        return $"{(Enum.IsDefined(type) ? type.ToString() : header.Type.ToString())} {ScriptStep.Escape(payload)}";
    }

    private void Sync(int c, List<string> events)
    {
        uint id = SyncRequest + (++_requestId & 0xfff);
        _connections[c].Socket.Send(Frame((uint)T.XsGetDomainPath, id, 0, "0\0"u8.ToArray()));
        ReceiveReply(_connections[c], id, events);
    }

    private static (XsdSockmsg Header, byte[] Payload) ReceiveReply(SocketClient connection, uint id, List<string> events)
    {
        while (true)
        {
            var (header, payload) = connection.Receive();
            if (header.Type == (uint)T.XsWatchEvent)
            {
                events.Add(string.Join(" ", Frames.Strings(payload)));
                continue;
            }
            if (header.ReqId != id) throw new InvalidOperationException($"reply to request {header.ReqId} while waiting for {id}");
            return (header, payload);
        }
    }

    private static byte[] Frame(uint type, uint id, uint tx, byte[] payload)
    {
        var frame = new byte[XsHeader.Size + payload.Length];
        XsHeader.Write(frame, new XsdSockmsg { Type = type, ReqId = id, TxId = tx, Len = (uint)payload.Length });
        payload.CopyTo(frame, XsHeader.Size);
        return frame;
    }

    public void Dispose()
    {
        foreach (var c in _connections) c.Dispose();
    }
}
