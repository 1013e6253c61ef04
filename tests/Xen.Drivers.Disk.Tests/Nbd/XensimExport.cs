using System.Diagnostics;

namespace Xen.Drivers.Disk.Tests.Nbd;

/// <summary>A running <c>xensim run --disk IMAGE --nbd SOCKET</c> on a fresh image in a temporary directory.</summary>
public sealed class XensimExport : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> output = new();

    private XensimExport(string directory, string image, string socket, Process process)
    {
        Directory = directory;
        ImagePath = image;
        SocketPath = socket;
        this.process = process;
    }

    public string Directory { get; }

    public string ImagePath { get; }

    public string SocketPath { get; }

    /// <summary>The export as an NBD URI for libnbd's tools and qemu.</summary>
    public string Uri => $"nbd+unix:///?socket={SocketPath}";

    public static string Tool(string name) =>
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tools", name, "bin", "Release", "net10.0", name + ".dll"));

    /// <summary>Boots xensim on an image of <paramref name="bytes"/> (zeros, or <paramref name="fill"/>) and waits for the export.</summary>
    public static async Task<XensimExport> StartAsync(long bytes, Action<FileStream>? fill = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("xbf-nbd-").FullName;
        var image = Path.Combine(directory, "disk.img");
        await using (var file = File.Create(image))
        {
            file.SetLength(bytes);
            fill?.Invoke(file);
        }
        var socket = Path.Combine(directory, "nbd.sock");
        var start = new ProcessStartInfo("dotnet", [Tool("xensim"), "run", "--disk", image, "--nbd", socket, "--for", "600"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        var export = new XensimExport(directory, image, socket, Process.Start(start)!);
        export.process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (export.output) export.output.Add(e.Data); };
        export.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (export.output) export.output.Add("stderr: " + e.Data); };
        export.process.BeginOutputReadLine();
        export.process.BeginErrorReadLine();
        for (var i = 0; i < 1200 && !export.Lines().Any(l => l.StartsWith("nbd0: ", StringComparison.Ordinal)) && !export.process.HasExited; i++) await Task.Delay(50);
        if (!export.Lines().Any(l => l.StartsWith("nbd0: ", StringComparison.Ordinal)))
        {
            var lines = string.Join('\n', export.Lines());
            await export.DisposeAsync();
            throw new InvalidOperationException("xensim did not export the disk:\n" + lines);
        }
        return export;
    }

    public string[] Lines()
    {
        lock (output) return output.ToArray();
    }

    /// <summary>Stops xensim as SIGTERM does (the guest powers off, its disk closes) and waits for it; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (process.HasExited) return process.ExitCode;
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            await kill.WaitForExitAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        catch (Exception) { }
        if (!process.HasExited) process.Kill();
        process.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
