namespace Xen.Drivers.Frontends.Check;

/// <summary>dom0's iperf3 server (<c>iperf3 -s -D</c>) on xenbr0's address for the guest's runs; stopped by its pid file.</summary>
internal sealed class IperfServer(string pidFile) : IAsyncDisposable
{
    public static async Task<IperfServer> StartAsync(string pidFile)
    {
        await Tool.CheckAsync("/usr/bin/iperf3", ["-s", "-D", "-I", pidFile], TimeSpan.FromSeconds(60));
        return new IperfServer(pidFile);
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim('\0', ' ', '\n'), out int pid))
            await Tool.RunAsync("kill", [pid.ToString()], TimeSpan.FromSeconds(30));
    }
}
