using Xen.Nexus.Store;
using Xen.XenStore.Client;

namespace Xen.Nexus.Pvbus;

/// <summary>
/// The key/value interface OpenBSD's pvbus(4) offers its hostctl(8) (<c>PVBUSIOC_KVREAD</c>, <c>PVBUSIOC_KVWRITE</c>,
/// and listing a directory): on Xen a key is a XenStore node, relative keys under the guest's home.
/// </summary>
public sealed class Pvbus(NexusStore store)
{
    /// <summary>The hypervisor's name, as pvbus reports it (<c>PVBUSIOC_TYPE</c>).</summary>
    public const string Type = "Xen";

    /// <summary>The guest's home, where relative keys are.</summary>
    public string Home => store.Home;

    /// <summary>The absolute path of <paramref name="key"/>.</summary>
    public string PathOf(string key) => store.PathOf(key);

    /// <summary>
    /// Reads <paramref name="key"/>: its value, or when that is empty and the node has children, their names one per
    /// line (as OpenBSD's xenstore does for a directory).
    /// </summary>
    /// <exception cref="XsNotFoundException">No such key.</exception>
    public async Task<string> ReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = store.PathOf(key);
        var value = await store.Client.ReadStringAsync(path, cancellationToken).ConfigureAwait(false);
        if (value.Length > 0) return value;
        var children = await store.Client.DirectoryAsync(path, cancellationToken).ConfigureAwait(false);
        return string.Join('\n', children);
    }

    /// <summary>The value of <paramref name="key"/> alone (no directory listing).</summary>
    /// <exception cref="XsNotFoundException">No such key.</exception>
    public Task<string> ReadValueAsync(string key, CancellationToken cancellationToken = default)
        => store.Client.ReadStringAsync(store.PathOf(key), cancellationToken);

    /// <summary>Creates <paramref name="key"/> (empty) unless it exists.</summary>
    public Task WriteIfMissingAsync(string key, CancellationToken cancellationToken = default)
        => store.Client.MkdirAsync(store.PathOf(key), cancellationToken);

    /// <summary>Writes <paramref name="value"/> to <paramref name="key"/>, creating missing parents.</summary>
    public Task WriteAsync(string key, string value, CancellationToken cancellationToken = default)
        => store.Client.WriteAsync(store.PathOf(key), value, cancellationToken);

    /// <summary>The children of <paramref name="key"/>.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string key, CancellationToken cancellationToken = default)
        => await store.Client.DirectoryAsync(store.PathOf(key), cancellationToken).ConfigureAwait(false);

    /// <summary>Removes <paramref name="key"/> and what is below it.</summary>
    public Task RemoveAsync(string key, CancellationToken cancellationToken = default)
        => store.Client.RmAsync(store.PathOf(key), cancellationToken);
}
