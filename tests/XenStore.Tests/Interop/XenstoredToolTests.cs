using System.Diagnostics;
using Xen.XenStore.Tests.Support;

namespace Xen.XenStore.Tests.Interop;

/// <summary>The xenstored tool as a process: serves the socket from XENSTORED_PATH or --socket, stops cleanly on SIGTERM.</summary>
public class XenstoredToolTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ServesTheSocketAndExitsCleanlyOnSigterm(bool socketOption)
    {
        var directory = Directory.CreateTempSubdirectory("xenstored-tool-").FullName;
        string socket = Path.Combine(directory, "sub", "socket");
        string daemon = Path.Combine(AppContext.BaseDirectory, "xenstored.dll");
        string[] args = socketOption ? [daemon, "--socket", socket] : [daemon];
        using var process = ExternalProcess.Start(socketOption ? Path.Combine(directory, "not-this-one") : socket, "dotnet", args);
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!File.Exists(socket) && deadline.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(50);
            Assert.True(File.Exists(socket), "xenstored did not create its socket");
            Assert.Equal(0, ExternalProcess.Run(socket, "/usr/bin/xenstore-write", "/tool", "up").ExitCode);
            Assert.Equal("up\n", ExternalProcess.Run(socket, "/usr/bin/xenstore-read", "/tool").Stdout);

            ExternalProcess.Terminate(process);
            Assert.True(process.WaitForExit(10000), "xenstored did not stop on SIGTERM");
            Assert.Equal(0, process.ExitCode);
            string log = process.StandardError.ReadToEnd();
            Assert.Contains($"listening on {socket}", log);
            Assert.Contains("SIGTERM: stopping", log);
            Assert.False(File.Exists(socket), "the socket file was left behind");
        }
        finally
        {
            ExternalProcess.KillIfRunning(process);
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void RejectsUnknownArguments()
    {
        string daemon = Path.Combine(AppContext.BaseDirectory, "xenstored.dll");
        var run = ExternalProcess.Run("/nonexistent", "dotnet", daemon, "--bogus");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown argument", run.Stderr);
    }

    [Fact]
    public void HelpDescribesTheSocketOptionAndExitsZero()
    {
        string daemon = Path.Combine(AppContext.BaseDirectory, "xenstored.dll");
        var run = ExternalProcess.Run("/nonexistent", "dotnet", daemon, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--socket", run.Stdout);
        Assert.Contains(Xen.XenStore.Daemon.Program.DefaultSocket, run.Stdout);
    }

    [Fact]
    public void RejectsAMissingSocketPath()
    {
        string daemon = Path.Combine(AppContext.BaseDirectory, "xenstored.dll");
        var run = ExternalProcess.Run("/nonexistent", "dotnet", daemon, "--socket");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--socket", run.Stderr);
    }

    [Fact]
    public void XenOptionOutsideADom0FailsNamingTheMissingDevice()
    {
        string daemon = Path.Combine(AppContext.BaseDirectory, "xenstored.dll");
        string socket = Path.Combine(Directory.CreateTempSubdirectory("xenstored-tool-").FullName, "socket");
        var run = ExternalProcess.Run("/nonexistent", "dotnet", daemon, "--xen", "--socket", socket);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("xenstored: --xen: ", run.Stderr);
        Assert.Contains("/dev/xen/evtchn", run.Stderr);
        Assert.False(File.Exists(socket), "a daemon that cannot serve /dev/xen must not serve the socket either");
    }
}
