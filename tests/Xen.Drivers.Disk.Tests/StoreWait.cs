using Xen.XenStore.Client;

namespace Xen.Drivers.Disk.Tests;

/// <summary>A bounded wait on a XenStore node, shared by the disk and network test beds.</summary>
internal static class StoreWait
{
    /// <summary>Waits (bounded) until <paramref name="path"/> exists, and equals <paramref name="expected"/> when given; returns its value. A timeout carries the bed's log.</summary>
    public static async Task<string> ForValueAsync(XenStoreClient store, string path, string? expected, int seconds, Func<string[]> log)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        string? value = null;
        while (DateTime.UtcNow < until)
        {
            if (await store.ExistsAsync(path))
            {
                value = await store.ReadStringAsync(path);
                if (expected is null || value == expected) return value;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"{path} is \"{value}\", not {expected ?? "present"}, after {seconds} s:\n{string.Join('\n', log())}");
    }
}
