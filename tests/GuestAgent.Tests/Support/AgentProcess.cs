using System.Collections.Concurrent;
using System.Diagnostics;

namespace Xen.GuestAgent.Tests.Support;

/// <summary>tools/xen-guest-agent as a process inside a network namespace; its log lines collected.</summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;

    public AgentProcess(NetworkNamespace network, params string[] arguments)
    {
        _process = Processes.Start("ip", network.Exec(["dotnet", Processes.Dll("xen-guest-agent"), .. arguments]));
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Log.Enqueue(e.Data); };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public ConcurrentQueue<string> Log { get; } = new();

    public ConcurrentQueue<string> Output { get; } = new();

    public bool HasExited => _process.HasExited;

    public int Lines(string containing) => Log.Count(line => line.Contains(containing, StringComparison.Ordinal));

    public string Describe() => "agent log:\n" + string.Join('\n', Log);

    /// <summary>The process's CPU time so far, from <c>/proc/PID/stat</c>.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public int WaitForExit(int seconds = 60)
    {
        Assert.True(_process.WaitForExit(TimeSpan.FromSeconds(seconds)), "the agent did not exit; " + Describe());
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Processes.Stop(_process);
        _process.Dispose();
    }
}
