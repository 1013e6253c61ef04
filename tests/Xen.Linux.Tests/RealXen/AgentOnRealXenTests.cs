using System.Diagnostics;
using Xunit.Abstractions;

namespace Xen.Linux.Tests.RealXen;

/// <summary>
/// The agent target on real Xen 4.17 (tools/realxen: Xen under QEMU with a Linux PV dom0): one boot in which
/// <c>xen-agent-check dom0</c> checks privcmd and XenStore through /dev/xen/xenbus, boots one guest running
/// <c>xen-agent-check guest</c>, and the two exchange grants (gntalloc in the guest, gntdev map and grant copy in
/// dom0) and event channels (an unbound port in the guest, bound interdomain in dom0, notified both ways).
/// </summary>
[Trait("Category", "RealXen")]
public sealed class AgentOnRealXenTests(ITestOutputHelper output) : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("xen-agent-check-").FullName;

    /// <summary>Every check the two sides make; each must print <c>ok</c>.</summary>
    private static readonly string[] Checks =
    [
        "dom0: ok XenStore's domid is 0",
        "dom0: ok IOCTL_PRIVCMD_HYPERCALL(__HYPERVISOR_xen_version, XENVER_version) is Xen 4.17",
        "dom0: ok a write through /dev/xen/xenbus reads back through xenstored's socket",
        "dom0: ok a relative read through /dev/xen/xenbus resolves under dom0's home",
        "dom0: ok the guest published its grants and port through its /dev/xen/xenbus",
        "dom0: ok the guest's 2 gntalloc pages read the guest's pattern through IOCTL_GNTDEV_MAP_GRANT_REF and mmap",
        "dom0: ok IOCTL_GNTDEV_GRANT_COPY from the guest's second page",
        "dom0: ok Xen refuses to map a reference the guest never granted",
        "dom0: ok Xen refuses a copy from it with a GNTST_ status",
        "dom0: ok the guest's notification came back on the port bound with IOCTL_EVTCHN_BIND_INTERDOMAIN",
        "dom0: ok the guest's checks passed (realxen guest exited 0)",
        "guest: ok dom0's notification arrived on the port allocated with IOCTL_EVTCHN_BIND_UNBOUND_PORT",
        "guest: ok dom0 wrote into the first page through its gntdev mapping",
        "guest: ok dom0's IOCTL_GNTDEV_GRANT_COPY landed in the second page",
        "guest: ok the rest of the pages is as the guest wrote it",
    ];

    // Not passing yet: in the one run that reached the guest, its busybox could not execute the NativeAOT binary
    // passed with `realxen guest --file` (EIO, exit 126), so the guest half has never run; dom0's half passed twice.
    [Fact(Skip = "open: the guest cannot execute the NativeAOT check binary realxen guest copies in (EIO); dom0's half passes")]
    public void Dom0_and_a_guest_share_grants_and_event_channels_through_the_devices()
    {
        string repo = RepositoryRoot();
        string agent = Publish(repo);
        string realxen = Path.Combine(repo, "tools", "realxen", "bin", "Release", "net10.0", "realxen.dll");
        Assert.True(File.Exists(realxen), $"{realxen}: build tools/realxen first");
        var (exit, text) = Run("dotnet", [realxen, "run", "--timeout", "2400", "--",
            $"{agent} dom0 --guest-modules $REALXEN_MODULES/kernel/drivers/xen"], TimeSpan.FromMinutes(42));
        output.WriteLine(text);
        Assert.DoesNotContain(": FAIL ", text);
        foreach (var check in Checks) Assert.Contains(check, text);
        Assert.Equal(0, exit);
    }

    /// <summary>The guest's busybox initramfs has no .NET: the agent goes in as one NativeAOT executable.</summary>
    private string Publish(string repo)
    {
        string project = Path.Combine(repo, "tests", "Xen.Linux.Agent", "Xen.Linux.Agent.csproj");
        var (exit, text) = Run("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", work, "-nologo", "-v", "quiet"], TimeSpan.FromMinutes(15));
        Assert.True(exit == 0, text);
        return Path.Combine(work, "xen-agent-check");
    }

    private static (int Exit, string Output) Run(string file, string[] args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        return (process.HasExited ? process.ExitCode : -1, stdout.Result + stderr.Result);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XenGen.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no XenGen.sln above {AppContext.BaseDirectory}");
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
