namespace Xen.XenStore.Server;

/// <summary>The arguments of <c>XS_INTRODUCE</c>, given to <see cref="XenStoreServer.DomainConnector"/>.</summary>
/// <param name="Server">The server to attach a connection to.</param>
/// <param name="DomainId">The guest.</param>
/// <param name="Frame">The frame number of its store page.</param>
/// <param name="Port">The unbound event channel port in the guest.</param>
public sealed record XsIntroduction(XenStoreServer Server, uint DomainId, ulong Frame, uint Port);
