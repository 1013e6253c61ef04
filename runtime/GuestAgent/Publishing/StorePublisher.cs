using Xen.XenStore.Client;

namespace Xen.GuestAgent.Publishing;

/// <summary>
/// Writes a desired set of keys to the store, remembering what it wrote on this connection: a key whose value did
/// not change is not written, a key no longer desired is removed (with the parents under <see cref="KeyLayout.VifRoot"/>
/// it leaves empty), and <see cref="KeyLayout.UpdatedKey"/> follows a batch that changed something. A key the
/// toolstack made read-only (<c>EACCES</c>) is reported once and not tried again on this connection.
/// </summary>
public sealed class StorePublisher(XsStoreOperations store, KeyLayout layout, Action<string> log, TimeProvider? clock = null)
{
    private readonly Dictionary<string, string> _written = new(StringComparer.Ordinal);
    private readonly HashSet<string> _forbidden = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>How many writes and removals this publisher sent (the bench counts them).</summary>
    public long Operations { get; private set; }

    /// <summary>The keys skipped because the store refused them (<c>EACCES</c>).</summary>
    public IReadOnlyCollection<string> Forbidden => _forbidden;

    /// <summary>Removes <paramref name="subtree"/> whole (what a previous run left there is stale) and forgets it.</summary>
    public async Task ClearAsync(string subtree, CancellationToken cancellationToken)
    {
        await RemoveAsync(subtree, cancellationToken).ConfigureAwait(false);
        foreach (string key in _written.Keys.Where(key => IsUnder(key, subtree)).ToList()) _written.Remove(key);
    }

    /// <summary>Makes the store hold <paramref name="desired"/>: writes what changed, removes what went.</summary>
    /// <returns>How many keys were written or removed (0: nothing changed, nothing sent).</returns>
    public async Task<int> PublishAsync(IReadOnlyDictionary<string, string> desired, CancellationToken cancellationToken)
    {
        int changes = 0;
        foreach (var (key, value) in desired)
        {
            if (_written.TryGetValue(key, out string? old) && old == value) continue;
            if (await WriteAsync(key, value, cancellationToken).ConfigureAwait(false)) changes++;
        }
        var removedPrefixes = new List<string>();
        foreach (string key in _written.Keys.Where(key => !desired.ContainsKey(key)).Order(StringComparer.Ordinal).ToList())
        {
            _written.Remove(key);
            string target = TopmostEmptied(key, desired);
            if (removedPrefixes.Any(prefix => IsUnder(target, prefix))) continue;
            removedPrefixes.Add(target);
            if (await RemoveAsync(target, cancellationToken).ConfigureAwait(false)) changes++;
        }
        if (changes > 0 && layout.UpdatedValue(_clock.GetLocalNow()) is { } updated)
        {
            // Not remembered as published: it is no key of the desired set, and must not be taken for a stale one.
            if (await WriteAsync(KeyLayout.UpdatedKey, updated, cancellationToken).ConfigureAwait(false)) _written.Remove(KeyLayout.UpdatedKey);
        }
        return changes;
    }

    /// <summary>The node to remove for a stale <paramref name="key"/>: under the vif root, its highest ancestor with nothing desired below it.</summary>
    private static string TopmostEmptied(string key, IReadOnlyDictionary<string, string> desired)
    {
        if (!IsUnder(key, KeyLayout.VifRoot)) return key;
        int at = KeyLayout.VifRoot.Length;
        while ((at = key.IndexOf('/', at + 1)) > 0)
        {
            string prefix = key[..at];
            if (!desired.Keys.Any(k => IsUnder(k, prefix))) return prefix;
        }
        return key;
    }

    private async Task<bool> WriteAsync(string key, string value, CancellationToken cancellationToken)
    {
        if (_forbidden.Contains(key)) return false;
        try
        {
            Operations++;
            await store.WriteAsync(key, value, cancellationToken).ConfigureAwait(false);
            _written[key] = value;
            return true;
        }
        catch (XsPermissionDeniedException e)
        {
            Forbid(key, e);
            return false;
        }
    }

    private async Task<bool> RemoveAsync(string node, CancellationToken cancellationToken)
    {
        if (_forbidden.Contains(node)) return false;
        try
        {
            Operations++;
            await store.RmAsync(node, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (XsNotFoundException)
        {
            return false;
        }
        catch (XsPermissionDeniedException e)
        {
            Forbid(node, e);
            return false;
        }
    }

    private void Forbid(string key, XsErrorException e)
    {
        if (_forbidden.Add(key)) log($"{key}: the store refused it ({e.Error.Name}); skipped from now on");
    }

    private static bool IsUnder(string key, string prefix) =>
        key == prefix || (key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.Ordinal) && key[prefix.Length] == '/');
}
