using System.Diagnostics;

namespace Xen.XenStore.Client.Tests.Hostctl;

/// <summary>
/// The rc.local lines of the seed's xen(4) page, run verbatim by /bin/sh: <c>hostctl</c> is our exe (through a
/// wrapper on PATH) reaching our server through <c>XENSTORED_PATH</c>, and <c>sysctl</c> a stand-in answering
/// <c>kern.ostype</c> and <c>kern.osrelease</c> with fixed values, so the shell expands <c>$ostype</c> and
/// <c>$osrelease</c> itself.
/// </summary>
public sealed class RcLocalTests(HostctlFixture hostctl) : IClassFixture<HostctlFixture>
{
    private const string OsType = "OpenBSD";
    private const string OsRelease = "7.6";

    [Fact]
    public void The_rc_local_lines_are_the_seeds()
    {
        string seed = Path.Combine(RepositoryRoot(), "..", "shared", "seed", "xen.4.txt");
        Assert.True(File.Exists(seed), $"the seed man page is not at {seed}");
        var lines = File.ReadAllLines(seed);
        int start = Array.FindIndex(lines, l => l.StartsWith(".Bd -literal", StringComparison.Ordinal)) + 1;
        int end = Array.FindIndex(lines, start, l => l == ".Ed");
        Assert.Equal(lines[start..end], File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Hostctl", "rc.local")));
    }

    [Fact]
    public async Task The_seeds_rc_local_lines_run_verbatim_and_set_every_node()
    {
        string bin = Directory.CreateTempSubdirectory("xsc-rc-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(bin, "hostctl"), $"#!/bin/sh\nexec dotnet '{HostctlDll()}' \"$@\"\n");
            await File.WriteAllTextAsync(Path.Combine(bin, "sysctl"),
                $"#!/bin/sh\ncase \"$2\" in kern.ostype) echo {OsType};; kern.osrelease) echo {OsRelease};; *) exit 1;; esac\n");
            foreach (string tool in new[] { "hostctl", "sysctl" }) File.SetUnixFileMode(Path.Combine(bin, tool), (UnixFileMode)0b111_101_101);

            var start = new ProcessStartInfo("/bin/sh", ["-e", Path.Combine(AppContext.BaseDirectory, "Hostctl", "rc.local")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
            start.Environment[XsUnixSocketTransport.PathVariable] = hostctl.Store.SocketPath;
            using var shell = Process.Start(start)!;
            var output = shell.StandardOutput.ReadToEndAsync();
            var error = shell.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await shell.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                shell.Kill(entireProcessTree: true);
                throw;
            }
            Assert.True(shell.ExitCode == 0, $"rc.local failed ({shell.ExitCode}): {await error}");

            var expected = new (string Key, string Value)[]
            {
                ("attr/PVAddons/MajorVersion", "6"),
                ("attr/PVAddons/MinorVersion", "2"),
                ("attr/PVAddons/MicroVersion", "0"),
                ("attr/PVAddons/BuildVersion", "76888"),
                ("attr/PVAddons/Installed", "1"),
                ("data/os_name", $"{OsType} {OsRelease}"),
                ("data/os_uname", OsRelease),
                ("data/os_distro", OsType),
                ("attr/vif/0/ipv4/0", "192.0.2.1"),
                ("attr/vif/0/ipv6/0", "2001:db8::1"),
                ("data/updated", "1"),
            };
            Assert.Equal(string.Concat(expected.Select(e => e.Value + "\n")), await output);
            foreach (var (key, value) in expected)
            {
                Assert.Equal(value, await hostctl.Store.Admin.ReadStringAsync("/local/domain/0/" + key));
            }
            Assert.Equal(["PVAddons", "vif"], await hostctl.Store.Admin.DirectoryAsync("/local/domain/0/attr"));
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    private static string HostctlDll()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "hostctl.dll");
        Assert.True(File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")), $"hostctl is not built beside the tests ({beside})");
        return beside;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "XenGen.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("not inside the repository");
    }
}
