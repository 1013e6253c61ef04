using System.Diagnostics;
using System.Globalization;
using XenGen.RealXen.Host;

namespace XenGen.RealXen.Guest;

/// <summary>
/// QEMU's qdisk for a guest's <c>backend=qdisk</c> disks: the Xen device model of <c>qemu-system-xen</c>, started
/// as libxl starts it for a PV guest (<c>-machine xenpv -xen-attach</c>) but by realxen, which waits for it as long
/// as the guest may take. libxl 4.17 gives QEMU 60 s to write <c>device-model/&lt;domid&gt;/state</c> and then 10 s
/// to answer its first QMP command, both fixed at build time: under the emulator on a loaded machine QEMU misses
/// one of them and <c>xl create</c> fails ("Post DM startup configs failed"). QEMU serves the nodes
/// <see cref="DiskNodes"/> writes under dom0's <c>backend/qdisk</c>; its output goes to
/// <c>/var/log/xen/qdisk-&lt;name&gt;.log</c>.
/// </summary>
internal sealed class QdiskBackend : IDisposable
{
    /// <summary>Where Debian's <c>qemu-system-xen</c> installs the device model libxl 4.17 runs.</summary>
    public const string Qemu = "/usr/libexec/xen-qemu-system-i386";

    private const string XenstoreRead = "/usr/bin/xenstore-read";
    private const string XenstoreRm = "/usr/bin/xenstore-rm";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    private readonly Process qemu;
    private readonly int domid;

    private QdiskBackend(Process qemu, int domid, string log)
    {
        this.qemu = qemu;
        this.domid = domid;
        Log = log;
    }

    /// <summary>QEMU's log file.</summary>
    public string Log { get; }

    /// <summary>
    /// Starts QEMU for domain <paramref name="domid"/> (paused, its disks' nodes written) and waits, at most
    /// <paramref name="limit"/>, until it runs and each qdisk backend has left Initialising.
    /// </summary>
    /// <exception cref="RealXenException">QEMU is not installed, exits, or is not ready in time; the message ends with its log.</exception>
    public static QdiskBackend Start(int domid, string name, int memoryMiB, IReadOnlyList<DiskSpec> disks, TimeSpan limit, Action<string> progress)
    {
        if (!File.Exists(Qemu)) throw new RealXenException($"--disk ...,backend=qdisk: no {Qemu} in dom0 (install qemu-system-xen)");
        var log = $"/var/log/xen/qdisk-{name}.log";
        File.Delete(log);
        // Through sh so that QEMU's stdio is the log, not realxen's pipes (which would then stay open after realxen exits).
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in new[]
        {
            "-c", "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1", "sh", log, Qemu,
            "-xen-domid", domid.ToString(CultureInfo.InvariantCulture), "-xen-attach", "-name", name,
            "-nodefaults", "-no-user-config", "-no-shutdown", "-display", "none", "-nographic",
            "-machine", "xenpv", "-m", memoryMiB.ToString(CultureInfo.InvariantCulture),
        })
            start.ArgumentList.Add(argument);
        var qemu = Process.Start(start) ?? throw new RealXenException($"cannot start {Qemu}");
        var backend = new QdiskBackend(qemu, domid, log);
        try
        {
            var clock = Stopwatch.StartNew();
            backend.WaitFor($"/local/domain/0/device-model/{domid}/state", s => s == "running", "QEMU to run", limit - clock.Elapsed);
            progress($"QEMU's qdisk running (pid {qemu.Id}, {clock.Elapsed.TotalSeconds:0.0} s)");
            for (var i = 0; i < disks.Count; i++)
            {
                if (disks[i].Backend != DiskBackend.Qdisk) continue;
                var state = $"/local/domain/0/backend/qdisk/{domid}/{DiskNodes.DeviceId(i)}/state";
                backend.WaitFor(state, s => s != "1", $"qdisk to take {GuestSpec.DiskDevice(i)} (its backend state past Initialising)", limit - clock.Elapsed);
            }
        }
        catch
        {
            backend.Dispose();
            throw;
        }
        return backend;
    }

    private void WaitFor(string path, Func<string, bool> done, string what, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var read = ProcessRunner.Run(XenstoreRead, [path]);
            if (read.ExitCode == 0 && done(read.Output.Trim())) return;
            if (qemu.HasExited) throw new RealXenException($"{Qemu} exited {qemu.ExitCode} before {what}{LogTail()}");
            if (clock.Elapsed > limit) throw new RealXenException($"waited {limit.TotalSeconds:0} s for {what} ({path}: {(read.ExitCode == 0 ? read.Output.Trim() : "absent")}){LogTail()}");
            Thread.Sleep(Poll);
        }
    }

    private string LogTail() => File.Exists(Log) ? $"\n{Log} ends:\n" + string.Join('\n', File.ReadLines(Log).TakeLast(10)) : "";

    /// <summary>Stops QEMU and removes its <c>device-model/&lt;domid&gt;</c> directory (libxl's destroy does both for its own).</summary>
    public void Dispose()
    {
        if (!qemu.HasExited)
        {
            qemu.Kill();
            qemu.WaitForExit(TimeSpan.FromSeconds(30));
        }
        qemu.Dispose();
        ProcessRunner.Run(XenstoreRm, [$"/local/domain/0/device-model/{domid}"]);
    }
}
