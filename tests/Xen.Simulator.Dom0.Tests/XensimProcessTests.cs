using System.Diagnostics;

namespace Xen.Simulator.Dom0.Tests;

/// <summary>
/// A running <c>xensim run</c> process: the seed's rc.local lines run by /bin/sh with <c>hostctl -f PVBUS</c>, read
/// back by Debian's <c>xenstore-read</c> on the store socket.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class XensimProcessTests
{
    private static string Tool(string name) =>
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tools", name, "bin", "Release", "net10.0", name + ".dll"));

    [Fact]
    public async Task The_seeds_rc_local_through_hostctl_on_the_pvbus_socket_is_read_back_by_xenstore_read()
    {
        var dir = Directory.CreateTempSubdirectory("xensim-").FullName;
        var store = Path.Combine(dir, "store.sock");
        var pvbus = Path.Combine(dir, "pvbus.sock");
        var start = new ProcessStartInfo("dotnet", [Tool("xensim"), "run", "--domid", "3", "--store-socket", store, "--pvbus", pvbus, "--for", "600"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var xensim = Process.Start(start)!;
        var output = new List<string>();
        xensim.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        xensim.BeginOutputReadLine();
        try
        {
            for (var i = 0; i < 600 && !(File.Exists(pvbus) && File.Exists(store) && Lines().Any(l => l.StartsWith("xenstored: ", StringComparison.Ordinal))); i++) await Task.Delay(50);
            Assert.True(File.Exists(pvbus), string.Join('\n', Lines()));

            await File.WriteAllTextAsync(Path.Combine(dir, "hostctl"), $"#!/bin/sh\nexec dotnet '{Tool("hostctl")}' -f '{pvbus}' \"$@\"\n");
            await File.WriteAllTextAsync(Path.Combine(dir, "sysctl"), "#!/bin/sh\ncase \"$2\" in kern.ostype) echo OpenBSD;; kern.osrelease) echo 7.6;; *) exit 1;; esac\n");
            foreach (var tool in new[] { "hostctl", "sysctl" }) File.SetUnixFileMode(Path.Combine(dir, tool), (UnixFileMode)0b111_101_101);
            var shell = new ProcessStartInfo("/bin/sh", ["-e", Path.Combine(AppContext.BaseDirectory, "rc.local")]) { RedirectStandardError = true, RedirectStandardOutput = true };
            shell.Environment["PATH"] = dir + ":" + Environment.GetEnvironmentVariable("PATH");
            using (var rc = Process.Start(shell)!)
            {
                var err = rc.StandardError.ReadToEndAsync();
                await rc.StandardOutput.ReadToEndAsync();
                await rc.WaitForExitAsync();
                Assert.True(rc.ExitCode == 0, await err);
            }

            foreach (var (key, value) in new[] { ("attr/PVAddons/MajorVersion", "6"), ("data/os_name", "OpenBSD 7.6"), ("attr/vif/0/ipv6/0", "2001:db8::1"), ("data/updated", "1") })
                Assert.Equal(value, await XenstoreReadAsync(store, "/local/domain/3/" + key));
            Assert.Equal("PVAddons\nvif", await HostctlAsync(pvbus, "attr"));

            xensim.Kill(Signal.Term);
            await xensim.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, xensim.ExitCode);
            Assert.Contains(Lines(), l => l == "xensim: domain 3 shut down (SHUTDOWN_poweroff)");
            Assert.False(File.Exists(pvbus));
            Assert.False(File.Exists(store));
        }
        finally
        {
            if (!xensim.HasExited) xensim.Kill();
            Directory.Delete(dir, recursive: true);
        }

        string[] Lines() { lock (output) return output.ToArray(); }
    }

    private static async Task<string> XenstoreReadAsync(string socket, string path)
    {
        var start = new ProcessStartInfo("xenstore-read", [path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["XENSTORED_PATH"] = socket;
        using var read = Process.Start(start)!;
        var text = await read.StandardOutput.ReadToEndAsync();
        await read.WaitForExitAsync();
        Assert.True(read.ExitCode == 0, await read.StandardError.ReadToEndAsync());
        return text.TrimEnd('\n');
    }

    private static async Task<string> HostctlAsync(string pvbus, string key)
    {
        using var run = Process.Start(new ProcessStartInfo("dotnet", [Tool("hostctl"), "-f", pvbus, key]) { RedirectStandardOutput = true })!;
        var text = await run.StandardOutput.ReadToEndAsync();
        await run.WaitForExitAsync();
        return text.TrimEnd('\n');
    }
}

internal static class Signal
{
    public const int Interrupt = 2;
    public const int Term = 15;

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    public static void Kill(this Process process, int signal) => _ = kill(process.Id, signal);
}
