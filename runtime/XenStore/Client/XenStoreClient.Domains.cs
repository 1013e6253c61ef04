using System.Globalization;
using Xen.XenStore.Protocol;

namespace Xen.XenStore.Client;

public sealed partial class XenStoreClient
{
    /// <summary><c>XS_GET_DOMAIN_PATH</c>: the home path of a domain (<c>/local/domain/&lt;domid&gt;</c>).</summary>
    /// <param name="domainId">The domain.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The path.</returns>
    public async Task<string> GetDomainPathAsync(uint domainId, CancellationToken cancellationToken = default)
    {
        var reply = await DomainCallAsync(XsdSockmsgType.XsGetDomainPath, domainId, cancellationToken).ConfigureAwait(false);
        return XsReplies.DomainPath(reply);
    }

    /// <summary>Our home path: <c>XS_GET_DOMAIN_PATH</c> of our domain when the transport knows it, else null (relative paths still resolve on the server).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The path, or null.</returns>
    public async Task<string?> GetHomePathAsync(CancellationToken cancellationToken = default) =>
        DomainId is { } domain ? await GetDomainPathAsync(domain, cancellationToken).ConfigureAwait(false) : null;

    /// <summary><c>XS_IS_DOMAIN_INTRODUCED</c>.</summary>
    /// <param name="domainId">The domain.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Whether the store knows the domain.</returns>
    public async Task<bool> IsDomainIntroducedAsync(uint domainId, CancellationToken cancellationToken = default)
    {
        var reply = await DomainCallAsync(XsdSockmsgType.XsIsDomainIntroduced, domainId, cancellationToken).ConfigureAwait(false);
        return XsReplies.Introduced(reply, $"XS_IS_DOMAIN_INTRODUCED {domainId}");
    }

    /// <summary><c>XS_INTRODUCE</c> (dom0): tells the store about a domain's store page and event channel.</summary>
    /// <param name="domainId">The guest.</param>
    /// <param name="frame">The frame number of its store page.</param>
    /// <param name="port">Its unbound event channel port.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when the server confirmed.</returns>
    public async Task IntroduceAsync(uint domainId, ulong frame, uint port, CancellationToken cancellationToken = default)
    {
        XsRequestChecks.Domain(domainId, XsdSockmsgType.XsIntroduce);
        var reply = await CallAsync(XsRequestFrames.Introduce(domainId, frame, port), DomainContext(domainId), cancellationToken).ConfigureAwait(false);
        XsReplies.Ok(reply, $"XS_INTRODUCE {domainId}");
    }

    /// <summary><c>XS_RELEASE</c> (dom0): the domain is gone; its connection, watches and transactions end.</summary>
    /// <param name="domainId">The guest.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when the server confirmed.</returns>
    public Task ReleaseAsync(uint domainId, CancellationToken cancellationToken = default) =>
        DomainOkAsync(XsdSockmsgType.XsRelease, domainId, cancellationToken);

    /// <summary><c>XS_RESUME</c> (dom0): the domain resumed after a suspend.</summary>
    /// <param name="domainId">The guest.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when the server confirmed.</returns>
    public Task ResumeAsync(uint domainId, CancellationToken cancellationToken = default) =>
        DomainOkAsync(XsdSockmsgType.XsResume, domainId, cancellationToken);

    /// <summary><c>XS_SET_TARGET</c> (dom0): <paramref name="domainId"/> may act on <paramref name="targetId"/>'s nodes (a device model for its guest).</summary>
    /// <param name="domainId">The acting domain.</param>
    /// <param name="targetId">The domain acted for.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when the server confirmed.</returns>
    public async Task SetTargetAsync(uint domainId, uint targetId, CancellationToken cancellationToken = default)
    {
        XsRequestChecks.Domain(domainId, XsdSockmsgType.XsSetTarget);
        XsRequestChecks.Domain(targetId, XsdSockmsgType.XsSetTarget);
        var reply = await CallAsync(XsRequestFrames.SetTarget(domainId, targetId), DomainContext(domainId), cancellationToken).ConfigureAwait(false);
        XsReplies.Ok(reply, $"XS_SET_TARGET {domainId}");
    }

    /// <summary><c>XS_CONTROL</c> (dom0): an implementation-defined command, such as <c>help</c>.</summary>
    /// <param name="arguments">The command and its arguments.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The reply's text, without a trailing NUL.</returns>
    public async Task<string> ControlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        if (arguments.Count == 0) throw new ArgumentException("XS_CONTROL needs a command", nameof(arguments));
        foreach (string argument in arguments) XsRequestChecks.Argument(argument, "an argument", XsdSockmsgType.XsControl);
        var reply = await CallAsync(XsRequestFrames.Control(arguments), arguments[0], cancellationToken).ConfigureAwait(false);
        return XsReplies.ControlText(reply);
    }

    private async Task DomainOkAsync(XsdSockmsgType type, uint domainId, CancellationToken cancellationToken)
    {
        var reply = await DomainCallAsync(type, domainId, cancellationToken).ConfigureAwait(false);
        XsReplies.Ok(reply, $"{XsWireNames.Of(type)} {domainId}");
    }

    /// <summary>A request naming only a domain.</summary>
    private Task<XsMessageBuffer> DomainCallAsync(XsdSockmsgType type, uint domainId, CancellationToken cancellationToken)
    {
        XsRequestChecks.Domain(domainId, type);
        return CallAsync(XsRequestFrames.Domain(type, domainId), DomainContext(domainId), cancellationToken);
    }

    private static string DomainContext(uint domainId) => domainId.ToString(CultureInfo.InvariantCulture);
}
