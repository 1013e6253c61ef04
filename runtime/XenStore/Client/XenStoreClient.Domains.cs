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
        var reply = await DomainCallAsync(XsdSockmsgType.XsGetDomainPath, cancellationToken, domainId).ConfigureAwait(false);
        return XsReplies.String(reply);
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
        var reply = await DomainCallAsync(XsdSockmsgType.XsIsDomainIntroduced, cancellationToken, domainId).ConfigureAwait(false);
        string answer = XsReplies.String(reply);
        return answer switch
        {
            "T" => true,
            "F" => false,
            _ => throw new XsProtocolException($"XS_IS_DOMAIN_INTRODUCED {domainId}: malformed reply: '{answer}' is neither T nor F"),
        };
    }

    /// <summary><c>XS_INTRODUCE</c> (dom0): tells the store about a domain's store page and event channel.</summary>
    /// <param name="domainId">The guest.</param>
    /// <param name="frame">The frame number of its store page.</param>
    /// <param name="port">Its unbound event channel port.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when the server confirmed.</returns>
    public async Task IntroduceAsync(uint domainId, ulong frame, uint port, CancellationToken cancellationToken = default)
    {
        var reply = await DomainCallAsync(XsdSockmsgType.XsIntroduce, cancellationToken, domainId, frame, port).ConfigureAwait(false);
        XsReplies.Ok(reply, $"XS_INTRODUCE {domainId}");
    }

    /// <summary><c>XS_RELEASE</c> (dom0): the domain is gone; its connection, watches and transactions end.</summary>
    /// <param name="domainId">The guest.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when the server confirmed.</returns>
    public Task ReleaseAsync(uint domainId, CancellationToken cancellationToken = default) =>
        DomainOkAsync(XsdSockmsgType.XsRelease, cancellationToken, domainId);

    /// <summary><c>XS_RESUME</c> (dom0): the domain resumed after a suspend.</summary>
    /// <param name="domainId">The guest.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when the server confirmed.</returns>
    public Task ResumeAsync(uint domainId, CancellationToken cancellationToken = default) =>
        DomainOkAsync(XsdSockmsgType.XsResume, cancellationToken, domainId);

    /// <summary><c>XS_SET_TARGET</c> (dom0): <paramref name="domainId"/> may act on <paramref name="targetId"/>'s nodes (a device model for its guest).</summary>
    /// <param name="domainId">The acting domain.</param>
    /// <param name="targetId">The domain acted for.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when the server confirmed.</returns>
    public Task SetTargetAsync(uint domainId, uint targetId, CancellationToken cancellationToken = default) =>
        DomainOkAsync(XsdSockmsgType.XsSetTarget, cancellationToken, domainId, targetId);

    /// <summary><c>XS_CONTROL</c> (dom0): an implementation-defined command, such as <c>help</c>.</summary>
    /// <param name="arguments">The command and its arguments.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The reply's text, without a trailing NUL.</returns>
    public async Task<string> ControlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        if (arguments.Count == 0) throw new ArgumentException("XS_CONTROL needs a command", nameof(arguments));
        foreach (string argument in arguments) XsRequestChecks.Argument(argument, "an argument", XsdSockmsgType.XsControl);
        var request = XsRequestFrames.Strings(XsdSockmsgType.XsControl, 0, arguments.ToArray());
        var reply = await CallAsync(request, arguments[0], cancellationToken).ConfigureAwait(false);
        return XsReplies.String(reply);
    }

    private async Task DomainOkAsync(XsdSockmsgType type, CancellationToken cancellationToken, params ulong[] arguments)
    {
        var reply = await DomainCallAsync(type, cancellationToken, arguments).ConfigureAwait(false);
        XsReplies.Ok(reply, $"{XsWireNames.Of(type)} {arguments[0]}");
    }

    /// <summary>A request whose arguments are decimal numbers, the first a domain id.</summary>
    private Task<XsMessageBuffer> DomainCallAsync(XsdSockmsgType type, CancellationToken cancellationToken, params ulong[] arguments)
    {
        XsRequestChecks.Domain(checked((uint)arguments[0]), type);
        var text = Array.ConvertAll(arguments, a => a.ToString(CultureInfo.InvariantCulture));
        return CallAsync(XsRequestFrames.Strings(type, 0, text), text[0], cancellationToken);
    }
}
