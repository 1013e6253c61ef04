using Xen.XenStore.Client;

namespace Xen.Conformance.Linux;

/// <summary>
/// The peer link over XenStore: both sides read and write keys under the guest's <c>data/conformance</c>
/// (<paramref name="folder"/>: relative in the guest, <c>/local/domain/N/data/conformance</c> in dom0). A key is set
/// once it holds a non-empty value; the guest creates dom0's keys empty first, so it owns them.
/// </summary>
internal sealed class XenStoreLink(XenStoreClient store, string folder) : IPeerLink
{
    public const string GuestFolder = "data/conformance";

    public Task PublishAsync(string key, string value, CancellationToken cancel) => store.WriteAsync($"{folder}/{key}", value, cancel);

    public async Task<string> WaitForAsync(string key, TimeSpan timeout, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + timeout;
        string path = $"{folder}/{key}";
        while (DateTime.UtcNow < deadline)
        {
            if (await store.ExistsAsync(path, cancel) && await store.ReadStringAsync(path, cancel) is { Length: > 0 } value) return value;
            await Task.Delay(200, cancel);
        }
        throw new TimeoutException($"XenStore {path} was not set within {timeout.TotalSeconds:0} s");
    }
}
