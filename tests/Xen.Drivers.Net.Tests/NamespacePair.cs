namespace Xen.Drivers.Net.Tests;

/// <summary>
/// Two network namespaces made for one test, each given one of xensim's TAP devices with an address; deleted on
/// dispose whatever happened (deleting a namespace returns the TAP to nobody: it goes away with xensim's descriptor).
/// </summary>
public sealed class NamespacePair : IAsyncDisposable
{
    public const string GuestAddress = "10.77.0.1";
    public const string BackendAddress = "10.77.0.2";

    private NamespacePair(string tag)
    {
        Guest = $"xg-{tag}";
        Backend = $"xb-{tag}";
    }

    /// <summary>The namespace of the guest's TAP (the guest's side of the link).</summary>
    public string Guest { get; }

    /// <summary>The namespace of the backend's TAP.</summary>
    public string Backend { get; }

    public static async Task<NamespacePair> CreateAsync(string tag)
    {
        var pair = new NamespacePair(tag);
        await pair.DeleteAsync();
        await HostTools.MustAsync("ip", "netns", "add", pair.Guest);
        await HostTools.MustAsync("ip", "netns", "add", pair.Backend);
        return pair;
    }

    /// <summary>Moves <paramref name="tap"/> into <paramref name="ns"/>, addresses it and brings it up.</summary>
    public static async Task PlaceAsync(string tap, string ns, string address)
    {
        await HostTools.MustAsync("ip", "link", "set", tap, "netns", ns);
        await HostTools.MustAsync("ip", "-n", ns, "addr", "add", address + "/24", "dev", tap);
        await HostTools.MustAsync("ip", "-n", ns, "link", "set", tap, "up");
        await HostTools.MustAsync("ip", "-n", ns, "link", "set", "lo", "up");
    }

    /// <summary>Runs <paramref name="args"/> inside <paramref name="ns"/>.</summary>
    public static Task<(int Code, string Output)> InAsync(string ns, int seconds, params string[] args)
        => HostTools.RunAsync("ip", new[] { "netns", "exec", ns }.Concat(args), seconds);

    private async Task DeleteAsync()
    {
        foreach (var ns in new[] { Guest, Backend }) await HostTools.RunAsync("ip", ["netns", "del", ns]);
    }

    public async ValueTask DisposeAsync() => await DeleteAsync();
}
