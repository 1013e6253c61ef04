using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

public sealed partial class XenStoreServer
{
    private readonly Dictionary<uint, IDisposable> _domainHandles = new();
    private readonly List<IDisposable> _disposeAfterUnlock = new();

    private XsError Introduce(ref XsRequest request, ref XsMessageWriter reply)
    {
        var connection = request.Connection;
        if (!connection.IsPrivileged) return XsError.Eacces;
        if (!XsIntroduceMessage.TryDecodeRequest(request.Payload, out uint domainId, out ulong frame, out uint port, out _) || !IsGuest(domainId)) return XsError.Einval;
        if (_domains.TryGetValue(domainId, out var known))
        {
            return known.Frame == frame && known.Port == port ? Ok(ref reply) : XsError.Eexist;
        }
        // Known from now on, so that the connector's Connect finds it; the connector itself runs outside the lock.
        var domain = new XsDomain(domainId, frame, port);
        _domains.Add(domainId, domain);
        if (DomainConnector is not null)
        {
            request.Connecting = domain;
            return default;
        }
        return Introduced(domain, null, ref reply);
    }

    /// <summary>The introduction is complete: keep the connector's handle, announce the domain.</summary>
    private XsError Introduced(XsDomain domain, IDisposable? handle, ref XsMessageWriter reply)
    {
        if (handle is not null) _domainHandles[domain.Id] = handle;
        Report($"domain {domain.Id} introduced (frame {domain.Frame}, port {domain.Port})");
        _afterReply.Add(SpecialChange(XsPath.IntroduceDomain));
        return Ok(ref reply);
    }

    private XsError Release(XsConnection connection, ReadOnlySpan<byte> payload, ref XsMessageWriter reply)
    {
        if (!connection.IsPrivileged) return XsError.Eacces;
        if (!XsReleaseMessage.TryDecodeRequest(payload, out uint domainId, out _) || !IsGuest(domainId)) return XsError.Einval;
        if (!ReleaseLocked(domainId)) return XsError.Enoent;
        _afterReply.Add(SpecialChange(XsPath.ReleaseDomain));
        return Ok(ref reply);
    }

    /// <summary>Forgets an introduced domain under the lock: closes its connection, schedules its handle's disposal.</summary>
    private bool ReleaseLocked(uint domainId)
    {
        if (!_domains.Remove(domainId, out var domain)) return false;
        if (domain.Connection is { } guest) Disconnect(guest);
        // The handle (a ring transport, say) may take its own lock and then ours: dispose it after our lock is released.
        if (_domainHandles.Remove(domainId, out var handle)) _disposeAfterUnlock.Add(handle);
        foreach (var other in _domains.Values)
        {
            if (other.Target == domainId) other.Target = null;
        }
        Report($"domain {domainId} released");
        return true;
    }

    private XsError Resume(XsConnection connection, ReadOnlySpan<byte> payload, ref XsMessageWriter reply)
    {
        if (!connection.IsPrivileged) return XsError.Eacces;
        if (!XsResumeMessage.TryDecodeRequest(payload, out uint domainId, out _) || !IsGuest(domainId)) return XsError.Einval;
        return _domains.ContainsKey(domainId) ? Ok(ref reply) : XsError.Enoent;
    }

    private static XsError GetDomainPath(ReadOnlySpan<byte> payload, ref XsMessageWriter reply)
    {
        if (!XsGetDomainPathMessage.TryDecodeRequest(payload, out uint domainId, out _) || !IsDomain(domainId)) return XsError.Einval;
        XsGetDomainPathMessage.TryEncodeReply(ref reply, XsPath.DomainHome(domainId));
        return default;
    }

    private XsError IsDomainIntroduced(ReadOnlySpan<byte> payload, ref XsMessageWriter reply)
    {
        if (!XsIsDomainIntroducedMessage.TryDecodeRequest(payload, out uint domainId, out _) || !IsDomain(domainId)) return XsError.Einval;
        XsIsDomainIntroducedMessage.TryEncodeReply(ref reply, domainId == 0 || _domains.ContainsKey(domainId));
        return default;
    }

    /// <summary><c>XS_SET_TARGET</c>: the first domain acts for the second (a device model for its guest).</summary>
    private XsError SetTarget(XsConnection connection, ReadOnlySpan<byte> payload, ref XsMessageWriter reply)
    {
        if (!connection.IsPrivileged) return XsError.Eacces;
        if (!XsSetTargetMessage.TryDecodeRequest(payload, out uint domainId, out uint target, out _) || !IsGuest(domainId) || !IsGuest(target)) return XsError.Einval;
        if (!_domains.TryGetValue(domainId, out var domain) || !_domains.ContainsKey(target)) return XsError.Enoent;
        domain.Target = target;
        return Ok(ref reply);
    }

    /// <summary><c>XS_CONTROL</c>: implementation-defined commands; this server knows <c>help</c> and <c>print</c>.</summary>
    private XsError Control(XsConnection connection, ReadOnlySpan<byte> payload, ref XsMessageWriter reply)
    {
        if (!connection.IsPrivileged) return XsError.Eacces;
        if (!XsControlMessage.TryDecodeRequest(payload, out var command, out var arguments, out _)) return XsError.Einval;
        var args = new XsArgumentReader(arguments);
        if (command.SequenceEqual("help"u8))
        {
            XsControlMessage.TryEncodeReply(ref reply, "help\nprint <string>\n"u8);
            return default;
        }
        if (command.SequenceEqual("print"u8) && args.TryReadString(out var text))
        {
            Report(System.Text.Encoding.UTF8.GetString(text));
            return Ok(ref reply);
        }
        return XsError.Einval;
    }

    /// <summary>A domain id, not a special DOMID_ value.</summary>
    private static bool IsDomain(uint domainId) => domainId < XenH.DomidFirstReserved;

    /// <summary>A real guest domain id: not dom0, not a special DOMID_ value.</summary>
    private static bool IsGuest(uint domainId) => IsDomain(domainId) && domainId != 0;
}
