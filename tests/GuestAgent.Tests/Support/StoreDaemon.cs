using System.Diagnostics;

namespace Xen.GuestAgent.Tests.Support;

/// <summary>Our tools/xenstored as a process on a socket in a temporary folder; <see cref="Restart"/> stops it and starts a new, empty one.</summary>
internal sealed class StoreDaemon : IDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("xga-store-").FullName;
    private Process? _process;

    public StoreDaemon()
    {
        Socket = Path.Combine(_directory, "socket");
        Tools = new XenstoreTools(Socket);
        Start();
    }

    public string Socket { get; }

    public string Directory => _directory;

    public XenstoreTools Tools { get; }

    public void Restart()
    {
        Processes.Stop(_process!);
        _process!.Dispose();
        Assert.False(File.Exists(Socket), "xenstored left its socket behind");
        Start();
    }

    private void Start()
    {
        _process = Processes.Start("dotnet", [Processes.Dll("xenstored"), "--socket", Socket]);
        Processes.Eventually(() => File.Exists(Socket), "xenstored's socket");
    }

    public void Dispose()
    {
        if (_process is not null)
        {
            Processes.Stop(_process);
            _process.Dispose();
        }
        System.IO.Directory.Delete(_directory, recursive: true);
    }
}
