using System.Diagnostics;

namespace XenGen.Samples.Tests;

/// <summary>
/// samples/XenStoreLs on the client package against our xenstored, side by side with Debian's xenstore-ls on the
/// same daemon and tree: the same lines.
/// </summary>
[Collection(SamplesCollection.Name)]
public sealed class XenStoreLsTests(SampleBuild samples) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xenstore-ls-sample-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ListsTheTreeAsDebiansXenstoreLsDoes()
    {
        string socket = Path.Combine(_dir, "socket");
        var environment = new Dictionary<string, string> { ["XENSTORED_PATH"] = socket };
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "xenstored.dll"));
        info.ArgumentList.Add("--socket");
        info.ArgumentList.Add(socket);
        using var daemon = Process.Start(info)!;
        try
        {
            var started = Stopwatch.StartNew();
            while (!File.Exists(socket) && started.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(50);
            Assert.True(File.Exists(socket), "xenstored did not create its socket");
            foreach (var (key, value) in new[] { ("/local/domain/3/name", "guest-3"), ("/local/domain/3/data/empty", ""), ("/local/domain/3/device/vbd/768/state", "4"), ("/vm/uuid-1/name", "with space and \\ backslash") })
            {
                Assert.Equal(0, SampleBuild.Run("/usr/bin/xenstore-write", [key, value], TimeSpan.FromSeconds(30), environment).ExitCode);
            }

            string output = samples.Build("XenStoreLs");
            foreach (string[] args in new[] { new[] { "/local" }, ["/vm"], [] })
            {
                var ours = SampleBuild.Run("dotnet", [Path.Combine(output, "xenstore-ls.dll"), .. args], TimeSpan.FromSeconds(60), environment);
                var debian = SampleBuild.Run("/usr/bin/xenstore-ls", args, TimeSpan.FromSeconds(30), environment);
                Assert.True(ours.ExitCode == 0, ours.Stderr);
                Assert.Equal(0, debian.ExitCode);
                Assert.Equal(debian.Stdout, ours.Stdout);
            }
            var perms = SampleBuild.Run("dotnet", [Path.Combine(output, "xenstore-ls.dll"), "-p", "/local/domain/3"], TimeSpan.FromSeconds(60), environment);
            Assert.Contains("name = \"guest-3\"  (n0)\n", perms.Stdout);

            var missing = SampleBuild.Run("dotnet", [Path.Combine(output, "xenstore-ls.dll"), "/no/such/node"], TimeSpan.FromSeconds(60), environment);
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("ENOENT", missing.Stderr);
        }
        finally
        {
            if (!daemon.HasExited) daemon.Kill(entireProcessTree: true);
        }
    }
}
