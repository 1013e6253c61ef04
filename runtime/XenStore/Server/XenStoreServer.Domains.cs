using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

public sealed partial class XenStoreServer
{
    private readonly Dictionary<uint, IDisposable> _domainHandles = new();
    private readonly List<IDisposable> _disposeAfterUnlock = new();

    private XsError Introduce(XsConnection connection, ref XsArgumentReader args, ref XsMessageWriter reply)
    {
        if (!connection.IsPrivileged) return XsError.Eacces;
        if (!TryReadGuest(ref args, out uint domainId) || !args.TryReadUInt64(out ulong frame) || !args.TryReadUInt32(out uint port)) return XsError.Einval;
        if (_domains.TryGetValue(domainId, out var known))
        {
            return known.Frame == frame && known.Port == port ? Ok(ref reply) : XsError.Eexist;
        }
        var domain = new XsDomain(domainId, frame, port);
        _domains.Add(domainId, domain);
        if (DomainConnector?.Invoke(new XsIntroduction(this, domainId, frame, port)) is { } handle) _domainHandles[domainId] = handle;
        Report($"domain {domainId} introduced (frame {frame}, port {port})");
        _afterReply.Add(new XsChange(XsPath.IntroduceDomain, false, XsPermissions.OwnedBy(0)));
        return Ok(ref reply);
    }

    private XsError Release(XsConnection connection, ref XsArgumentReader args, ref XsMessageWriter reply)
    {
        if (!connection.IsPrivileged) return XsError.Eacces;
        if (!TryReadGuest(ref args, out uint domainId)) return XsError.Einval;
        if (!_domains.Remove(domainId, out var domain)) return XsError.Enoent;
        if (domain.Connection is { } guest) Disconnect(guest);
        // The handle (a ring transport, say) may take its own lock and then ours: dispose it after our lock is released.
        if (_domainHandles.Remove(domainId, out var handle)) _disposeAfterUnlock.Add(handle);
        foreach (var other in _domains.Values)
        {
            if (other.Target == domainId) other.Target = null;
        }
        Report($"domain {domainId} released");
        _afterReply.Add(new XsChange(XsPath.ReleaseDomain, false, XsPermissions.OwnedBy(0)));
        return Ok(ref reply);
    }

    private XsError Resume(XsConnection connection, ref XsArgumentReader args, ref XsMessageWriter reply)
    {
        if (!connection.IsPrivileged) return XsError.Eacces;
        if (!TryReadGuest(ref args, out uint domainId)) return XsError.Einval;
        return _domains.ContainsKey(domainId) ? Ok(ref reply) : XsError.Enoent;
    }

    private static XsError GetDomainPath(ref XsArgumentReader args, ref XsMessageWriter reply)
    {
        if (!TryReadDomain(ref args, out uint domainId)) return XsError.Einval;
        reply.AppendString(XsPath.DomainHome(domainId));
        return default;
    }

    private XsError IsDomainIntroduced(ref XsArgumentReader args, ref XsMessageWriter reply)
    {
        if (!TryReadDomain(ref args, out uint domainId)) return XsError.Einval;
        reply.AppendString(domainId == 0 || _domains.ContainsKey(domainId) ? "T"u8 : "F"u8);
        return default;
    }

    /// <summary><c>XS_SET_TARGET</c>: the first domain acts for the second (a device model for its guest).</summary>
    private XsError SetTarget(XsConnection connection, ref XsArgumentReader args, ref XsMessageWriter reply)
    {
        if (!connection.IsPrivileged) return XsError.Eacces;
        if (!TryReadGuest(ref args, out uint domainId) || !TryReadGuest(ref args, out uint target)) return XsError.Einval;
        if (!_domains.TryGetValue(domainId, out var domain) || !_domains.ContainsKey(target)) return XsError.Enoent;
        domain.Target = target;
        return Ok(ref reply);
    }

    /// <summary><c>XS_CONTROL</c>: implementation-defined commands; this server knows <c>help</c> and <c>print</c>.</summary>
    private XsError Control(XsConnection connection, ref XsArgumentReader args, ref XsMessageWriter reply)
    {
        if (!connection.IsPrivileged) return XsError.Eacces;
        if (!args.TryReadString(out var command)) return XsError.Einval;
        if (command.SequenceEqual("help"u8))
        {
            reply.AppendBytes("help\nprint <string>\n"u8);
            reply.AppendString(""u8);
            return default;
        }
        if (command.SequenceEqual("print"u8) && args.TryReadString(out var text))
        {
            Report(System.Text.Encoding.UTF8.GetString(text));
            return Ok(ref reply);
        }
        return XsError.Einval;
    }

    private static bool TryReadDomain(ref XsArgumentReader args, out uint domainId) =>
        args.TryReadUInt32(out domainId) && domainId < XenH.DomidFirstReserved;

    /// <summary>A real guest domain id: not dom0, not a special DOMID_ value.</summary>
    private static bool TryReadGuest(ref XsArgumentReader args, out uint domainId) =>
        TryReadDomain(ref args, out domainId) && domainId != 0;
}
