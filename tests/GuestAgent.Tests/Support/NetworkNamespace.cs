namespace Xen.GuestAgent.Tests.Support;

/// <summary>
/// A network namespace made for one test with <c>ip netns add</c>, holding a veth pair named <c>eth0</c>/<c>eth9</c>
/// (eth0 is vif 0 by xe-guest-utilities' reading of names) and a loopback that is up; deleted on dispose.
/// </summary>
internal sealed class NetworkNamespace : IDisposable
{
    private static int s_count;

    public NetworkNamespace()
    {
        Name = $"xga-test-{Environment.ProcessId}-{Interlocked.Increment(ref s_count)}";
        Processes.Ok("ip", "netns", "add", Name);
        try
        {
            Ip("link", "set", "lo", "up");
            Ip("link", "add", "eth0", "type", "veth", "peer", "name", "eth9");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }

    /// <summary><c>ip -n NAME ARGS</c>, which must succeed.</summary>
    public void Ip(params string[] args) => Processes.Ok("ip", ["-n", Name, .. args]);

    /// <summary>The arguments that run <paramref name="program"/> inside the namespace.</summary>
    public string[] Exec(params string[] program) => ["netns", "exec", Name, .. program];

    public void Dispose() => Processes.Run("ip", ["netns", "del", Name]);
}
