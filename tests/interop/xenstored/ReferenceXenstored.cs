using System.Diagnostics;
using System.Net.Sockets;
using XenGen.Tool.Headers;
using XenGen.Tool.Releases;

namespace XenGen.Interop;

/// <summary>
/// Xen's own C xenstored (Debian's xen-utils of the pinned 4.20 release, extracted, never installed) serving a
/// unix socket on this host: xenstored_nohv.c, compiled with clang against the release's public headers, answers
/// the hypervisor calls it makes at start-up. The extracted tree and the library are cached beside the header
/// cache (<c>&lt;cache&gt;/xenstored-&lt;version&gt;</c>), made in a temporary directory and renamed into place.
/// </summary>
public static class ReferenceXenstored
{
    /// <summary>The pinned release whose Debian packages give the daemon (the same version as its libxen-dev pin).</summary>
    public const string Release = "4.20.4";

    /// <summary>The daemon and the one library of its own release it needs (libxenctrl); the rest is bookworm's.</summary>
    private static readonly string[] Packages = ["xen-utils-4.20", "libxenmisc4.20"];

    private static readonly Lazy<Installation> Installed = new(Install);

    /// <summary>The daemon's files, fetched and built on first use.</summary>
    /// <exception cref="InvalidOperationException">A download, extraction or the library's compilation failed.</exception>
    public static Installation Installation => Installed.Value;

    private static Installation Install()
    {
        var catalog = ReleaseCatalog.LoadFromRepository(RepositoryRoot.Locate(null, AppContext.BaseDirectory));
        var pin = catalog.Find(Release);
        var cache = HeaderCache.Default;
        var target = Path.Combine(cache.Root, $"xenstored-{pin.PackageVersion}");
        var installation = new Installation(target);
        if (File.Exists(installation.Daemon) && File.Exists(installation.Shim)) return installation;

        Directory.CreateDirectory(cache.Root);
        var work = Directory.CreateDirectory(Path.Combine(cache.Root, $".xenstored-{Guid.NewGuid():N}")).FullName;
        try
        {
            var archive = new DebianArchive(Path.Combine(cache.Root, "apt"));
            foreach (var package in Packages)
            {
                var download = Directory.CreateDirectory(Path.Combine(work, "deb-" + package)).FullName;
                var deb = archive.Download(pin.Suite, package, pin.PackageVersion, download);
                RunChecked("dpkg-deb", ["-x", deb, Path.Combine(work, "root")], $"extracting {Path.GetFileName(deb)}");
            }
            var shimSource = Path.Combine(AppContext.BaseDirectory, "interop", "xenstored", "xenstored_nohv.c");
            RunChecked("clang", ["-O2", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-D__XEN_TOOLS__",
                "-I", cache.IncludeDirOf(Release), shimSource, "-o", Path.Combine(work, "xenstored_nohv.so"), "-ldl"], "compiling xenstored_nohv.c");
            foreach (var deb in Directory.GetDirectories(work, "deb-*")) Directory.Delete(deb, recursive: true);
            try
            {
                Directory.Move(work, target);
            }
            catch (IOException) when (File.Exists(installation.Daemon))
            {
                // Another process installed it meanwhile.
            }
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
        return installation;
    }

    private static void RunChecked(string program, string[] args, string what)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{what}: cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new InvalidOperationException($"{what}: {program} did not finish in 2 minutes");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{what}: {program} exited {process.ExitCode}\n{stdout.Result}{stderr.Result}");
    }

    /// <summary>Starts the daemon on a socket in a fresh directory; it stops when disposed.</summary>
    public static Daemon Start() => new(Installation);
}

/// <summary>Where the extracted daemon and the start-up library are.</summary>
/// <param name="Directory">The cache entry.</param>
public sealed record Installation(string Directory)
{
    public string Root => Path.Combine(Directory, "root");

    public string Daemon => Path.Combine(Root, "usr", "lib", "xen-4.20", "bin", "xenstored");

    public string Libraries => Path.Combine(Root, "usr", "lib", "x86_64-linux-gnu");

    public string Shim => Path.Combine(Directory, "xenstored_nohv.so");
}

/// <summary>One running C xenstored on <see cref="SocketPath"/>.</summary>
public sealed class Daemon : IDisposable
{
    private readonly string _runDirectory;

    internal Daemon(Installation installation)
    {
        _runDirectory = System.IO.Directory.CreateTempSubdirectory("c-xenstored-").FullName;
        SocketPath = Path.Combine(_runDirectory, "socket");
        var info = new ProcessStartInfo(installation.Daemon) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add("--no-fork");
        info.Environment["LD_PRELOAD"] = installation.Shim;
        info.Environment["LD_LIBRARY_PATH"] = installation.Libraries;
        info.Environment["XENSTORED_RUNDIR"] = _runDirectory;
        Process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("cannot start " + installation.Daemon);
        Process.OutputDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
        Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
        WaitForSocket();
    }

    /// <summary>The socket it serves (what <c>XENSTORED_PATH</c> names for its clients).</summary>
    public string SocketPath { get; }

    public Process Process { get; }

    /// <summary>What the daemon printed.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();

    /// <summary>Whether it still runs, else how it ended and what it printed (for a failure message).</summary>
    public string Status() => Process.HasExited
        ? $"C xenstored exited with {Process.ExitCode}:\n{string.Join("\n", Output)}"
        : "C xenstored still runs";

    private void WaitForSocket()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (Process.HasExited) throw new InvalidOperationException($"C xenstored exited with {Process.ExitCode} at start");
            if (File.Exists(SocketPath))
            {
                using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    probe.Connect(new UnixDomainSocketEndPoint(SocketPath));
                    return;
                }
                catch (SocketException)
                {
                }
            }
            Thread.Sleep(20);
        }
        throw new TimeoutException("C xenstored did not open its socket in 20 s");
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        Process.Dispose();
        try { System.IO.Directory.Delete(_runDirectory, recursive: true); } catch (IOException) { }
    }
}
