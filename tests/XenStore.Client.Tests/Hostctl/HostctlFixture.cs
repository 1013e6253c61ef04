using Xen.XenStore.Client.Tests.Support;

namespace Xen.XenStore.Client.Tests.Hostctl;

/// <summary>Our server on a socket (so hostctl is dom0, home <c>/local/domain/0</c>) and a way to run hostctl in process.</summary>
public sealed class HostctlFixture : IAsyncLifetime
{
    public SocketStoreFixture Store { get; } = new();

    public Task InitializeAsync() => Store.InitializeAsync();

    public Task DisposeAsync() => Store.DisposeAsync();

    /// <summary>Runs hostctl with <c>-f</c> naming our socket.</summary>
    public async Task<(int Status, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int status = await Xen.XenStore.Hostctl.Hostctl.RunAsync(["-f", Store.SocketPath, .. args], output, error);
        return (status, output.ToString(), error.ToString());
    }
}
