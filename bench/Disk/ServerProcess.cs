using System.Diagnostics;
using System.Globalization;

namespace Xen.Bench.Disk;

/// <summary>An NBD server process (xensim or nbdkit) on a unix socket, with its CPU time read from /proc.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;

    private ServerProcess(Process process, string socket)
    {
        this.process = process;
        Socket = socket;
    }

    public string Socket { get; }

    public static async Task<ServerProcess> StartAsync(string program, IEnumerable<string> arguments, string socket)
    {
        var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{program} did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"{Path.GetFileName(program)}: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 600 && !File.Exists(socket) && !process.HasExited; i++) await Task.Delay(50);
        if (!File.Exists(socket)) throw new InvalidOperationException($"{program} did not open {socket}");
        await Task.Delay(200);
        return new ServerProcess(process, socket);
    }

    /// <summary>User plus system CPU time of the process and its threads so far (/proc/PID/stat utime and stime).</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
    }

    /// <summary>sysconf(_SC_CLK_TCK) on Linux.</summary>
    private const int ClockTicksPerSecond = 100;

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!) await kill.WaitForExitAsync();
            try { await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)); }
            catch (TimeoutException) { process.Kill(); }
        }
        process.Dispose();
    }
}
