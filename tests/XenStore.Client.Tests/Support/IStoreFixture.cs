namespace Xen.XenStore.Client.Tests.Support;

/// <summary>Our server and a way to connect clients to it over one kind of transport.</summary>
public interface IStoreFixture
{
    /// <summary>A dom0 (privileged) client over the same kind of transport.</summary>
    XenStoreClient Admin { get; }

    /// <summary>The domain of the clients under test.</summary>
    uint DomainId { get; }

    /// <summary>Their home path, writable by them.</summary>
    string Home { get; }

    /// <summary>A new client in <see cref="DomainId"/>; the caller disposes it.</summary>
    XenStoreClient Connect(XenStoreClientOptions? options = null);
}
