using System.Diagnostics;
using System.Net.Sockets;

namespace XenGen.Bench.XenStored;

/// <summary>A running xenstored on a unix socket, and its resident memory.</summary>
internal sealed class DaemonUnderTest : IDisposable
{
    private readonly Action _stop;

    public DaemonUnderTest(string name, string socketPath, Process process, Action stop)
    {
        Name = name;
        SocketPath = socketPath;
        Process = process;
        _stop = stop;
    }

    public string Name { get; }

    public string SocketPath { get; }

    public Process Process { get; }

    /// <summary>VmRSS of /proc/PID/status, in KiB.</summary>
    public long ResidentKiB()
    {
        foreach (var line in File.ReadLines($"/proc/{Process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        throw new InvalidOperationException($"no VmRSS for {Name}");
    }

    /// <summary>Starts our published daemon on a socket in <paramref name="directory"/>.</summary>
    public static DaemonUnderTest StartOurs(string binary, string directory)
    {
        string socket = Path.Combine(directory, "ours.socket");
        var process = Process.Start(new ProcessStartInfo(binary, ["--socket", socket]) { RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("cannot start " + binary);
        _ = process.StandardError.ReadToEndAsync();
        WaitForSocket(socket, process);
        return new DaemonUnderTest("ours (NativeAOT)", socket, process, () => { if (!process.HasExited) { process.Kill(); process.WaitForExit(); } process.Dispose(); });
    }

    public static DaemonUnderTest StartC()
    {
        var daemon = XenGen.Interop.ReferenceXenstored.Start();
        return new DaemonUnderTest("C xenstored " + XenGen.Interop.ReferenceXenstored.Release, daemon.SocketPath, daemon.Process, daemon.Dispose);
    }

    private static void WaitForSocket(string socket, Process process)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (process.HasExited) throw new InvalidOperationException($"the daemon exited with {process.ExitCode}");
            if (File.Exists(socket))
            {
                try
                {
                    using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    probe.Connect(new UnixDomainSocketEndPoint(socket));
                    return;
                }
                catch (SocketException)
                {
                }
            }
            Thread.Sleep(20);
        }
        throw new TimeoutException("no socket after 20 s: " + socket);
    }

    public void Dispose() => _stop();
}
